"""The generic WebSocket layer, fed bytes from websockets' sans-I/O server: no socket."""

from __future__ import annotations

import enum

import pytest
from websockets.frames import Frame, Opcode
from websockets.http11 import Request
from websockets.server import ServerProtocol

from soniox_core.websocket import (
    CloseReceived,
    ConnectionLost,
    Endpoint,
    Message,
    Opened,
    ProtocolFailed,
    Rejected,
    SendRefused,
    StateMachine,
    UnexpectedInput,
    WebSocketConnection,
)

ENDPOINT = Endpoint(secure=True, host="::1", port=443, target="/ws?x=1")


def pair() -> tuple[WebSocketConnection, ServerProtocol]:
    client = WebSocketConnection(ENDPOINT, [(b"Authorization", b"Bearer k")])
    server = ServerProtocol()
    client.start()
    server.receive_data(client.data_to_send())
    (request,) = server.events_received()
    assert isinstance(request, Request)
    server.send_response(server.accept(request))
    assert client.receive_data(b"".join(server.data_to_send())) == [Opened()]
    return client, server


def to_client(client: WebSocketConnection, server: ServerProtocol) -> list[object]:
    return list(client.receive_data(b"".join(server.data_to_send())))


def test_request_carries_host_target_and_headers() -> None:
    client = WebSocketConnection(ENDPOINT, [(b"Authorization", b"Bearer k")])
    client.start()
    head = client.data_to_send().decode()
    assert head.startswith("GET /ws?x=1 HTTP/1.1\r\n")
    assert "Host: [::1]\r\n" in head  # the scheme's default port is left out
    assert "Authorization: Bearer k\r\n" in head and "Sec-WebSocket-Key: " in head


def test_messages_whole_fragments_joined_and_pings_answered() -> None:
    client, server = pair()
    server.send_text(b"hel", fin=False)
    server.send_continuation(b"lo", fin=True)
    server.send_binary(b"\x00\x01")
    server.send_ping(b"p")
    assert to_client(client, server) == [Message(b"hello", True), Message(b"\x00\x01", False)]
    server.receive_data(client.data_to_send())
    (pong,) = server.events_received()
    assert isinstance(pong, Frame) and pong.opcode is Opcode.PONG and pong.data == b"p"


def test_client_frames_are_masked_and_parsed_by_a_server() -> None:
    client, server = pair()
    client.send_binary(b"a" * 3840)
    client.send_text(b'{"type":"keepalive"}')
    pending = client.pending_bytes
    data = client.data_to_send()
    assert pending == len(data) == (4 + 4 + 3840) + (2 + 4 + 20) and client.pending_bytes == 0
    assert b"a" * 16 not in data  # masked
    server.receive_data(data)
    frames = [f for f in server.events_received() if isinstance(f, Frame)]
    assert [(f.opcode, f.data) for f in frames] == [
        (Opcode.BINARY, b"a" * 3840),
        (Opcode.TEXT, b'{"type":"keepalive"}'),
    ]


def test_close_handshake_from_either_side() -> None:
    client, server = pair()
    client.send_close(1000, "bye")
    assert client.awaiting_close and not client.is_open
    with pytest.raises(SendRefused):
        client.send_text(b"late")
    server.receive_data(client.data_to_send())
    server.events_received()
    assert to_client(client, server) == [CloseReceived(1000, "bye")]
    assert client.done and not client.awaiting_close

    client, server = pair()
    server.send_close(1011, "oops")
    assert to_client(client, server) == [CloseReceived(1011, "oops")]
    server.receive_data(client.data_to_send())  # the echo
    (echo,) = server.events_received()
    assert isinstance(echo, Frame) and echo.opcode is Opcode.CLOSE


def test_eof_without_close_is_a_lost_connection() -> None:
    client, _ = pair()
    assert client.receive_data(None) == [ConnectionLost()]
    assert client.done and client.receive_data(b"more") == []


def test_protocol_violation_is_reported_and_answered_with_a_close() -> None:
    client, _ = pair()
    # A masked frame from the server breaks RFC 6455.
    events = client.receive_data(b"\x81\x82abcd" + b"xx")
    assert len(events) == 1 and isinstance(events[0], ProtocolFailed)
    assert client.data_to_send().startswith(b"\x88")  # our close frame (1002)


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        (b"HTTP/1.1 403 Forbidden\r\nContent-Length: 4\r\n\r\nnope", 403),
        (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         b"Sec-WebSocket-Accept: d3Jvbmc=\r\n\r\n", None),
        (b"garbage\r\n\r\n", None),
    ],
)  # fmt: skip
def test_failed_handshakes(answer: bytes, status: int | None) -> None:
    client = WebSocketConnection(ENDPOINT, [])
    client.start()
    client.data_to_send()
    (event,) = client.receive_data(answer) or client.receive_data(None)
    assert isinstance(event, Rejected) and event.status == status
    if status == 403:
        assert event.body == b"nope"


def test_eof_before_any_answer() -> None:
    client = WebSocketConnection(ENDPOINT, [])
    client.start()
    (event,) = client.receive_data(None)
    assert isinstance(event, Rejected) and event.status is None and "closed" in event.reason


class _S(enum.Enum):
    A = 1
    B = 2


class _I(enum.Enum):
    GO = 1
    AGAIN = 2


def test_state_machine_moves_ignores_and_raises() -> None:
    machine = StateMachine({(_S.A, _I.GO): _S.B}, _S.A, ignored={(_S.B, _I.AGAIN)})
    assert machine.accepts(_I.GO) and machine.apply(_I.GO) and machine.state is _S.B
    assert machine.apply(_I.AGAIN) is False and machine.state is _S.B
    with pytest.raises(UnexpectedInput, match="GO is not expected in state B"):
        machine.apply(_I.GO)
