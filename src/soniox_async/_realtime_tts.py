"""Realtime text-to-speech: ``client.realtime.tts`` (asyncio and trio here; blocking in the twin).

The protocol lives in ``soniox_core.realtime.tts`` (``TTSSession`` and its
``TTSProtocol``); the generic ``AsyncWebSocketDriver`` moves its bytes and runs
its keepalive timer; here a background reader routes every message to its
stream and wakes that stream's reader. ``scripts/unasync.py`` generates the
blocking twin from this file.

    config = RealtimeTTSConfig(stream_id="s1", model="tts-rt-v1", language="en",
                               voice="Adrian", audio_format="wav")
    async with client.realtime.tts.connect(config=config) as tts:
        await tts.send_text_chunks(llm_tokens())       # then finish()
        async for chunk in tts.receive_audio_chunks():
            play(chunk)
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Mapping
from types import TracebackType
from typing import Any

from soniox_core._config import ClientConfig
from soniox_core._errors import SonioxRealtimeError
from soniox_core.realtime.tts import (
    TTS_END,
    RealtimeTTSConfig,
    RealtimeTTSEvent,
    Received,
    TTSStream,
    parse_tts_event,
)
from soniox_core.realtime.tts._driver import DEFAULT_TTS_CONNECT_TIMEOUT_SEC, TTSPlan, plan_tts_connection
from soniox_core.realtime.tts._session import Routed
from soniox_core.websocket._options import DriverOptions

from . import _backend as backend
from ._ws_driver import AsyncWebSocketDriver

__all__ = [
    "AsyncRealtimeTTSClient",
    "AsyncRealtimeTTSConnection",
    "AsyncRealtimeTTSMultiplexedConnection",
    "AsyncRealtimeTTSStream",
]

TextChunks = str | Iterable[str] | AsyncIterable[str]
_BACKLOG_POLL_SEC = 0.05


class AsyncRealtimeTTSClient:
    """Opens realtime text-to-speech connections: ``client.realtime.tts``."""

    def __init__(self, config: ClientConfig) -> None:
        self._config = config

    def connect(
        self,
        *,
        config: RealtimeTTSConfig | Mapping[str, Any],
        api_key: str | None = None,
        connect_timeout_sec: float = DEFAULT_TTS_CONNECT_TIMEOUT_SEC,
    ) -> AsyncRealtimeTTSConnection:
        """A single-stream connection, opened when entered with ``async with``.

        Args:
            config: The stream's settings (voice, model, format ...).
            api_key: Overrides the client's key, e.g. a temporary key made with
                ``usage_type="tts_rt"``.
            connect_timeout_sec: Bound on the TCP, TLS and WebSocket handshakes.

        Returns:
            The connection; nothing is opened until ``async with``.

        Raises:
            SonioxValidationError: an argument is invalid (checked now, before any connection).
        """
        plan = plan_tts_connection(
            self._config, config, multi_stream=False, api_key=api_key, connect_timeout_sec=connect_timeout_sec
        )
        return AsyncRealtimeTTSConnection(plan)

    def connect_multi_stream(
        self,
        *,
        connect_timeout_sec: float = DEFAULT_TTS_CONNECT_TIMEOUT_SEC,
        api_key: str | None = None,
    ) -> AsyncRealtimeTTSMultiplexedConnection:
        """A connection for up to five concurrent streams (``open_stream``), opened by ``async with``.

        Args:
            connect_timeout_sec: Bound on the TCP, TLS and WebSocket handshakes.
            api_key: Overrides the client's key (an addition to the official SDK).

        Returns:
            The connection; nothing is opened until ``async with``.

        Raises:
            SonioxValidationError: an argument is invalid.
        """
        plan = plan_tts_connection(
            self._config, None, multi_stream=True, api_key=api_key, connect_timeout_sec=connect_timeout_sec
        )
        return AsyncRealtimeTTSMultiplexedConnection(plan)


class AsyncRealtimeTTSMultiplexedConnection:
    """One WebSocket carrying up to five text-to-speech streams; use ``async with``.

    Each stream (``open_stream``) can be driven from its own task or thread;
    events are routed to the right stream and the others' are kept until read.
    A service error for one stream raises on that stream only; a connection
    error raises on all. Leaving the block closes the socket, also on error and
    cancellation.
    """

    def __init__(self, plan: TTSPlan) -> None:
        self._plan = plan
        self._session = plan.session
        self._protocol = plan.session.protocol
        # Streams time out by their own deadlines (kept by the protocol), so the
        # driver has no receive timeout of its own.
        self._driver: AsyncWebSocketDriver[Routed] = AsyncWebSocketDriver(
            plan.session,
            DriverOptions(
                tls=plan.tls,
                connect_timeout_sec=plan.connect_timeout_sec,
                receive_timeout_sec=None,
                write_timeout_sec=plan.write_timeout_sec,
                proxy=plan.proxy,
            ),
        )
        # A background job reads the socket for every stream; after each message
        # it sets `_routed` (and replaces it), which the streams' readers wait on,
        # each bounded by its own deadline. Guarded by the driver's guard.
        self._routed = backend.Event()
        # While the streams' readers lag behind (``protocol.backlogged()``), the
        # background reader waits on `_drained`, which a reader sets when it takes a
        # message; `_closing` lets it stop waiting. Guarded by the driver's guard.
        self._drained = backend.Event()
        self._reading_paused = False
        self._closing = False

    # --- properties ---------------------------------------------------------------------------

    @property
    def paused(self) -> bool:
        """Whether text is currently dropped (see ``pause()``)."""
        return self._protocol.paused

    @property
    def last_message(self) -> RealtimeTTSEvent | None:
        """The latest message received on the connection, for any stream."""
        return self._protocol.last_message

    # --- lifecycle ----------------------------------------------------------------------------

    async def __aenter__(self) -> AsyncRealtimeTTSMultiplexedConnection:
        driver = self._driver
        await driver.__aenter__()
        driver.start_background(self._read_messages)  # stops with the driver
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop_waiting_for_readers()
        try:
            await self._driver.__aexit__(exc_type, exc, tb)
        finally:
            self._wake_readers()

    async def close(self) -> None:
        """Close the socket (after a close handshake of at most 2 s); safe to call more than once.

        Streams that had not received all their audio fail with a
        ``SonioxRealtimeError``. Completes even when cancelled.
        """
        self._stop_waiting_for_readers()
        try:
            await self._driver.close()
        finally:
            self._wake_readers()

    aclose = close  # unasync: drop

    def _stop_waiting_for_readers(self) -> None:
        with self._driver.guard:
            self._closing = True
            drained = self._drained
        drained.set()

    def _wake_readers(self) -> None:
        with self._driver.guard:
            routed, self._routed = self._routed, backend.Event()
        routed.set()

    # --- sending ----------------------------------------------------------------------------------

    async def _do(self, action: Callable[[float], object]) -> None:
        driver = self._driver
        await driver.apply(lambda: action(driver.clock()))

    async def open_stream(self, *, config: RealtimeTTSConfig | Mapping[str, Any]) -> AsyncRealtimeTTSStream:
        """Start a stream on this connection by sending its config.

        Args:
            config: The stream's settings; its ``stream_id`` must not be in use
                by a stream that has not terminated.

        Returns:
            The stream's handle.

        Raises:
            SonioxValidationError: the config is invalid.
            SonioxTTSStreamLimitError: the id is in use, or five streams are open.
            SonioxRealtimeError: the connection is closed or failed.
        """
        opened: list[TTSStream] = []
        await self._do(lambda now: opened.append(self._protocol.open_stream(config, now)))
        return AsyncRealtimeTTSStream(self, opened[0])

    async def keep_alive(self) -> None:
        """Send a keepalive now (one also goes out by itself after 25 s without any message).

        Raises:
            SonioxRealtimeError: the connection is closed or failed.
        """
        await self._do(self._protocol.keep_alive)

    async def pause(self) -> None:
        """Drop outgoing text until ``resume()``; keepalives keep the connection open meanwhile.

        Raises:
            SonioxRealtimeError: the connection is closed or failed.
        """
        await self._do(lambda now: self._protocol.pause())

    async def resume(self) -> None:
        """Let text through again after ``pause()``; the streams' event timeouts start over.

        Raises:
            SonioxRealtimeError: the connection is closed or failed.
        """
        await self._do(self._protocol.resume)

    # --- receiving --------------------------------------------------------------------------------

    async def _read_messages(self) -> None:
        """The background reader: routes every message, then wakes the streams' readers."""
        driver = self._driver
        protocol = self._protocol
        try:
            while True:
                with driver.guard:
                    wait = protocol.backlogged() and not self._closing
                    if wait:
                        self._reading_paused = True
                        drained = self._drained
                if wait:
                    # The messages stay in the socket, so TCP slows the service down
                    # instead of the queue growing; the poll bounds a missed wake-up.
                    await backend.wait_event(drained, _BACKLOG_POLL_SEC)
                    continue
                if await driver.receive() is None:
                    break
                self._wake_readers()
        except SonioxRealtimeError as exc:
            # Recorded by the session, which failed the streams; a failure it did
            # not see (the socket gone under us) fails them here.
            with driver.guard:
                self._protocol.fail(exc)
        finally:
            with driver.guard:
                self._protocol.connection_ended()  # nothing more will be read
            self._wake_readers()

    async def _next(self, stream: TTSStream) -> Received | None:
        """``stream``'s next message: waits for the reader, bounded by the stream's deadline."""
        driver = self._driver
        while True:
            with driver.guard:
                item = self._protocol.next_event(stream, driver.clock())
                if isinstance(item, Received):
                    if self._reading_paused:
                        self._reading_paused = False
                        drained, self._drained = self._drained, backend.Event()
                        drained.set()
                    return item
                if item is TTS_END:
                    return None
                deadline = self._protocol.event_deadline(stream)
                routed = self._routed
            timeout = None if deadline is None else max(0.0, deadline - driver.clock())
            await backend.wait_event(routed, timeout)


class _StreamOps:
    """What a stream handle and the single-stream connection both offer."""

    _connection: AsyncRealtimeTTSMultiplexedConnection
    _core: TTSStream

    @property
    def config(self) -> RealtimeTTSConfig:
        """The configuration this stream was opened with."""
        return self._core.config

    @property
    def stream_id(self) -> str:
        """The stream's id."""
        return self._core.stream_id

    @property
    def last_message(self) -> RealtimeTTSEvent | None:
        """The latest event received for this stream, error messages included."""
        return self._core.last_message

    async def send_text_chunk(self, text: str, *, text_end: bool = False) -> None:
        """Send one piece of text as soon as you have it (e.g. an LLM token).

        Text longer than 5000 characters is split at sentence or word ends.
        While paused the text is dropped, but ``text_end`` still ends the stream.

        Args:
            text: The next piece of text.
            text_end: Whether this is the last piece (no more text follows).

        Raises:
            SonioxValidationError: ``text`` is not a str.
            SonioxRealtimeError: the stream's text already ended, or the stream or connection failed.
        """
        conn = self._connection
        await conn._do(lambda now: conn._protocol.send_text(self._core, text, now, text_end=text_end))

    async def send_text_chunks(self, chunks: TextChunks, *, text_end: bool = True) -> None:
        """Send text: a str as one message, or every chunk of an (async) iterable, then ``finish()``.

        Args:
            chunks: The text, or an (async) iterable of pieces as they are produced.
            text_end: Whether the stream's text ends after these chunks.

        Raises:
            SonioxValidationError: a chunk is not a str.
            SonioxRealtimeError: the stream's text already ended, or the stream or connection failed.
        """
        if isinstance(chunks, str):
            await self.send_text_chunk(chunks, text_end=text_end)
            return
        if isinstance(chunks, AsyncIterable):
            async for chunk in chunks:
                await self.send_text_chunk(chunk)
        else:
            for chunk in chunks:
                await self.send_text_chunk(chunk)
        if text_end:
            await self.finish()

    async def finish(self) -> None:
        """Say that no more text follows; the remaining audio, then ``terminated``, comes back.

        A second call does nothing.

        Raises:
            SonioxRealtimeError: the stream or the connection failed, or the connection is closed.
        """
        conn = self._connection
        await conn._do(lambda now: conn._protocol.finish(self._core, now))

    async def cancel(self) -> None:
        """Stop the stream; the service answers with ``terminated``.

        Raises:
            SonioxRealtimeError: the stream or the connection failed, or the connection is closed.
        """
        conn = self._connection
        await conn._do(lambda now: conn._protocol.cancel(self._core, now))

    async def keep_alive(self) -> None:
        """Send a keepalive on the connection.

        Raises:
            SonioxRealtimeError: the connection is closed or failed.
        """
        await self._connection.keep_alive()

    async def pause(self) -> None:
        """Pause the connection's text (keepalives continue).

        Raises:
            SonioxRealtimeError: the connection is closed or failed.
        """
        await self._connection.pause()

    async def resume(self) -> None:
        """Resume the connection's text.

        Raises:
            SonioxRealtimeError: the connection is closed or failed.
        """
        await self._connection.resume()

    async def _next_item(self) -> Received | None:
        return await self._connection._next(self._core)

    async def receive_event(self) -> RealtimeTTSEvent | None:
        """The stream's next event, or ``None`` once it is over.

        Returns:
            The event (``audio_bytes()`` decodes its audio), or ``None`` after ``terminated``.

        Raises:
            SonioxRealtimeError: the service reported an error for the stream (with
                its ``code``), or the connection failed.
            SonioxTTSAudioError: an audio payload was not valid base64.
            SonioxRealtimeTimeoutError: no event came for 60 s (not counted while paused).
        """
        item = await self._next_item()
        return None if item is None else item.event

    async def receive_events(self) -> AsyncIterator[RealtimeTTSEvent]:
        """Every event of the stream, up to and including ``terminated``.

        Returns:
            The events, as they come.

        Raises:
            SonioxRealtimeError: as ``receive_event``: a service error for the stream
                (with its ``code``), a connection failure, or a timeout.
        """
        while (event := await self.receive_event()) is not None:
            yield event
            if event.terminated:
                return

    async def receive_audio_chunks(self) -> AsyncIterator[bytes]:
        """The stream's audio, decoded, chunk by chunk as it arrives.

        Returns:
            The audio chunks (bytes in the stream's ``audio_format``), as they come.

        Raises:
            SonioxRealtimeError: as ``receive_event``: a service error for the stream
                (with its ``code``), a connection failure, or a timeout.
        """
        while (item := await self._next_item()) is not None:
            if item.audio is not None:
                yield item.audio
            if item.event.terminated:
                return

    async def handle_events(self, handler: Callable[[RealtimeTTSEvent], Awaitable[None] | None]) -> None:
        """Call ``handler(event)`` for every event of the stream (an async handler is awaited).

        Args:
            handler: Called with each event, up to and including ``terminated``.

        Raises:
            SonioxRealtimeError: as ``receive_event``: a service error for the stream
                (with its ``code``), a connection failure, or a timeout.
        """
        async for event in self.receive_events():
            await backend.maybe_await(handler(event))


class AsyncRealtimeTTSStream(_StreamOps):
    """One stream of a multiplexed connection (made by ``open_stream``)."""

    def __init__(self, connection: AsyncRealtimeTTSMultiplexedConnection, stream: TTSStream) -> None:
        self._connection = connection
        self._core = stream

    @property
    def paused(self) -> bool:
        """Whether the connection's text is paused."""
        return self._connection.paused


class AsyncRealtimeTTSConnection(_StreamOps):
    """A connection with a single text-to-speech stream; use ``async with``.

    Entering it opens the WebSocket and sends the stream's config; leaving it
    closes the socket, also on error and cancellation.
    """

    def __init__(self, plan: TTSPlan) -> None:
        assert plan.config is not None
        self._connection = AsyncRealtimeTTSMultiplexedConnection(plan)
        self._config = plan.config
        self._core = TTSStream(plan.config)  # replaced by the opened stream on entry

    @property
    def config(self) -> RealtimeTTSConfig:
        """The configuration this connection was opened with."""
        return self._config

    @property
    def paused(self) -> bool:
        """Whether text is currently dropped (see ``pause()``)."""
        return self._connection.paused

    async def __aenter__(self) -> AsyncRealtimeTTSConnection:
        await self._connection.__aenter__()
        with self._connection._driver.guard:
            opened = self._connection._session.first_stream
        if opened is None:  # the server closed right behind its 101
            await self._connection.close()
            raise SonioxRealtimeError("Realtime text-to-speech connection closed before the stream started")
        self._core = opened
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._connection.__aexit__(exc_type, exc, tb)

    async def close(self) -> None:
        """Close the connection; safe to call more than once."""
        await self._connection.close()

    aclose = close  # unasync: drop

    async def recv_bytes(self) -> bytes:
        """The next raw message of the stream, as bytes; ``b""`` once it is over.

        Error messages are returned as they are (``receive_event`` raises them).

        Returns:
            The message's bytes (UTF-8 JSON), or ``b""`` once the stream is over.

        Raises:
            SonioxRealtimeError: the connection failed; ``SonioxRealtimeTimeoutError`` after 60 s.
        """
        try:
            item = await self._next_item()
        except SonioxRealtimeError:
            with self._connection._driver.guard:
                raw = self._core.take_error_raw()
            if raw is not None:
                return raw.encode()
            raise
        return b"" if item is None else item.raw.encode()

    def parse_event(self, raw: str | bytes) -> RealtimeTTSEvent:
        """Parse a raw message (from ``recv_bytes``) into an event.

        Args:
            raw: One message, as bytes or text.

        Returns:
            The event (fields the client does not know are kept out of the way, not fatal).

        Raises:
            SonioxRealtimeError: the message is malformed.
        """
        return parse_tts_event(raw)
