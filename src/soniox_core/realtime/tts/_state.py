"""The realtime text-to-speech protocol as data: states, inputs and the transitions between them.

Like h11's ``_state.py``: each table lists every input a state accepts; an input
missing from the table is a protocol violation and raises
``LocalProtocolViolation`` (the caller did something out of order) or is
reported by the connection as a server fault. Nothing here does I/O.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from soniox_core._errors import SonioxRealtimeError

__all__ = [
    "CONNECTION_TRANSITIONS",
    "SLOT_STATES",
    "STREAM_TRANSITIONS",
    "ConnectionInput",
    "ConnectionState",
    "LocalProtocolViolation",
    "StreamInput",
    "StreamState",
    "next_connection_state",
    "next_stream_state",
]


class LocalProtocolViolation(SonioxRealtimeError):
    """The caller asked for something the stream's state does not allow (e.g. text after the end)."""


class StreamState(str, enum.Enum):
    """Where one text-to-speech stream stands."""

    OPEN = "open"  # config sent; text may flow
    TEXT_ENDED = "text_ended"  # text_end sent; audio still coming
    CANCELLING = "cancelling"  # cancel sent; waiting for `terminated`
    AUDIO_ENDED = "audio_ended"  # the last audio arrived; `terminated` follows
    ERRORED = "errored"  # the service reported an error for this stream; `terminated` follows
    TERMINATED = "terminated"  # `terminated` arrived: the id may be reused
    CLOSED = "closed"  # the connection ended after the stream had nothing more to give
    FAILED = "failed"  # timed out, or the connection ended or failed under it


class StreamInput(enum.Enum):
    """What can happen to a stream: a send by the caller or a message from the service."""

    SEND_TEXT = "send_text"
    SEND_TEXT_END = "send_text_end"
    SEND_CANCEL = "send_cancel"
    RECV_AUDIO = "recv_audio"
    RECV_AUDIO_END = "recv_audio_end"
    RECV_TERMINATED = "recv_terminated"
    RECV_ERROR = "recv_error"  # an error message naming this stream, or undecodable audio
    TIMEOUT = "timeout"  # no event for the stream within its timeout
    CONNECTION_ENDED = "connection_ended"  # closed (by either side) or lost
    CONNECTION_FAILED = "connection_failed"  # a connection-level error


_S = StreamState
_I = StreamInput

_ENDINGS: Mapping[StreamInput, StreamState] = {
    _I.RECV_TERMINATED: _S.TERMINATED,
    _I.RECV_ERROR: _S.ERRORED,
    _I.TIMEOUT: _S.FAILED,
    _I.CONNECTION_ENDED: _S.FAILED,
    _I.CONNECTION_FAILED: _S.FAILED,
}

STREAM_TRANSITIONS: Mapping[StreamState, Mapping[StreamInput, StreamState]] = {
    _S.OPEN: {
        _I.SEND_TEXT: _S.OPEN,
        _I.SEND_TEXT_END: _S.TEXT_ENDED,
        _I.SEND_CANCEL: _S.CANCELLING,
        _I.RECV_AUDIO: _S.OPEN,  # audio starts before the text ends
        _I.RECV_AUDIO_END: _S.AUDIO_ENDED,
        **_ENDINGS,
    },
    _S.TEXT_ENDED: {
        _I.SEND_TEXT_END: _S.TEXT_ENDED,  # a second finish() says nothing new; not re-sent
        _I.SEND_CANCEL: _S.CANCELLING,
        _I.RECV_AUDIO: _S.TEXT_ENDED,
        _I.RECV_AUDIO_END: _S.AUDIO_ENDED,
        **_ENDINGS,
    },
    _S.CANCELLING: {
        _I.SEND_TEXT_END: _S.CANCELLING,
        _I.SEND_CANCEL: _S.CANCELLING,
        _I.RECV_AUDIO: _S.CANCELLING,  # generated before the cancel reached the service
        _I.RECV_AUDIO_END: _S.CANCELLING,
        **_ENDINGS,
        _I.CONNECTION_ENDED: _S.CLOSED,  # cancelled anyway: nothing is lost
    },
    _S.AUDIO_ENDED: {
        _I.SEND_TEXT_END: _S.AUDIO_ENDED,
        _I.SEND_CANCEL: _S.AUDIO_ENDED,
        **_ENDINGS,
        _I.CONNECTION_ENDED: _S.CLOSED,  # every byte of audio arrived
    },
    _S.ERRORED: {
        _I.SEND_TEXT_END: _S.ERRORED,
        _I.SEND_CANCEL: _S.ERRORED,
        _I.RECV_AUDIO: _S.ERRORED,  # dropped: the stream already failed
        _I.RECV_AUDIO_END: _S.ERRORED,
        _I.RECV_ERROR: _S.ERRORED,
        _I.RECV_TERMINATED: _S.TERMINATED,
        _I.TIMEOUT: _S.ERRORED,
        _I.CONNECTION_ENDED: _S.ERRORED,
        _I.CONNECTION_FAILED: _S.ERRORED,
    },
    _S.TERMINATED: {
        _I.SEND_TEXT_END: _S.TERMINATED,
        _I.SEND_CANCEL: _S.TERMINATED,
        _I.CONNECTION_ENDED: _S.TERMINATED,
        _I.CONNECTION_FAILED: _S.TERMINATED,
    },
    _S.CLOSED: {
        _I.SEND_TEXT_END: _S.CLOSED,
        _I.SEND_CANCEL: _S.CLOSED,
        _I.CONNECTION_ENDED: _S.CLOSED,
        _I.CONNECTION_FAILED: _S.CLOSED,
    },
    _S.FAILED: {
        _I.SEND_TEXT_END: _S.FAILED,
        _I.SEND_CANCEL: _S.FAILED,
        _I.RECV_AUDIO: _S.FAILED,  # late messages of a timed-out stream
        _I.RECV_AUDIO_END: _S.FAILED,
        _I.RECV_ERROR: _S.FAILED,
        _I.RECV_TERMINATED: _S.FAILED,
        _I.TIMEOUT: _S.FAILED,
        _I.CONNECTION_ENDED: _S.FAILED,
        _I.CONNECTION_FAILED: _S.FAILED,
    },
}
"""(state -> input -> next state) for one stream. An input not listed for a state is refused."""

# Sends that change nothing in these states are accepted but put nothing on the wire.
SILENT_SENDS: Mapping[StreamState, frozenset[StreamInput]] = {
    _S.TEXT_ENDED: frozenset({_I.SEND_TEXT_END}),
    _S.CANCELLING: frozenset({_I.SEND_TEXT_END, _I.SEND_CANCEL}),
    _S.AUDIO_ENDED: frozenset({_I.SEND_TEXT_END, _I.SEND_CANCEL}),
    _S.ERRORED: frozenset({_I.SEND_TEXT_END, _I.SEND_CANCEL}),
    _S.TERMINATED: frozenset({_I.SEND_TEXT_END, _I.SEND_CANCEL}),
    _S.CLOSED: frozenset({_I.SEND_TEXT_END, _I.SEND_CANCEL}),
    _S.FAILED: frozenset({_I.SEND_TEXT_END, _I.SEND_CANCEL}),
}

SLOT_STATES = frozenset({_S.OPEN, _S.TEXT_ENDED, _S.CANCELLING, _S.AUDIO_ENDED, _S.ERRORED})
"""States in which a stream holds one of the connection's five slots (and its id)."""

FINAL_STATES = frozenset({_S.TERMINATED, _S.CLOSED, _S.FAILED})
"""States after which the stream gives no more events."""


class ConnectionState(str, enum.Enum):
    """Where the WebSocket under the streams stands."""

    OPEN = "open"  # streams may be opened
    CLOSED = "closed"  # closed by us or the service; nothing may be sent
    FAILED = "failed"  # a connection-level error or a lost connection


class ConnectionInput(enum.Enum):
    """What can happen to the connection as a whole."""

    OPEN_STREAM = "open_stream"
    SEND = "send"  # text, cancel or keepalive
    RECV = "recv"
    CLOSE = "close"  # our close, the service's close or EOF
    FAIL = "fail"


_C = ConnectionState
_CI = ConnectionInput

CONNECTION_TRANSITIONS: Mapping[ConnectionState, Mapping[ConnectionInput, ConnectionState]] = {
    _C.OPEN: {
        _CI.OPEN_STREAM: _C.OPEN,
        _CI.SEND: _C.OPEN,
        _CI.RECV: _C.OPEN,
        _CI.CLOSE: _C.CLOSED,
        _CI.FAIL: _C.FAILED,
    },
    _C.CLOSED: {_CI.CLOSE: _C.CLOSED, _CI.FAIL: _C.CLOSED, _CI.RECV: _C.CLOSED},
    _C.FAILED: {_CI.CLOSE: _C.FAILED, _CI.FAIL: _C.FAILED, _CI.RECV: _C.FAILED},
}
"""(state -> input -> next state) for the connection. An input not listed is refused."""


def next_stream_state(state: StreamState, event: StreamInput) -> StreamState:
    """The state after ``event``.

    Raises:
        LocalProtocolViolation: ``state`` does not accept ``event``.
    """
    try:
        return STREAM_TRANSITIONS[state][event]
    except KeyError:
        raise LocalProtocolViolation(
            f"{event.value} is not allowed on a stream that is {state.value}"
        ) from None


def next_connection_state(state: ConnectionState, event: ConnectionInput) -> ConnectionState:
    """The connection's state after ``event``.

    Raises:
        LocalProtocolViolation: ``state`` does not accept ``event``.
    """
    try:
        return CONNECTION_TRANSITIONS[state][event]
    except KeyError:
        raise LocalProtocolViolation(
            f"{event.value} is not allowed on a connection that is {state.value}"
        ) from None
