"""What WebSocket framing costs per realtime frame, on the layer the SDK uses.

    .venv/bin/python benchmarks/experiments/w6_framing.py

Prints microseconds per call (median of 5 rounds of 20,000): framing and masking
one 3,840-byte audio chunk, and parsing one result event, through
``soniox_core.websocket.WebSocketConnection`` (websockets' sans-I/O
``ClientProtocol``, C speedups for the mask) and through the STT session above
it (which adds the state table, the keepalive bookkeeping and the msgspec
decoding of the event). W6 sends 5,000 chunks and reads 5,000 events, so these
times x 5,000 are the CPU the session spends on them. wsproto, which the SDK
used before, took 11-17 µs per chunk and 8-11 µs per event here.
"""

from __future__ import annotations

import os
import statistics
import time

from websockets.frames import Frame, Opcode

from soniox_core.realtime import RealtimeSession, RealtimeSTTConfig
from soniox_core.websocket import Endpoint, WebSocketConnection

N = 20_000
EVENT = (
    b'{"tokens":[{"text":"hello","start_ms":0,"end_ms":120,"confidence":0.9,"is_final":true},'
    b'{"text":" wor","start_ms":120,"end_ms":240,"confidence":0.8,"is_final":false}],'
    b'"final_audio_proc_ms":120,"total_audio_proc_ms":240}'
)
ENDPOINT = Endpoint(secure=False, host="127.0.0.1", port=80, target="/transcribe-websocket")
CONFIG = RealtimeSTTConfig(model="stt-rt-v4", audio_format="pcm_s16le", sample_rate=16000, num_channels=1)


def per_call(fn: object) -> float:
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        rounds.append((time.perf_counter() - start) / N * 1e6)
    return statistics.median(rounds)


def _accepted(client: RealtimeSession | WebSocketConnection) -> None:
    """Run the opening handshake against websockets' sans-I/O server."""
    from websockets.http11 import Request
    from websockets.server import ServerProtocol

    server = ServerProtocol()
    if isinstance(client, RealtimeSession):
        client.start(0.0)
    else:
        client.start()
    server.receive_data(client.data_to_send())
    (request,) = server.events_received()
    assert isinstance(request, Request)
    server.send_response(server.accept(request))
    client.receive_data(b"".join(server.data_to_send()))
    client.data_to_send()


def main() -> None:
    chunk = os.urandom(3840)
    frame = Frame(Opcode.TEXT, EVENT).serialize(mask=False)

    connection = WebSocketConnection(ENDPOINT, [])
    _accepted(connection)

    def send() -> None:
        for _ in range(N):
            connection.send_binary(chunk)
            connection.data_to_send()

    def receive() -> None:
        for _ in range(N):
            connection.receive_data(frame)

    session = RealtimeSession(CONFIG, ENDPOINT, [])
    _accepted(session)

    def session_send() -> None:
        for i in range(N):
            session.send_audio(chunk, float(i))
            session.data_to_send()

    def session_receive() -> None:
        for _ in range(N):
            session.receive_data(frame)
            session.next_event()

    print(f"connection: frame+mask one 3,840-byte chunk: {per_call(send):5.1f} µs")
    print(f"connection: parse one {len(frame)}-byte event frame:  {per_call(receive):5.1f} µs")
    print(f"STT session: send_audio + data_to_send:      {per_call(session_send):5.1f} µs")
    print(f"STT session: receive_data + next_event:      {per_call(session_receive):5.1f} µs")


if __name__ == "__main__":
    main()
