"""What wsproto costs per realtime frame: framing+masking one audio chunk, parsing one event.

    .venv/bin/python benchmarks/experiments/w6_wsproto.py

Prints microseconds per call (median of 5 rounds of 20,000). W6 sends 5,000 chunks of
3,840 bytes and reads 5,000 result events, so these times x 5,000 are the CPU that any
client on wsproto spends on WebSocket framing alone.
"""

from __future__ import annotations

import os
import statistics
import time

from wsproto.connection import Connection, ConnectionType
from wsproto.events import BytesMessage, TextMessage
from wsproto.frame_protocol import XorMaskerSimple

N = 20_000
EVENT = (
    '{"tokens":[{"text":"hello","start_ms":0,"end_ms":120,"confidence":0.9,"is_final":true},'
    '{"text":" wor","start_ms":120,"end_ms":240,"confidence":0.8,"is_final":false}],'
    '"final_audio_proc_ms":120,"total_audio_proc_ms":240}'
)


def per_call(fn: object) -> float:
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        rounds.append((time.perf_counter() - start) / N * 1e6)
    return statistics.median(rounds)


def main() -> None:
    client = Connection(ConnectionType.CLIENT)
    chunk = os.urandom(3840)
    masker = XorMaskerSimple(os.urandom(4))
    frame = Connection(ConnectionType.SERVER).send(TextMessage(data=EVENT))

    def send() -> None:
        for _ in range(N):
            client.send(BytesMessage(data=chunk))

    def mask() -> None:
        for _ in range(N):
            masker.process(bytearray(chunk))

    def receive() -> None:
        for _ in range(N):
            client.receive_data(frame)
            for _event in client.events():
                pass

    print(f"frame+mask one 3,840-byte chunk: {per_call(send):5.1f} µs")
    print(f"  of which the mask:             {per_call(mask):5.1f} µs")
    print(f"parse one {len(frame)}-byte event frame:  {per_call(receive):5.1f} µs")


if __name__ == "__main__":
    main()
