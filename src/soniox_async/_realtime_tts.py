"""Realtime text-to-speech for the async client (anyio: asyncio and trio).

The protocol lives in ``soniox_core.realtime.tts`` (``TTSSession`` and its
``TTSProtocol``); this module moves its bytes over an anyio stream, keeps the
time, and runs the keepalive timer as a task beside the caller's code.

    config = RealtimeTTSConfig(stream_id="s1", model="tts-rt-v1", language="en",
                               voice="Adrian", audio_format="wav")
    async with client.realtime.tts.connect(config=config) as tts:
        await tts.send_text_chunks(llm_tokens())       # then finish()
        async for chunk in tts.receive_audio_chunks():
            play(chunk)
"""

from __future__ import annotations

import contextlib
import inspect
import ssl
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Mapping
from types import TracebackType
from typing import Any

import anyio
import anyio.abc

from soniox_core._config import ClientConfig
from soniox_core._errors import SonioxRealtimeError
from soniox_core.realtime import SonioxRealtimeTimeoutError
from soniox_core.realtime._driver import CLOSE_GRACE_SEC, READ_SIZE_BYTES
from soniox_core.realtime.tts import (
    TTS_END,
    RealtimeTTSConfig,
    RealtimeTTSEvent,
    Received,
    TTSStream,
    parse_tts_event,
)
from soniox_core.realtime.tts._driver import DEFAULT_TTS_CONNECT_TIMEOUT_SEC, TTSPlan, plan_tts_connection
from soniox_core.realtime.tts._session import SocketState
from soniox_sync._pool import ssl_context

from ._network import loop_clock

__all__ = [
    "AsyncRealtimeTTSClient",
    "AsyncRealtimeTTSConnection",
    "AsyncRealtimeTTSMultiplexedConnection",
    "AsyncRealtimeTTSStream",
]

TextChunks = str | Iterable[str] | AsyncIterable[str]


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

    Each stream (``open_stream``) can be driven from its own task; events are
    routed to the right stream and the others' are kept until read. A service
    error for one stream raises on that stream only; a connection error raises
    on all. Leaving the block closes the socket, also on error and cancellation.
    """

    def __init__(self, plan: TTSPlan) -> None:
        self._plan = plan
        self._session = plan.session
        self._protocol = plan.session.protocol
        self._stream: anyio.abc.ByteStream | None = None
        self._task_group: anyio.abc.TaskGroup | None = None
        self._send_lock = anyio.Lock()
        self._receive_lock = anyio.Lock()
        self._keepalive_wakeup = anyio.Event()
        self._closed = False
        self._clock: Callable[[], float] = anyio.current_time
        self._opened: TTSStream | None = None  # the single stream of a single-stream connection

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
        await self._open()
        task_group = anyio.create_task_group()
        await task_group.__aenter__()
        self._task_group = task_group
        task_group.start_soon(self._keepalive_loop)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        task_group = self._task_group
        try:
            await self.close()
        finally:
            self._task_group = None
            if task_group is not None:
                task_group.cancel_scope.cancel()
                # The keepalive task never raises, so this only waits for it; the
                # caller's own exception propagates unchanged.
                await task_group.__aexit__(None, None, None)

    async def _open(self) -> None:
        if self._stream is not None or self._closed:
            raise SonioxRealtimeError("A realtime text-to-speech connection can be entered only once")
        endpoint = self._session.endpoint
        try:
            with anyio.fail_after(self._plan.connect_timeout_sec):
                if endpoint.secure:
                    self._stream = await anyio.connect_tcp(
                        endpoint.host,
                        endpoint.port,
                        tls=True,
                        ssl_context=ssl_context(self._plan.tls),
                        tls_hostname=endpoint.host,
                    )
                else:
                    self._stream = await anyio.connect_tcp(endpoint.host, endpoint.port)
                self._clock = loop_clock()
                self._session.start()
                await self._stream.send(self._session.data_to_send())
                while self._session.state is SocketState.CONNECTING:
                    self._session.receive_data(await self._read_raw())
            if (error := self._session.handshake_error()) is not None:
                raise error
            self._protocol.started(self._clock())
            if self._plan.config is not None:
                self._opened = self._protocol.open_stream(self._plan.config, self._clock())
                await self._write_pending()
        except TimeoutError:
            await self._abort()
            raise SonioxRealtimeTimeoutError("Connection timed out") from None
        except SonioxRealtimeError:
            await self._abort()
            raise
        except (OSError, anyio.BrokenResourceError, ssl.SSLError) as exc:
            await self._abort()
            raise SonioxRealtimeError(f"Failed to start realtime text-to-speech: {exc}") from exc
        except BaseException:
            await self._abort()
            raise

    async def close(self) -> None:
        """Close the socket (after a close handshake of at most 2 s); safe to call more than once.

        Streams that had not received all their audio fail with a
        ``SonioxRealtimeError``. Shielded, so it completes even when cancelled.
        """
        if self._stream is None or self._closed:
            return
        self._closed = True
        self._keepalive_wakeup.set()
        with anyio.CancelScope(shield=True):
            with anyio.move_on_after(CLOSE_GRACE_SEC):
                try:
                    async with self._send_lock:
                        self._session.close()
                        data = self._session.data_to_send()
                        if data:
                            await self._stream.send(data)
                    async with self._receive_lock:
                        while self._session.awaiting_close:
                            self._session.receive_data(await self._read_raw())
                except Exception:  # the socket is going away regardless
                    pass
            await self._abort()

    aclose = close

    async def _abort(self) -> None:
        stream, self._stream = self._stream, None
        self._closed = True
        self._keepalive_wakeup.set()
        if stream is not None:
            with anyio.CancelScope(shield=True):
                await stream.aclose()

    # --- I/O helpers ------------------------------------------------------------------------------

    def _require_open(self) -> anyio.abc.ByteStream:
        if self._stream is None:
            raise self._session.not_open_error()
        return self._stream

    async def _read_raw(self) -> bytes | None:
        stream = self._require_open()
        try:
            return await stream.receive(READ_SIZE_BYTES)
        except (anyio.EndOfStream, anyio.BrokenResourceError, anyio.ClosedResourceError, OSError):
            return None  # the session reports the lost connection as a typed error

    async def _write_pending(self) -> None:
        stream = self._require_open()
        async with self._send_lock:
            data = self._session.data_to_send()
            if not data:
                return
            try:
                with anyio.fail_after(self._plan.write_timeout_sec):
                    await stream.send(data)
            except TimeoutError:
                raise self._session.send_timed_out() from None
            except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError) as exc:
                raise self._session.send_failed() from exc

    async def _keepalive_loop(self) -> None:
        # Never lets an exception out (that would cancel the caller's code): a
        # failure is recorded in the session and the socket closed, so whoever
        # waits on it wakes up with a typed error instead of silence.
        try:
            while not self._closed:
                due = self._protocol.next_keepalive_at()
                if due is None:
                    return
                delay = due - self._clock()
                if delay > 0:
                    with anyio.move_on_after(delay):
                        await self._keepalive_wakeup.wait()
                    continue
                if self._protocol.handle_timer(self._clock()):
                    await self._write_pending()
        except Exception as exc:
            self._fail(exc, "Keepalive")
            await self._abort()

    def _fail(self, exc: BaseException, doing: str) -> None:
        if not isinstance(exc, SonioxRealtimeError):
            exc = SonioxRealtimeError(f"{doing} failed: {exc!r}")
        self._session.fail(exc)

    # --- sending ----------------------------------------------------------------------------------

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
        self._require_open()
        stream = self._protocol.open_stream(config, self._clock())
        await self._write_pending()
        return AsyncRealtimeTTSStream(self, stream)

    async def _do(self, action: Callable[[float], object]) -> None:
        self._require_open()
        action(self._clock())
        await self._write_pending()

    async def keep_alive(self) -> None:
        """Send a keepalive now (one also goes out by itself after 25 s without any message)."""
        await self._do(self._protocol.keep_alive)

    async def pause(self) -> None:
        """Drop outgoing text until ``resume()``; keepalives keep the connection open meanwhile."""
        self._require_open()
        self._protocol.pause()

    async def resume(self) -> None:
        """Let text through again after ``pause()``."""
        self._require_open()
        self._protocol.resume(self._clock())

    # --- receiving --------------------------------------------------------------------------------

    async def _next(self, stream: TTSStream) -> Received | None:
        """``stream``'s next message, reading the socket (one reader at a time) as needed."""
        while True:
            item = self._protocol.next_event(stream, self._clock())
            if isinstance(item, Received):
                return item
            if item is TTS_END:
                return None
            async with self._receive_lock:
                if stream.queue:
                    continue  # another reader routed ours while we waited for the lock
                deadline = self._protocol.event_deadline(stream)
                data: bytes | None = b""
                with anyio.move_on_after(float("inf") if deadline is None else deadline - self._clock()):
                    data = await self._read_raw()
                if data == b"":
                    continue  # the deadline passed: next_event raises the timeout
                self._session.receive_data(data)
                if self._stream is not None and self._session.has_data_to_send:
                    # A failed pong is recorded in the session; the next round raises it.
                    with contextlib.suppress(SonioxRealtimeError):
                        await self._write_pending()
                if data is None and self._stream is not None:
                    await self._abort()


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
        """Say that no more text follows; the remaining audio, then ``terminated``, comes back."""
        conn = self._connection
        await conn._do(lambda now: conn._protocol.finish(self._core, now))

    async def cancel(self) -> None:
        """Stop the stream; the service answers with ``terminated``."""
        conn = self._connection
        await conn._do(lambda now: conn._protocol.cancel(self._core, now))

    async def keep_alive(self) -> None:
        """Send a keepalive on the connection."""
        await self._connection.keep_alive()

    async def pause(self) -> None:
        """Pause the connection's text (keepalives continue)."""
        await self._connection.pause()

    async def resume(self) -> None:
        """Resume the connection's text."""
        await self._connection.resume()

    async def _next_item(self) -> Received | None:
        return await self._connection._next(self._core)

    async def receive_event(self) -> RealtimeTTSEvent | None:
        """The stream's next event, or ``None`` once it is over.

        Raises:
            SonioxRealtimeError: the service reported an error for the stream (with
                its ``code``), or the connection failed.
            SonioxTTSAudioError: an audio payload was not valid base64.
            SonioxRealtimeTimeoutError: no event came for 60 s (not counted while paused).
        """
        item = await self._next_item()
        return None if item is None else item.event

    async def receive_events(self) -> AsyncIterator[RealtimeTTSEvent]:
        """Every event of the stream, up to and including ``terminated``."""
        while (event := await self.receive_event()) is not None:
            yield event
            if event.terminated:
                return

    async def receive_audio_chunks(self) -> AsyncIterator[bytes]:
        """The stream's audio, decoded, chunk by chunk as it arrives."""
        while (item := await self._next_item()) is not None:
            if item.audio is not None:
                yield item.audio
            if item.event.terminated:
                return

    async def handle_events(self, handler: Callable[[RealtimeTTSEvent], Awaitable[None] | None]) -> None:
        """Call ``handler(event)`` (plain or async function) for every event of the stream."""
        async for event in self.receive_events():
            result = handler(event)
            if inspect.isawaitable(result):
                await result


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
        assert self._connection._opened is not None  # opened by _open() for a single-stream plan
        self._core = self._connection._opened
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

    aclose = close

    async def recv_bytes(self) -> bytes:
        """The next raw message of the stream, as bytes; ``b""`` once it is over.

        Error messages are returned as they are (``receive_event`` raises them).

        Raises:
            SonioxRealtimeError: the connection failed; ``SonioxRealtimeTimeoutError`` after 60 s.
        """
        try:
            item = await self._next_item()
        except SonioxRealtimeError:
            raw = self._core.take_error_raw()
            if raw is not None:
                return raw.encode()
            raise
        return b"" if item is None else item.raw.encode()

    def parse_event(self, raw: str | bytes) -> RealtimeTTSEvent:
        """Parse a raw message (from ``recv_bytes``) into an event.

        Raises:
            SonioxRealtimeError: the message is malformed.
        """
        return parse_tts_event(raw)
