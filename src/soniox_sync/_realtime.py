"""Realtime speech-to-text for the blocking client.

The twin of ``soniox_async._realtime`` with the same names: the protocol lives
in ``soniox_core.realtime.RealtimeSession``; this module moves its bytes over a
stdlib socket (TLS from ``ssl``), keeps the time, and runs a small keepalive
thread while the session streams, so a session never goes quiet on the server
while the caller is busy elsewhere.

    config = RealtimeSTTConfig(model="stt-rt-v4")
    with client.realtime.stt.connect(config=config) as session:
        session.send_in_background(stream_audio("speech.wav", speed=1.0))
        transcript = TranscriptAccumulator()
        for event in session:                # ends after the `finished` event
            transcript.add(event)
            print(transcript.text)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, cast

import msgspec

from soniox_core._config import ClientConfig
from soniox_core._errors import SonioxRealtimeError
from soniox_core.realtime import (
    DEFAULT_CHUNK_SIZE_BYTES,
    DEFAULT_CONNECT_TIMEOUT_SEC,
    DEFAULT_KEEPALIVE_INTERVAL_SEC,
    DEFAULT_RECEIVE_TIMEOUT_SEC,
    RealtimeControlType,
    RealtimeEvent,
    RealtimeSTTConfig,
    SessionPlan,
    coerce_control_type,
    parse_event,
    plan_session,
    split_chunks,
)
from soniox_core.realtime._audio import StreamPacer, check_chunk_size
from soniox_core.realtime._driver import SessionView
from soniox_core.websocket._options import DriverOptions

from ._ws_driver import WebSocketDriver

if TYPE_CHECKING:
    from ._realtime_tts import RealtimeTTSClient

__all__ = ["RealtimeAPI", "RealtimeSTTClient", "RealtimeSTTSession", "stream_audio"]


class RealtimeAPI:
    """``client.realtime``: the realtime APIs of the blocking client."""

    def __init__(self, config: ClientConfig) -> None:
        self._config = config

    @cached_property
    def stt(self) -> RealtimeSTTClient:
        """Realtime speech-to-text sessions."""
        return RealtimeSTTClient(self._config)

    @cached_property
    def tts(self) -> RealtimeTTSClient:
        """Realtime text-to-speech connections."""
        from ._realtime_tts import RealtimeTTSClient

        return RealtimeTTSClient(self._config)


class RealtimeSTTClient:
    """Opens realtime speech-to-text sessions: ``client.realtime.stt.connect(config=...)``."""

    def __init__(self, config: ClientConfig) -> None:
        self._config = config

    def connect(
        self,
        config: RealtimeSTTConfig | Mapping[str, Any] | None = None,
        *,
        api_key: str | None = None,
        connect_timeout_sec: float = DEFAULT_CONNECT_TIMEOUT_SEC,
        receive_timeout_sec: float | None = DEFAULT_RECEIVE_TIMEOUT_SEC,
        keepalive_interval_sec: float = DEFAULT_KEEPALIVE_INTERVAL_SEC,
    ) -> RealtimeSTTSession:
        """A new session, connected when entered with ``with``.

        ``config`` is checked now: a bad value raises ``SonioxValidationError``
        before any connection is made. ``api_key`` overrides the client's key
        (e.g. a temporary key). ``connect_timeout_sec`` bounds the TCP, TLS and
        WebSocket handshakes; ``receive_timeout_sec`` is how long the server
        may stay silent while you wait for an event (not counted while paused;
        ``None`` waits forever). A keepalive goes out whenever no audio was sent
        for ``keepalive_interval_sec``.
        """
        return RealtimeSTTSession(
            plan_session(
                self._config,
                config,
                api_key=api_key,
                connect_timeout_sec=connect_timeout_sec,
                receive_timeout_sec=receive_timeout_sec,
                keepalive_interval_sec=keepalive_interval_sec,
            )
        )


class RealtimeSTTSession(SessionView):
    """One realtime speech-to-text session; use it as ``with session:``.

    Send audio from one thread (``send_bytes``/``send_byte_chunk``) while
    another reads events (``receive_event``, ``for event in session``). Server
    error messages raise ``SonioxRealtimeError`` carrying the server's
    ``code``; a dropped connection raises it too, never hangs. Leaving the
    block closes the socket, also on error and Ctrl-C.
    """

    def __init__(self, plan: SessionPlan) -> None:
        super().__init__(plan)
        self._driver: WebSocketDriver[RealtimeEvent] = WebSocketDriver(
            plan.session,
            DriverOptions(
                tls=plan.tls,
                connect_timeout_sec=plan.connect_timeout_sec,
                receive_timeout_sec=plan.receive_timeout_sec,
                write_timeout_sec=plan.write_timeout_sec,
            ),
        )

    # --- lifecycle ----------------------------------------------------------------------

    def __enter__(self) -> RealtimeSTTSession:
        self._driver.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._driver.__exit__(exc_type, exc, tb)

    def close(self) -> None:
        """End the session and close the socket; safe to call more than once.

        Sends a close frame (not another end-of-audio) and waits briefly for the
        server's answer.
        """
        self._driver.close()

    def _do(self, action: Callable[[], object]) -> None:
        self._driver.do(action)

    # --- sending ------------------------------------------------------------------------

    def send_byte_chunk(self, chunk: bytes) -> None:
        """Send one chunk of audio. Dropped while paused."""
        self._do(lambda: self._core.send_audio(chunk, self._driver.clock()))

    def send_bytes(self, chunks: bytes | Iterable[bytes], *, finish: bool = True) -> None:
        """Send audio: one ``bytes`` chunk, or every chunk of an iterable.

        After an iterable, the end of audio is sent too unless ``finish=False``.
        A single ``bytes`` never finishes the stream, so you can call this repeatedly.
        """
        if isinstance(chunks, (bytes, bytearray, memoryview)):
            self.send_byte_chunk(bytes(chunks))
            return
        for chunk in chunks:
            self.send_byte_chunk(chunk)
        if finish:
            self.finish()

    def finish(self) -> None:
        """Tell the server the audio is over; it sends the last tokens, then ``finished``."""
        self._do(self._core.finish)

    def finalize(self, *, trailing_silence_ms: int | None = None) -> None:
        """Ask for every pending token now, as final, followed by a ``<fin>`` token."""
        self._do(lambda: self._core.finalize(trailing_silence_ms=trailing_silence_ms))

    def keep_alive(self) -> None:
        """Send a keepalive now (they also go out by themselves when the stream is idle)."""
        self._do(lambda: self._core.keep_alive(self._driver.clock()))

    def pause(self, *, finalize: bool = True) -> None:
        """Stop sending audio (chunks sent meanwhile are dropped) without ending the session.

        Keepalives keep the session open; the server still bills the time.
        ``finalize`` first asks for the pending tokens as final.
        """
        self._do(lambda: self._core.pause(finalize=finalize))

    def resume(self) -> None:
        """Let audio through again after ``pause()``."""
        self._do(self._core.resume)

    # --- receiving ----------------------------------------------------------------------

    def receive_event(self) -> RealtimeEvent | None:
        """The next event, or ``None`` once the session is over (after ``finished``).

        Raises ``SonioxRealtimeError`` for a server error message (with its
        ``code``), a lost connection, or ``SonioxRealtimeTimeoutError`` when the
        server stays silent for longer than the receive timeout.
        """
        return self._driver.receive()

    def send_control_message(self, control_type: RealtimeControlType | str) -> None:
        """Send a control message by name: ``"finish"``, ``"keep_alive"`` or ``"finalize"``.

        Args:
            control_type: Which message (a ``RealtimeControlType`` or its value).

        Raises:
            SonioxValidationError: ``control_type`` names no control message.
            SonioxRealtimeError: the session is not connected, or it failed.
        """
        kind = coerce_control_type(control_type)
        if kind is RealtimeControlType.FINISH:
            self.finish()
        elif kind is RealtimeControlType.KEEP_ALIVE:
            self.keep_alive()
        else:
            self.finalize()

    def recv_bytes(self) -> bytes:
        """The next message from the server exactly as it came, or ``b""`` once the session is over.

        A server error message is returned as it is (the next call raises it);
        ``parse_event`` turns a message into a ``RealtimeEvent``.

        Raises:
            SonioxRealtimeError: the connection failed; ``SonioxRealtimeTimeoutError``
                when the server stays silent for longer than the receive timeout.
        """
        try:
            event = self.receive_event()
        except SonioxRealtimeError:
            with self._driver.lock:
                raw = self._core.take_last_raw()
            if raw is not None:
                return raw
            raise
        if event is None:
            return b""
        with self._driver.lock:
            raw = self._core.take_last_raw()
        return raw or msgspec.json.encode(event)

    def parse_event(self, raw: str | bytes) -> RealtimeEvent:
        """Parse a message from ``recv_bytes`` into an event.

        Raises:
            SonioxRealtimeError: the message is malformed.
        """
        return parse_event(raw)

    def receive_events(self) -> Iterator[RealtimeEvent]:
        """Every event until the session finishes."""
        while (event := self.receive_event()) is not None:
            yield event

    def __iter__(self) -> Iterator[RealtimeEvent]:
        return self.receive_events()

    def handle_events(self, handler: Callable[[RealtimeEvent], object]) -> None:
        """Call ``handler(event)`` for every event."""
        for event in self.receive_events():
            handler(event)

    def send_in_background(self, chunks: bytes | Iterable[bytes], *, finish: bool = True) -> threading.Thread:
        """Run ``send_bytes(chunks)`` on a helper thread, so this one can receive.

        The thread's failure (if any) is not lost: the session records it, and
        ``receive_event`` raises it.
        """

        return self._driver.start_background(lambda: self.send_bytes(chunks, finish=finish))


def stream_audio(
    source: bytes | str | Path | IO[bytes] | Iterable[bytes],
    *,
    chunk_size_bytes: int = DEFAULT_CHUNK_SIZE_BYTES,
    speed: float | None = None,
    bytes_per_second: float | None = None,
) -> Iterator[bytes]:
    """Yield audio in chunks, optionally at real-time pace, for ``session.send_bytes``.

    ``source`` is bytes, a file path, a binary file object, or an iterable of
    chunks. ``speed=None`` sends as fast as the connection takes it;
    ``speed=1.0`` paces at real time (``2.0`` twice as fast), which needs the
    byte rate: taken from a WAV header, else pass ``bytes_per_second``.
    """
    check_chunk_size(chunk_size_bytes)
    pacer = StreamPacer(speed, bytes_per_second)
    for chunk in _chunks(source, chunk_size_bytes):
        delay = pacer.delay_before(chunk, time.monotonic())
        if delay > 0:
            time.sleep(delay)
        yield chunk


def _chunks(source: bytes | str | Path | IO[bytes] | Iterable[bytes], size: int) -> Iterator[bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield from split_chunks(bytes(source), size)
    elif isinstance(source, (str, Path)):
        with open(source, "rb") as handle:
            while chunk := handle.read(size):
                yield chunk
    elif hasattr(source, "read"):
        stream = cast("IO[bytes]", source)
        while chunk := stream.read(size):
            yield chunk
    else:
        yield from source
