"""Any split of the incoming byte stream gives the same events (hypothesis)."""

from __future__ import annotations

import contextlib
import json

from hypothesis import given, settings
from hypothesis import strategies as st
from rt_wire import CONFIG, ENDPOINT, Server, token

from soniox_core._errors import SonioxRealtimeError
from soniox_core.realtime import END, NEED_DATA, RealtimeEvent, RealtimeSession


def _server_bytes(error: bool) -> tuple[bytes, bytes]:
    """The handshake answer and a scripted stream of server frames, as raw bytes."""
    session = RealtimeSession(CONFIG, ENDPOINT, [])
    server = Server()
    session.start(0.0)
    server.feed(session.data_to_send())
    accept = server.accept()
    stream = server.ping()
    stream += server.message({"tokens": [token("Hel", False)], "total_audio_proc_ms": 80})
    # A long message, so that it spans several reads and a 16-bit length field.
    long_text = "ü" * 300
    stream += server.message({"tokens": [token("Hello", True), token(long_text, False)]})
    if error:
        stream += server.message({"error_code": 408, "error_message": "Request timeout."})
        stream += server.close(1000)
    else:
        stream += server.message({"tokens": [token(long_text, True), token("<fin>", True)]})
        stream += server.message({"tokens": [], "finished": True})
        stream += server.close(1000)
    return accept, stream


def _run(chunks: list[bytes]) -> list[object]:
    session = RealtimeSession(CONFIG, ENDPOINT, [])
    session.start(0.0)
    seen: list[object] = []
    for chunk in [*chunks, None]:
        session.receive_data(chunk)
        while True:
            try:
                item = session.next_event()
            except SonioxRealtimeError as exc:
                seen.append(("error", exc.code, exc.message))
                return seen
            if item is NEED_DATA:
                break
            if item is END:
                seen.append("end")
                return seen
            assert isinstance(item, RealtimeEvent)
            seen.append(json.dumps([t.text for t in item.tokens]) + str(item.finished))
    return seen


def _split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    pieces, last = [], 0
    for p in points:
        pieces.append(data[last:p])
        last = p
    pieces.append(data[last:])
    return [p for p in pieces if p]


@settings(max_examples=150, deadline=None)
@given(
    cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=30),
    error=st.booleans(),
)
def test_any_split_gives_the_same_events(cuts: list[int], error: bool) -> None:
    accept, stream = _server_bytes(error)
    whole = _run([accept + stream])
    assert whole[-1] == "end" or whole[-1][0] == "error"  # type: ignore[index]
    assert _run(_split(accept + stream, cuts)) == whole


def test_byte_by_byte() -> None:
    accept, stream = _server_bytes(False)
    data = accept + stream
    assert _run([data[i : i + 1] for i in range(len(data))]) == _run([data])


@settings(max_examples=300, deadline=None)
@given(
    garbage=st.binary(max_size=300),
    actions=st.lists(st.sampled_from(["audio", "keepalive", "finalize", "finish", "close", "pause"])),
)
def test_garbage_from_the_server_only_raises_realtime_errors(garbage: bytes, actions: list[str]) -> None:
    """Whatever the server sends, the session raises SonioxRealtimeError and nothing else."""
    accept, _ = _server_bytes(False)
    session = RealtimeSession(CONFIG, ENDPOINT, [])
    session.start(0.0)
    session.receive_data(accept)
    for data in (garbage, None):
        try:
            session.receive_data(data)
            for action in actions:
                if action == "audio":
                    session.send_audio(b"x", 1.0)
                elif action == "keepalive":
                    session.keep_alive(1.0)
                elif action == "finalize":
                    session.finalize()
                elif action == "finish":
                    session.finish()
                elif action == "pause":
                    session.pause()
                else:
                    session.close()
            session.data_to_send()
            while session.next_event() not in (NEED_DATA, END):
                pass
        except SonioxRealtimeError:
            pass
    with contextlib.suppress(SonioxRealtimeError):
        assert session.next_event() is END


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)
_event_like = st.fixed_dictionaries(
    {},
    optional={
        "tokens": st.lists(
            st.fixed_dictionaries(
                {"text": st.text(max_size=4)},
                optional={"is_final": _json, "start_ms": _json, "speaker": _json},
            ),
            max_size=3,
        ),
        "finished": _json,
        "error_code": _json,
        "error_message": _json,
        "final_audio_proc_ms": _json,
    },
)


@settings(max_examples=300, deadline=None)
@given(payloads=st.lists(st.one_of(st.text(max_size=20), _json.map(json.dumps), _event_like.map(json.dumps))))
def test_odd_messages_only_raise_realtime_errors(payloads: list[str]) -> None:
    server_side = Server()
    client = RealtimeSession(CONFIG, ENDPOINT, [])
    client.start(0.0)
    server_side.feed(client.data_to_send())
    client.receive_data(server_side.accept())
    for payload in payloads:
        client.receive_data(server_side.text(payload))
    try:
        while client.next_event() not in (NEED_DATA, END):
            pass
    except SonioxRealtimeError:
        pass
