"""Realtime speech-to-text for the async client (anyio: asyncio and trio).

The protocol lives in ``soniox_core.realtime.RealtimeSession``; this module only
moves its bytes over an anyio stream, keeps the time, and runs the keepalive
timer as a task beside the caller's code.

    config = RealtimeSTTConfig(model="stt-rt-v4")
    async with client.realtime.stt.connect(config=config) as session:
        session.send_in_background(stream_audio("speech.wav", speed=1.0))
        transcript = TranscriptAccumulator()
        async for event in session:          # ends after the `finished` event
            transcript.add(event)
            print(transcript.text)
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Mapping
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, cast

import anyio
import anyio.abc
import anyio.lowlevel
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

from ._ws_driver import AsyncWebSocketDriver

if TYPE_CHECKING:
    from ._realtime_tts import AsyncRealtimeTTSClient

__all__ = [
    "AsyncRealtimeAPI",
    "AsyncRealtimeSTTClient",
    "AsyncRealtimeSTTSession",
    "stream_audio",
]

EventHandler = Callable[[RealtimeEvent], Awaitable[None] | None]


class AsyncRealtimeAPI:
    """``client.realtime``: the realtime APIs of the async client."""

    def __init__(self, config: ClientConfig) -> None:
        self._config = config

    @cached_property
    def stt(self) -> AsyncRealtimeSTTClient:
        """Realtime speech-to-text sessions."""
        return AsyncRealtimeSTTClient(self._config)

    @cached_property
    def tts(self) -> AsyncRealtimeTTSClient:
        """Realtime text-to-speech connections."""
        from ._realtime_tts import AsyncRealtimeTTSClient

        return AsyncRealtimeTTSClient(self._config)


class AsyncRealtimeSTTClient:
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
    ) -> AsyncRealtimeSTTSession:
        """A new session, connected when entered with ``async with``.

        ``config`` is checked now: a bad value raises ``SonioxValidationError``
        before any connection is made. ``api_key`` overrides the client's key
        (e.g. a temporary key). ``connect_timeout_sec`` bounds the TCP, TLS and
        WebSocket handshakes; ``receive_timeout_sec`` is how long the server
        may stay silent while you wait for an event (not counted while paused;
        ``None`` waits forever). A keepalive goes out whenever no audio was sent
        for ``keepalive_interval_sec``.
        """
        return AsyncRealtimeSTTSession(
            plan_session(
                self._config,
                config,
                api_key=api_key,
                connect_timeout_sec=connect_timeout_sec,
                receive_timeout_sec=receive_timeout_sec,
                keepalive_interval_sec=keepalive_interval_sec,
            )
        )


class AsyncRealtimeSTTSession(SessionView):
    """One realtime speech-to-text session; use it as ``async with session:``.

    Send audio (``send_bytes``/``send_byte_chunk``) and read events
    (``receive_event``, ``async for event in session``) at the same time, from
    two tasks. Server error messages raise ``SonioxRealtimeError`` carrying the
    server's ``code``; a dropped connection raises it too, never hangs. Leaving
    the block closes the socket, also on error and cancellation.
    """

    def __init__(self, plan: SessionPlan) -> None:
        super().__init__(plan)
        self._driver: AsyncWebSocketDriver[RealtimeEvent] = AsyncWebSocketDriver(
            plan.session,
            DriverOptions(
                tls=plan.tls,
                connect_timeout_sec=plan.connect_timeout_sec,
                receive_timeout_sec=plan.receive_timeout_sec,
                write_timeout_sec=plan.write_timeout_sec,
            ),
        )

    # --- lifecycle ----------------------------------------------------------------------

    async def __aenter__(self) -> AsyncRealtimeSTTSession:
        await self._driver.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._driver.__aexit__(exc_type, exc, tb)

    async def close(self) -> None:
        """End the session and close the socket; safe to call more than once.

        Sends a close frame (not another end-of-audio) and waits briefly for the
        server's answer. Shielded, so it completes even when cancelled.
        """
        await self._driver.close()

    aclose = close

    # --- sending ------------------------------------------------------------------------

    async def send_byte_chunk(self, chunk: bytes) -> None:
        """Send one chunk of audio (one binary frame). Dropped while paused.

        Returns once the frame is queued; the session's writer task sends it at
        the next scheduling point. Waits only while 64 KiB or more is queued, so
        a fast sender is held back by the connection. A failed write is raised
        by the next call.
        """
        driver = self._driver
        driver.require_open()
        self._core.send_audio(chunk, driver.clock())
        await driver.flush()

    async def send_bytes(
        self,
        chunks: bytes | Iterable[bytes] | AsyncIterable[bytes],
        *,
        finish: bool = True,
    ) -> None:
        """Send audio: one ``bytes`` chunk, or every chunk of an (async) iterable.

        After an iterable, the end of audio is sent too unless ``finish=False``.
        A single ``bytes`` never finishes the stream, so you can call this repeatedly.
        """
        if isinstance(chunks, (bytes, bytearray, memoryview)):
            await self.send_byte_chunk(bytes(chunks))
            return
        if isinstance(chunks, AsyncIterable):
            async for chunk in chunks:
                await self.send_byte_chunk(chunk)
        else:
            for chunk in chunks:
                await self.send_byte_chunk(chunk)
        if finish:
            await self.finish()

    async def finish(self) -> None:
        """Tell the server the audio is over; it sends the last tokens, then ``finished``."""
        self._driver.require_open()
        self._core.finish()
        await self._driver.flush()

    async def finalize(self, *, trailing_silence_ms: int | None = None) -> None:
        """Ask for every pending token now, as final, followed by a ``<fin>`` token."""
        self._driver.require_open()
        self._core.finalize(trailing_silence_ms=trailing_silence_ms)
        await self._driver.flush()

    async def keep_alive(self) -> None:
        """Send a keepalive now (they also go out by themselves when the stream is idle)."""
        self._driver.require_open()
        self._core.keep_alive(self._driver.clock())
        await self._driver.flush()

    async def pause(self, *, finalize: bool = True) -> None:
        """Stop sending audio (chunks sent meanwhile are dropped) without ending the session.

        Keepalives keep the session open; the server still bills the time.
        ``finalize`` first asks for the pending tokens as final.
        """
        self._driver.require_open()
        self._core.pause(finalize=finalize)
        await self._driver.flush()

    async def resume(self) -> None:
        """Let audio through again after ``pause()``."""
        self._driver.require_open()
        self._core.resume()

    # --- receiving ----------------------------------------------------------------------

    async def receive_event(self) -> RealtimeEvent | None:
        """The next event, or ``None`` once the session is over (after ``finished``).

        Raises ``SonioxRealtimeError`` for a server error message (with its
        ``code``), a lost connection, or ``SonioxRealtimeTimeoutError`` when the
        server stays silent for longer than the receive timeout.
        """
        return await self._driver.receive()

    async def send_control_message(self, control_type: RealtimeControlType | str) -> None:
        """Send a control message by name: ``"finish"``, ``"keep_alive"`` or ``"finalize"``.

        Args:
            control_type: Which message (a ``RealtimeControlType`` or its value).

        Raises:
            SonioxValidationError: ``control_type`` names no control message.
            SonioxRealtimeError: the session is not connected, or it failed.
        """
        kind = coerce_control_type(control_type)
        if kind is RealtimeControlType.FINISH:
            await self.finish()
        elif kind is RealtimeControlType.KEEP_ALIVE:
            await self.keep_alive()
        else:
            await self.finalize()

    async def recv_bytes(self) -> bytes:
        """The next message from the server exactly as it came, or ``b""`` once the session is over.

        A server error message is returned as it is (the next call raises it);
        ``parse_event`` turns a message into a ``RealtimeEvent``.

        Raises:
            SonioxRealtimeError: the connection failed; ``SonioxRealtimeTimeoutError``
                when the server stays silent for longer than the receive timeout.
        """
        try:
            event = await self._driver.receive()
        except SonioxRealtimeError:
            raw = self._core.take_last_raw()
            if raw is not None:
                return raw
            raise
        if event is None:
            return b""
        return self._core.take_last_raw() or msgspec.json.encode(event)

    def parse_event(self, raw: str | bytes) -> RealtimeEvent:
        """Parse a message from ``recv_bytes`` into an event.

        Raises:
            SonioxRealtimeError: the message is malformed.
        """
        return parse_event(raw)

    async def receive_events(self) -> AsyncIterator[RealtimeEvent]:
        """Every event until the session finishes."""
        while (event := await self.receive_event()) is not None:
            yield event

    def __aiter__(self) -> AsyncIterator[RealtimeEvent]:
        return self.receive_events()

    async def handle_events(self, handler: EventHandler) -> None:
        """Call ``handler(event)`` (plain or async function) for every event."""
        async for event in self.receive_events():
            result = handler(event)
            if inspect.isawaitable(result):
                await result

    def send_in_background(
        self,
        chunks: bytes | Iterable[bytes] | AsyncIterable[bytes],
        *,
        finish: bool = True,
    ) -> None:
        """Run ``send_bytes(chunks)`` as a task of the session, so this task can receive.

        Its failure (if any) is not lost: the session records it, and
        ``receive_event`` raises it.
        """
        self._driver.start_background(lambda: self.send_bytes(chunks, finish=finish))


async def stream_audio(
    source: bytes | str | Path | IO[bytes] | Iterable[bytes] | AsyncIterable[bytes],
    *,
    chunk_size_bytes: int = DEFAULT_CHUNK_SIZE_BYTES,
    speed: float | None = None,
    bytes_per_second: float | None = None,
) -> AsyncIterator[bytes]:
    """Yield audio in chunks, optionally at real-time pace, for ``session.send_bytes``.

    ``source`` is bytes, a file path, a binary file object, or an (async)
    iterable of chunks. ``speed=None`` sends as fast as the connection takes it;
    ``speed=1.0`` paces at real time (``2.0`` twice as fast), which needs the
    byte rate: taken from a WAV header, else pass ``bytes_per_second``.
    """
    check_chunk_size(chunk_size_bytes)
    pacer = StreamPacer(speed, bytes_per_second)
    async for chunk in _chunks(source, chunk_size_bytes):
        delay = pacer.delay_before(chunk, anyio.current_time())
        if delay > 0:
            await anyio.sleep(delay)
        yield chunk


async def _chunks(
    source: bytes | str | Path | IO[bytes] | Iterable[bytes] | AsyncIterable[bytes],
    size: int,
) -> AsyncIterator[bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        for chunk in split_chunks(bytes(source), size):
            yield chunk
    elif isinstance(source, (str, Path)):
        async with await anyio.open_file(source, "rb") as async_file:
            while chunk := await async_file.read(size):
                yield chunk
    elif isinstance(source, AsyncIterable):
        async for chunk in source:
            yield chunk
    elif hasattr(source, "read"):
        handle = cast("IO[bytes]", source)
        # File reads can block; a worker thread keeps the event loop free.
        while chunk := await anyio.to_thread.run_sync(handle.read, size):
            yield chunk
    else:
        for chunk in source:
            yield chunk
