"""The realtime speech-to-text session's states and inputs, and the table that joins them.

Kept as data, like h11's ``_state.py``: ``RealtimeSession`` feeds every input
through ``StateMachine.apply``, so a pair missing here raises instead of being
ignored. ``IGNORED`` lists the pairs that are harmless repeats (a second
``finish()``, a keepalive after the end of audio).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

__all__ = ["IGNORED", "TRANSITIONS", "Input", "SessionState"]


class SessionState(str, enum.Enum):
    """Where a realtime session stands."""

    CONNECTING = "connecting"  # upgrade request sent, waiting for 101
    STREAMING = "streaming"  # config sent; audio and control messages flow
    FINISHING = "finishing"  # end of audio sent; waiting for the last results
    FINISHED = "finished"  # the `finished` message arrived; only the close remains
    CLOSING = "closing"  # we sent a close frame and wait for the server's reply
    CLOSED = "closed"  # the connection is over, cleanly
    FAILED = "failed"  # an error message, a protocol error or a lost connection


class Input(enum.Enum):
    """What moves a session: the caller's sends, the server's answers, failures."""

    OPENED = "opened"  # the server accepted the upgrade
    AUDIO = "audio"  # the caller sends audio
    KEEPALIVE = "keepalive"
    FINALIZE = "finalize"
    FINISH = "finish"  # the caller ends the audio
    RESULT = "result"  # the server sent a (non-error) message
    FINISHED = "finished"  # the server's message said `finished`
    CLOSE = "close"  # the caller closes
    CLOSE_RECEIVED = "close_received"  # the server's close frame, after `finished`
    CONNECTION_LOST = "connection_lost"  # EOF, after `finished`
    FAIL = "fail"  # any failure: error message, protocol error, lost connection, timeout


S = SessionState
_LIVE = (S.STREAMING, S.FINISHING, S.FINISHED, S.CLOSING)
_OVER = (S.CLOSED, S.FAILED)

TRANSITIONS: Mapping[tuple[SessionState, Input], SessionState] = {
    (S.CONNECTING, Input.OPENED): S.STREAMING,
    (S.CONNECTING, Input.CLOSE): S.CLOSED,
    (S.CONNECTING, Input.FAIL): S.FAILED,
    **{(S.STREAMING, i): S.STREAMING for i in (Input.AUDIO, Input.KEEPALIVE, Input.FINALIZE)},
    (S.STREAMING, Input.FINISH): S.FINISHING,
    (S.STREAMING, Input.FINISHED): S.FINISHED,
    (S.FINISHING, Input.FINISHED): S.FINISHED,
    # A late message while we close is still handed out; it moves nothing.
    **{(state, Input.RESULT): state for state in _LIVE},
    (S.CLOSING, Input.FINISHED): S.CLOSING,
    **{(state, Input.CLOSE): S.CLOSING for state in (S.STREAMING, S.FINISHING, S.FINISHED)},
    (S.CLOSING, Input.CLOSE): S.CLOSING,
    **{(state, Input.CLOSE): state for state in _OVER},
    # Before `finished`, the server closing is a failure (FAIL); after it, the end.
    **{
        (state, i): S.CLOSED
        for state in (S.FINISHED, S.CLOSING)
        for i in (Input.CLOSE_RECEIVED, Input.CONNECTION_LOST)
    },
    (S.FAILED, Input.CLOSE_RECEIVED): S.FAILED,
    (S.FAILED, Input.CONNECTION_LOST): S.FAILED,
    **{(state, Input.FAIL): S.FAILED for state in (S.CONNECTING, *_LIVE, S.FAILED)},
    # A session that already ended cleanly stays clean: a late timeout or a
    # broken socket during the closing handshake loses nothing.
    (S.CLOSED, Input.FAIL): S.CLOSED,
}

# Repeats that do nothing: finish() again (close paths call it too), a keepalive
# with nothing left to keep alive. Everything else missing above raises.
IGNORED: frozenset[tuple[SessionState, Input]] = frozenset(
    (state, i)
    for state in (S.FINISHING, S.FINISHED, S.CLOSING, S.CLOSED)
    for i in (Input.FINISH, Input.KEEPALIVE)
)
