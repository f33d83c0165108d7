"""The realtime text-to-speech connection as a sans-IO machine over text messages.

One ``TTSProtocol`` is one WebSocket carrying up to five streams. It takes the
service's messages as strings (``receive_message``), routes each to its
stream, and queues the JSON messages to send (``messages_to_send``). It never
reads a clock: the driver passes ``now`` wherever time matters. The WebSocket
framing around these messages is the driver's WebSocket layer's job.

A single-stream connection is the same machine with one stream opened at once.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import msgspec

from soniox_core._errors import SonioxRealtimeError, SonioxTTSStreamLimitError, SonioxValidationError

from .._events import SonioxRealtimeTimeoutError
from ._models import (
    MAX_TTS_STREAMS_PER_CONNECTION,
    TTS_KEEP_ALIVE_INTERVAL_SEC,
    TTS_STREAM_EVENT_TIMEOUT_SEC,
    RealtimeTTSCancelMessage,
    RealtimeTTSConfig,
    RealtimeTTSEvent,
    RealtimeTTSKeepAliveMessage,
    RealtimeTTSTextMessage,
    SonioxTTSAudioError,
    coerce_tts_config,
    parse_tts_event,
    tts_config_payload,
)
from ._state import (
    FINAL_STATES,
    SILENT_SENDS,
    SLOT_STATES,
    STREAM_TRANSITIONS,
    ConnectionInput,
    ConnectionState,
    LocalProtocolViolation,
    StreamInput,
    StreamState,
    next_connection_state,
    next_stream_state,
)
from ._text import split_text

__all__ = [
    "TTS_END",
    "TTS_NEED_DATA",
    "Received",
    "SonioxTTSStreamLimitError",
    "TTSProtocol",
    "TTSSignal",
    "TTSStream",
]


class TTSSignal(enum.Enum):
    """What ``next_event`` returns when it has no event to give."""

    NEED_DATA = "need_data"  # read more from the socket
    END = "end"  # the stream is over; no more events will come


TTS_NEED_DATA = TTSSignal.NEED_DATA
TTS_END = TTSSignal.END


@dataclass(frozen=True, slots=True)
class Received:
    """One message of a stream: the raw text, the parsed event and its decoded audio."""

    raw: str
    event: RealtimeTTSEvent
    audio: bytes | None


@dataclass(frozen=True, slots=True)
class _Failure:
    """Stands in a stream's queue where an error happened, so earlier messages come first."""

    error: SonioxRealtimeError
    received: Received | None  # the error message itself, when the service sent one


TTS_MAX_BACKLOG = 16
"""Messages (about 8 KiB of audio each, kept raw and decoded) queued for the readers
beyond which the driver stops reading the socket until they catch up (``backlogged``)."""


class TTSStream:
    """One stream's state and its queue of messages not yet handed out.

    Handles stay valid after the stream ends (and after its id is reused by a
    new stream): they hold the stream, not its id.
    """

    def __init__(self, config: RealtimeTTSConfig) -> None:
        self.config = config
        self.stream_id = config.stream_id
        self.state = StreamState.OPEN
        self.queue: deque[Received | _Failure] = deque()
        self.error: SonioxRealtimeError | None = None
        self.last_message: RealtimeTTSEvent | None = None
        self.waiting_since: float | None = None
        self.audio_bytes_received = 0
        self._error_raw: str | None = None  # the service's error message, for raw readers

    def apply(self, event: StreamInput) -> StreamState:
        """Move to the state after ``event`` (raises ``LocalProtocolViolation`` if refused)."""
        self.state = next_stream_state(self.state, event)
        return self.state

    @property
    def holds_slot(self) -> bool:
        """Whether the stream still counts toward the connection's five."""
        return self.state in SLOT_STATES

    def fail(self, error: SonioxRealtimeError, received: Received | None = None) -> None:
        """Record why the stream failed; readers get it after the messages queued before it."""
        if self.error is None:
            self.error = error
            self.queue.append(_Failure(error, received))

    def take_error_raw(self) -> str | None:
        """The service's error message as received, once, after ``next_event`` raised it."""
        raw, self._error_raw = self._error_raw, None
        return raw


def _encode(message: msgspec.Struct | dict[str, object]) -> str:
    return msgspec.json.encode(message).decode()


def _error_from(event: RealtimeTTSEvent) -> SonioxRealtimeError:
    message = event.error_message or "Realtime text-to-speech failed"
    return SonioxRealtimeError(message, code=event.error_code)


def _copy(error: SonioxRealtimeError) -> SonioxRealtimeError:
    # A fresh instance per raise: re-raising one object grows its traceback.
    return type(error)(error.message, code=error.code)


class TTSProtocol:
    """Up to five text-to-speech streams on one connection, as messages in and out.

    Typical use by a driver::

        protocol = TTSProtocol()
        stream = protocol.open_stream(config, now)
        protocol.send_text(stream, "Hello there.", now)
        protocol.finish(stream, now)
        write_each(protocol.messages_to_send())
        while (item := protocol.next_event(stream, now)) is not TTS_END:
            if item is TTS_NEED_DATA:
                protocol.receive_message(read_text_message())
            else:
                play(item.audio)

    ``keepalive_interval_sec`` is how long the connection may send nothing
    before a keepalive falls due; ``event_timeout_sec`` how long a stream may
    wait for its next message before it fails with a timeout.
    """

    def __init__(
        self,
        *,
        keepalive_interval_sec: float = TTS_KEEP_ALIVE_INTERVAL_SEC,
        event_timeout_sec: float | None = TTS_STREAM_EVENT_TIMEOUT_SEC,
        max_streams: int = MAX_TTS_STREAMS_PER_CONNECTION,
        max_backlog: int = TTS_MAX_BACKLOG,
    ) -> None:
        self.keepalive_interval_sec = keepalive_interval_sec
        self.max_backlog = max_backlog
        self.event_timeout_sec = event_timeout_sec
        self.max_streams = max_streams
        self.state = ConnectionState.OPEN
        self.error: SonioxRealtimeError | None = None
        self.paused = False
        self.last_message: RealtimeTTSEvent | None = None
        self.stray_messages = 0  # messages for streams that are not open (e.g. after a timeout)
        self.keepalives_sent = 0
        self._active: dict[str, TTSStream] = {}
        self._streams: list[TTSStream] = []  # every stream not yet fully handed out
        self._out: list[str] = []
        self._last_sent: float | None = None

    # --- connection ---------------------------------------------------------------------

    def _connection(self, event: ConnectionInput) -> None:
        if self.error is not None and self.state is ConnectionState.FAILED and event in (
            ConnectionInput.OPEN_STREAM,
            ConnectionInput.SEND,
        ):
            raise _copy(self.error)
        try:
            self.state = next_connection_state(self.state, event)
        except LocalProtocolViolation:
            raise SonioxRealtimeError("Realtime text-to-speech connection is closed") from None

    @property
    def active_streams(self) -> list[TTSStream]:
        """The streams that hold a slot (opened and not yet terminated)."""
        return list(self._active.values())

    def messages_to_send(self) -> list[str]:
        """The JSON text messages to write now, in order (possibly none)."""
        out, self._out = self._out, []
        return out

    @property
    def has_messages_to_send(self) -> bool:
        """Whether ``messages_to_send()`` would return anything."""
        return bool(self._out)

    def _queue(self, message: str, now: float) -> None:
        self._out.append(message)
        self._last_sent = now

    def open_stream(self, config: RealtimeTTSConfig | Mapping[str, Any], now: float) -> TTSStream:
        """Start a stream: queue its config message and return its handle.

        Raises:
            SonioxValidationError: the config is invalid.
            SonioxTTSStreamLimitError: the id is in use by an open stream, or all slots are taken.
            SonioxRealtimeError: the connection is closed or failed.
        """
        checked = coerce_tts_config(config)
        self._connection(ConnectionInput.OPEN_STREAM)
        if checked.stream_id in self._active:
            raise SonioxTTSStreamLimitError(
                f"Stream {checked.stream_id!r} is already active on this connection"
            )
        if len(self._active) >= self.max_streams:
            raise SonioxTTSStreamLimitError(f"Maximum concurrent streams ({self.max_streams}) reached")
        stream = TTSStream(checked)
        self._active[stream.stream_id] = stream
        self._streams.append(stream)
        self._queue(_encode(tts_config_payload(checked)), now)
        return stream

    def _send_check(self, stream: TTSStream, event: StreamInput) -> bool:
        """Apply a send; True when it must go on the wire, False when it is a silent no-op."""
        self._connection(ConnectionInput.SEND)
        if event not in STREAM_TRANSITIONS[stream.state] and stream.error is not None:
            raise _copy(stream.error)  # the stream failed: say why, not just "not allowed"
        silent = event in SILENT_SENDS.get(stream.state, frozenset())
        stream.apply(event)
        return not silent

    def send_text(self, stream: TTSStream, text: str, now: float, *, text_end: bool = False) -> bool:
        """Queue ``text`` for ``stream`` (split into chunks of at most 5000 characters).

        While paused the text is dropped (as in the official SDK); an end of
        text still goes out, so the stream does end. Returns whether any text
        was queued.

        Raises:
            SonioxValidationError: ``text`` is not a string.
            LocalProtocolViolation: the stream's text already ended.
        """
        if not isinstance(text, str):
            raise SonioxValidationError(f"must be a str, not {type(text).__name__}", field="text")
        if self.paused:
            if text_end:
                self.finish(stream, now)
            return False
        if not self._send_check(stream, StreamInput.SEND_TEXT):
            return False
        pieces = list(split_text(text))
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            message = RealtimeTTSTextMessage(
                text=piece, text_end=text_end and last, stream_id=stream.stream_id
            )
            self._queue(_encode(message), now)
        if text_end:
            stream.apply(StreamInput.SEND_TEXT_END)
        return True

    def finish(self, stream: TTSStream, now: float) -> None:
        """Queue the end of ``stream``'s text (an empty chunk with ``text_end``); repeats do nothing."""
        if self._send_check(stream, StreamInput.SEND_TEXT_END):
            end = RealtimeTTSTextMessage(text="", text_end=True, stream_id=stream.stream_id)
            self._queue(_encode(end), now)

    def cancel(self, stream: TTSStream, now: float) -> None:
        """Queue a cancel for ``stream``; the service answers with ``terminated``."""
        if self._send_check(stream, StreamInput.SEND_CANCEL):
            self._queue(_encode(RealtimeTTSCancelMessage(stream_id=stream.stream_id)), now)

    def keep_alive(self, now: float) -> None:
        """Queue a keepalive message (connection-level)."""
        self._connection(ConnectionInput.SEND)
        self._queue(_encode(RealtimeTTSKeepAliveMessage()), now)
        self.keepalives_sent += 1

    def pause(self) -> None:
        """Drop text until ``resume()``; keepalives keep the connection open meanwhile."""
        self.paused = True

    def resume(self, now: float) -> None:
        """Let text through again; streams' event timeouts start over."""
        self.paused = False
        for stream in self._active.values():
            if stream.waiting_since is not None:
                stream.waiting_since = now

    # --- keepalive timer --------------------------------------------------------------------

    def next_keepalive_at(self) -> float | None:
        """When a keepalive falls due (nothing sent for the interval), or ``None`` when closed."""
        if self.state is not ConnectionState.OPEN or self._last_sent is None:
            return None
        return self._last_sent + self.keepalive_interval_sec

    def started(self, now: float) -> None:
        """The connection opened at ``now``: the keepalive schedule starts here."""
        if self._last_sent is None:
            self._last_sent = now

    def handle_timer(self, now: float) -> bool:
        """Queue a keepalive if one is due at ``now``; tells whether it did."""
        due = self.next_keepalive_at()
        if due is not None and now >= due:
            self.keep_alive(now)
            return True
        return False

    # --- incoming -------------------------------------------------------------------------

    def receive_message(self, raw: str | bytes) -> TTSStream | None:
        """Route one message of the service to its stream; returns that stream.

        A malformed message or a connection-level error fails every stream
        (returns ``None``). Messages for streams that are not open are counted
        and dropped.
        """
        if self.state is not ConnectionState.OPEN:
            return None
        text = raw.decode("utf-8", "replace") if isinstance(raw, (bytes, bytearray)) else raw
        try:
            event = parse_tts_event(text)
        except SonioxRealtimeError as exc:
            self.fail(exc)
            return None
        self.last_message = event
        if event.stream_id is None:
            if event.is_error:
                self.fail(_error_from(event), Received(text, event, None))
            return None  # e.g. an answer to a keepalive: nothing to route
        stream = self._active.get(event.stream_id)
        if stream is None:
            self.stray_messages += 1
            return None
        self._route(stream, text, event)
        return stream

    def _route(self, stream: TTSStream, text: str, event: RealtimeTTSEvent) -> None:
        if event.is_error:
            stream.apply(StreamInput.RECV_ERROR)
            stream.fail(_error_from(event), Received(text, event, None))
        else:
            try:
                audio = event.audio_bytes()  # decoded once, as it arrives
            except SonioxTTSAudioError as exc:
                stream.apply(StreamInput.RECV_ERROR)
                stream.fail(exc, Received(text, event, None))
            else:
                if audio is not None or event.audio_end:
                    stream.apply(StreamInput.RECV_AUDIO_END if event.audio_end else StreamInput.RECV_AUDIO)
                if stream.state is not StreamState.ERRORED:  # a failed stream's late audio is dropped
                    stream.queue.append(Received(text, event, audio))
                    stream.audio_bytes_received += len(audio or b"")
        if event.terminated:
            stream.apply(StreamInput.RECV_TERMINATED)
            self._release(stream)

    def backlogged(self) -> bool:
        """Whether the driver should leave further messages in the socket for now.

        True while ``max_backlog`` or more messages wait for the open streams'
        readers and every open stream has some queued (so no reader waits for
        one): the service then runs into TCP flow control instead of the
        client's memory growing with the readers' lag. A stream whose queue is
        empty keeps the socket being read, so reading one stream to its end
        before another never stalls (the others' messages are kept meanwhile).
        """
        active = self._active.values()
        return sum(len(s.queue) for s in active) >= self.max_backlog and all(s.queue for s in active)

    def _release(self, stream: TTSStream) -> None:
        if self._active.get(stream.stream_id) is stream:
            del self._active[stream.stream_id]

    def fail(self, error: SonioxRealtimeError, received: Received | None = None) -> None:
        """A connection-level failure: every stream still open raises ``error`` after its queue."""
        if self.state is not ConnectionState.OPEN:
            return
        self.error = error
        self._connection(ConnectionInput.FAIL)
        for stream in list(self._active.values()):
            stream.apply(StreamInput.CONNECTION_FAILED)
            stream.fail(_copy(error), received)
            self._release(stream)

    def connection_ended(self, error: SonioxRealtimeError | None = None) -> None:
        """The connection closed (by us or the service) or was lost.

        Streams that still expected audio fail with ``error`` (a lost-connection
        error by default); streams whose audio was complete end quietly.
        """
        if self.state is not ConnectionState.OPEN:
            return
        self._connection(ConnectionInput.CLOSE)
        reason = error or SonioxRealtimeError("Connection closed before the stream terminated")
        for stream in list(self._active.values()):
            if stream.apply(StreamInput.CONNECTION_ENDED) is StreamState.FAILED:
                stream.fail(_copy(reason))
            self._release(stream)

    # --- events for the caller ------------------------------------------------------------------

    def next_event(self, stream: TTSStream, now: float) -> Received | TTSSignal:
        """``stream``'s next message, ``TTS_NEED_DATA`` or ``TTS_END``.

        Raises the stream's error (after the messages that came before it): a
        service error with its ``code``, a connection failure, or
        ``SonioxRealtimeTimeoutError`` when the stream waited longer than the
        event timeout (not counted while paused).
        """
        if stream.queue:
            item = stream.queue.popleft()
            stream.waiting_since = None
            if isinstance(item, _Failure):
                if item.received is not None:
                    stream.last_message = item.received.event
                    stream._error_raw = item.received.raw
                raise _copy(item.error)
            stream.last_message = item.event
            return item
        if stream.error is not None:
            raise _copy(stream.error)
        if stream.state in FINAL_STATES:
            return TTS_END
        if self.paused or self.event_timeout_sec is None:
            return TTS_NEED_DATA
        if stream.waiting_since is None:
            stream.waiting_since = now
        elif now - stream.waiting_since >= self.event_timeout_sec:
            self.time_out(stream)
            return self.next_event(stream, now)
        return TTS_NEED_DATA

    def event_deadline(self, stream: TTSStream) -> float | None:
        """When ``stream`` times out if nothing arrives for it (``None``: no deadline now)."""
        if self.paused or self.event_timeout_sec is None or stream.waiting_since is None:
            return None
        return stream.waiting_since + self.event_timeout_sec

    def time_out(self, stream: TTSStream) -> None:
        """``stream`` waited too long: it fails with a timeout and frees its slot."""
        if stream.state in FINAL_STATES:
            return
        stream.apply(StreamInput.TIMEOUT)
        stream.fail(
            SonioxRealtimeTimeoutError(
                f"Timed out waiting for an event for stream {stream.stream_id!r}"
            )
        )
        if not stream.holds_slot:
            self._release(stream)

    def iter_streams(self) -> Iterator[TTSStream]:
        """Every stream opened on this connection, in order."""
        return iter(self._streams)
