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

import contextlib
import inspect
import ssl
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Mapping
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import IO, Any, cast

import anyio
import anyio.abc
import anyio.lowlevel

from soniox_core._config import ClientConfig
from soniox_core._errors import SonioxRealtimeError
from soniox_core.realtime import (
    DEFAULT_CHUNK_SIZE_BYTES,
    DEFAULT_CONNECT_TIMEOUT_SEC,
    DEFAULT_KEEPALIVE_INTERVAL_SEC,
    DEFAULT_RECEIVE_TIMEOUT_SEC,
    END,
    RealtimeEvent,
    RealtimeSTTConfig,
    SessionPlan,
    SessionState,
    SonioxRealtimeTimeoutError,
    plan_session,
    split_chunks,
)
from soniox_core.realtime._audio import StreamPacer, check_chunk_size
from soniox_core.realtime._driver import CLOSE_GRACE_SEC, READ_SIZE_BYTES, SessionView

from ._dial import open_stream
from ._network import loop_clock

__all__ = [
    "AsyncRealtimeAPI",
    "AsyncRealtimeSTTClient",
    "AsyncRealtimeSTTSession",
    "stream_audio",
]

EventHandler = Callable[[RealtimeEvent], Awaitable[None] | None]

# Sends only queue bytes in the core; a writer task puts them on the socket. A
# sender waits for the writer only once this much is queued, so streaming audio
# as fast as allowed costs a scheduling round per batch of chunks, not per chunk
# (the same idea as asyncio's transport buffer and its high-water mark).
WRITE_BUFFER_HIGH_WATER = 64 * 1024


class AsyncRealtimeAPI:
    """``client.realtime``: the realtime APIs of the async client."""

    def __init__(self, config: ClientConfig) -> None:
        self._config = config

    @cached_property
    def stt(self) -> AsyncRealtimeSTTClient:
        """Realtime speech-to-text sessions."""
        return AsyncRealtimeSTTClient(self._config)


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

        Args:
            config: Session options: ``model``, ``audio_format`` (and for raw audio
                ``sample_rate`` and ``num_channels``), languages, speaker labels,
                endpoint detection, translation, context. A dict is accepted too.
            api_key: Use this key instead of the client's (e.g. a temporary key).
            connect_timeout_sec: Seconds allowed for the TCP, TLS and WebSocket
                handshakes together.
            receive_timeout_sec: How long the server may stay silent while you wait
                for an event (not counted while paused); ``None`` waits forever.
            keepalive_interval_sec: A keepalive goes out whenever no audio was sent
                for this long (also while paused).

        Returns:
            The session, not yet connected: ``async with`` connects it and closes
            it afterwards, also on error and cancellation.

        Raises:
            SonioxValidationError: ``config`` is invalid (the field is named),
                checked now, before any connection. Connecting itself raises
                ``SonioxRealtimeError`` (refused, bad key, handshake failed) or
                ``SonioxRealtimeTimeoutError`` on entering the block.
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
        self._stream: anyio.abc.ByteStream | None = None
        self._task_group: anyio.abc.TaskGroup | None = None
        # fast_acquire: no scheduling checkpoint when the lock is free (the usual case).
        self._send_lock = anyio.Lock(fast_acquire=True)
        self._receive_lock = anyio.Lock(fast_acquire=True)
        self._writer_wakeup: anyio.Event | None = None  # set by whoever queues bytes
        self._buffer_drained: anyio.Event | None = None  # set by the writer for waiting senders
        self._closed = False
        self._clock: Callable[[], float] = anyio.current_time

    # --- lifecycle ----------------------------------------------------------------------

    async def __aenter__(self) -> AsyncRealtimeSTTSession:
        await self._open()
        task_group = anyio.create_task_group()
        await task_group.__aenter__()
        self._task_group = task_group
        task_group.start_soon(self._writer_loop)
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
            # Closing first lets a write in progress complete, so the close frame
            # never follows half a frame.
            await self.close()
        finally:
            self._task_group = None
            if task_group is not None:
                task_group.cancel_scope.cancel()
                # The session's own tasks never raise, so this only waits for them
                # to stop; the caller's own exception (if any) propagates unchanged
                # instead of being wrapped in an exception group.
                await task_group.__aexit__(None, None, None)

    async def _open(self) -> None:
        if self._stream is not None or self._closed:
            raise SonioxRealtimeError("A realtime session can be entered only once")
        try:
            with anyio.fail_after(self._plan.connect_timeout_sec):
                stream = await open_stream(self._plan)  # through the proxy, if one is set
                self._stream = stream
                self._clock = loop_clock()
                self._core.start(self._clock())
                await stream.send(self._core.data_to_send())
                while self._core.state is SessionState.CONNECTING:
                    self._core.receive_data(await self._read_raw())
                await self._write_pending()  # the config message
            # A failed handshake fails here; an error message that came right
            # behind the 101 is left for receive_event, as it would be a moment later.
            if (error := self._core.handshake_error()) is not None:
                raise error
        except TimeoutError:
            await self._abort()
            raise SonioxRealtimeTimeoutError("Connection timed out") from None
        except SonioxRealtimeError:
            await self._abort()
            raise
        except (OSError, anyio.BrokenResourceError, anyio.EndOfStream, ssl.SSLError) as exc:
            await self._abort()
            raise SonioxRealtimeError(f"Failed to start realtime session: {exc}") from exc
        except BaseException:
            await self._abort()
            raise

    async def close(self) -> None:
        """End the session and close the socket; safe to call more than once.

        Sends a close frame (not another end-of-audio) and waits briefly for the
        server's answer. Shielded, so it completes even when cancelled; leaving the
        ``async with`` block calls it for you.
        """
        if self._stream is None or self._closed:
            return  # never entered (a no-op, as in the official SDK) or already closed
        self._closed = True
        self._wake_senders()
        with anyio.CancelScope(shield=True):
            with anyio.move_on_after(CLOSE_GRACE_SEC):
                try:
                    async with self._send_lock:
                        self._core.close()
                        data = self._core.data_to_send()
                        if data:
                            await self._stream.send(data)
                    async with self._receive_lock:
                        while self._core.awaiting_close:
                            self._core.receive_data(await self._read_raw())
                except Exception:  # the socket is going away regardless
                    pass
            await self._abort()

    aclose = close

    async def _abort(self) -> None:
        stream, self._stream = self._stream, None
        self._closed = True
        self._wake_senders()
        if stream is not None:
            # A TLS close sends close_notify; a peer that already hung up makes that
            # fail (Python 3.10's ssl reports the EOF, which anyio raises as
            # BrokenResourceError). anyio has closed the socket by then.
            closing_errors = (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError)
            with anyio.CancelScope(shield=True), contextlib.suppress(*closing_errors):
                await stream.aclose()

    # --- I/O helpers -------------------------------------------------------------------

    def _require_open(self) -> anyio.abc.ByteStream:
        if self._stream is None:
            raise self._core.not_open_error()
        return self._stream

    async def _read_raw(self) -> bytes | None:
        stream = self._require_open()
        try:
            return await stream.receive(READ_SIZE_BYTES)
        except anyio.EndOfStream:
            return None
        except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError):
            return None  # the core reports the lost connection as a typed error

    async def _read(self) -> bytes | None:
        """Read with the idle receive timeout (suspended while paused)."""
        timeout = self._plan.receive_timeout_sec
        if timeout is None:
            return await self._read_raw()
        while True:
            with anyio.move_on_after(timeout):
                return await self._read_raw()
            if (error := self._core.receive_timed_out(timeout)) is not None:
                raise error

    async def _write_pending(self) -> None:
        """Write what the core has queued, now, under the write timeout."""
        stream = self._require_open()
        async with self._send_lock:
            data = self._core.data_to_send()
            if not data:
                return
            try:
                with anyio.fail_after(self._plan.write_timeout_sec):
                    await stream.send(data)
            except TimeoutError:
                raise self._core.send_timed_out() from None
            except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError) as exc:
                raise self._core.send_failed() from exc

    async def _flush(self) -> None:
        """Hand what the core queued to the writer; wait only while too much is queued."""
        if not self._core.has_data_to_send:
            return  # most reads leave nothing to answer
        wakeup, self._writer_wakeup = self._writer_wakeup, None
        if wakeup is not None:
            wakeup.set()
        while self._core.pending_bytes >= WRITE_BUFFER_HIGH_WATER:
            self._require_open()  # raises the writer's failure, if it failed
            if self._buffer_drained is None:
                self._buffer_drained = anyio.Event()
            await self._buffer_drained.wait()
        # No scheduling round here (that is the writer's job), but a cancelled
        # caller still stops at this point.
        await anyio.lowlevel.checkpoint_if_cancelled()

    def _wake_senders(self) -> None:
        drained, self._buffer_drained = self._buffer_drained, None
        if drained is not None:
            drained.set()

    async def _writer_loop(self) -> None:
        # Like the keepalive task, never lets an exception out: a failed write is
        # recorded in the session and the socket closed, so the next send or read
        # raises the typed error.
        try:
            while not self._closed:
                if self._core.pending_bytes < WRITE_BUFFER_HIGH_WATER:
                    self._wake_senders()
                if not self._core.has_data_to_send:
                    wakeup = self._writer_wakeup = anyio.Event()
                    await wakeup.wait()
                    continue
                await self._write_pending()
        except Exception as exc:
            self._core.fail_from(exc, "Sending")
            await self._abort()

    async def _keepalive_loop(self) -> None:
        # Never lets an exception out (that would cancel the caller's code): a
        # failure is recorded in the session and the socket closed, so whoever
        # waits on it wakes up with a typed error instead of silence.
        try:
            while True:
                due = self._core.next_keepalive_at()
                if due is None:
                    return  # past the end of audio: nothing left to keep alive
                delay = due - self._clock()
                if delay > 0:
                    await anyio.sleep(delay)
                    continue
                if self._core.handle_timer(self._clock()):
                    await self._flush()
        except Exception as exc:
            self._core.fail_from(exc, "Keepalive")
            await self._abort()

    # --- sending ------------------------------------------------------------------------

    async def send_byte_chunk(self, chunk: bytes) -> None:
        """Send one chunk of audio (one binary frame). Dropped while paused.

        Returns once the frame is queued; the session's writer task sends it at
        the next scheduling point. Waits only while 64 KiB or more is queued, so
        a fast sender is held back by the connection. A failed write is raised
        by the next call.

        Args:
            chunk: Audio bytes in the session's ``audio_format``.

        Raises:
            SonioxRealtimeError: The session is not open, or it already failed (the
                failure is raised again, with the server's ``code`` when it sent one).
            SonioxRealtimeTimeoutError: An earlier write took longer than the client's
                write timeout.
        """
        self._require_open()
        self._core.send_audio(chunk, self._clock())
        await self._flush()

    async def send_bytes(
        self,
        chunks: bytes | Iterable[bytes] | AsyncIterable[bytes],
        *,
        finish: bool = True,
    ) -> None:
        """Send audio: one ``bytes`` chunk, or every chunk of an (async) iterable.

        After an iterable, the end of audio is sent too unless ``finish=False``.
        A single ``bytes`` never finishes the stream, so you can call this repeatedly.

        Args:
            chunks: ``bytes``, or an iterable or async iterable of ``bytes`` (such as
                ``stream_audio(path)``).
            finish: After an iterable, tell the server the audio is over.

        Raises:
            SonioxRealtimeError: The session is not open, or it already failed (the
                failure is raised again, with the server's ``code`` when it sent one).
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
        """Tell the server the audio is over; it sends the last tokens, then ``finished``.

        Sent once: calling it again does nothing.

        Raises:
            SonioxRealtimeError: The session is not open, or it already failed (the
                failure is raised again, with the server's ``code`` when it sent one).
        """
        self._require_open()
        self._core.finish()
        await self._flush()

    async def finalize(self, *, trailing_silence_ms: int | None = None) -> None:
        """Ask for every pending token now, as final, followed by a ``<fin>`` token.

        Args:
            trailing_silence_ms: How much silence follows the audio sent so far,
                if you know it; helps the server decide sooner.

        Raises:
            SonioxRealtimeError: The session is not open, or it already failed (the
                failure is raised again, with the server's ``code`` when it sent one).
        """
        self._require_open()
        self._core.finalize(trailing_silence_ms=trailing_silence_ms)
        await self._flush()

    async def keep_alive(self) -> None:
        """Send a keepalive now (they also go out by themselves when the stream is idle).

        Raises:
            SonioxRealtimeError: The session is not open, or it already failed (the
                failure is raised again, with the server's ``code`` when it sent one).
        """
        self._require_open()
        self._core.keep_alive(self._clock())
        await self._flush()

    async def pause(self, *, finalize: bool = True) -> None:
        """Stop sending audio (chunks sent meanwhile are dropped) without ending the session.

        Keepalives keep the session open; the server still bills the time.

        Args:
            finalize: First ask for the pending tokens as final.

        Raises:
            SonioxRealtimeError: The session is not open, or it already failed (the
                failure is raised again, with the server's ``code`` when it sent one).
        """
        self._require_open()
        self._core.pause(finalize=finalize)
        await self._flush()

    async def resume(self) -> None:
        """Let audio through again after ``pause()``.

        Raises:
            SonioxRealtimeError: The session is not open, or it already failed (the
                failure is raised again, with the server's ``code`` when it sent one).
        """
        self._require_open()
        self._core.resume()

    # --- receiving ----------------------------------------------------------------------

    async def receive_event(self) -> RealtimeEvent | None:
        """The next event, or ``None`` once the session is over (after ``finished``).

        Returns:
            An event with the new ``tokens`` (final and non-final), or ``None``.

        Raises:
            SonioxRealtimeError: The server sent an error message (its ``code`` and
                message are on the exception), the connection was lost, or sending
                in the background failed.
            SonioxRealtimeTimeoutError: The server stayed silent for longer than
                ``receive_timeout_sec``.
        """
        async with self._receive_lock:
            while True:
                item = self._core.next_event()
                if isinstance(item, RealtimeEvent):
                    return item
                if item is END:
                    return None
                self._core.receive_data(await self._read())
                if self._stream is not None:
                    # The writer's failure is recorded in the session, and the next
                    # round raises it: after the events, and the server's own error,
                    # that arrived before it.
                    with contextlib.suppress(SonioxRealtimeError):
                        await self._flush()  # pongs and close replies

    async def receive_events(self) -> AsyncIterator[RealtimeEvent]:
        """Every event until the session finishes (``async for event in session`` does the same).

        Returns:
            An async iterator of events; it ends after the ``finished`` event.

        Raises:
            SonioxRealtimeError: As ``receive_event``.
            SonioxRealtimeTimeoutError: As ``receive_event``.
        """
        while (event := await self.receive_event()) is not None:
            yield event

    def __aiter__(self) -> AsyncIterator[RealtimeEvent]:
        return self.receive_events()

    async def handle_events(self, handler: EventHandler) -> None:
        """Call ``handler(event)`` (a plain or an async function) for every event.

        Args:
            handler: Called once per event, in order; an async one is awaited.

        Raises:
            SonioxRealtimeError: As ``receive_event``; an exception of the handler
                propagates unchanged.
        """
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

        Args:
            chunks: ``bytes``, or an iterable or async iterable of ``bytes``.
            finish: After an iterable, tell the server the audio is over.

        Raises:
            SonioxRealtimeError: The session is not connected (use it inside the
                ``async with`` block).
        """
        task_group = self._task_group
        if task_group is None:
            raise SonioxRealtimeError("Realtime session is not connected")

        async def run() -> None:
            try:
                await self.send_bytes(chunks, finish=finish)
            except Exception as exc:
                self._core.fail_from(exc, "Sending audio")
                await self._abort()  # wakes the reader, which raises the recorded error

        task_group.start_soon(run)


async def stream_audio(
    source: bytes | str | Path | IO[bytes] | Iterable[bytes] | AsyncIterable[bytes],
    *,
    chunk_size_bytes: int = DEFAULT_CHUNK_SIZE_BYTES,
    speed: float | None = None,
    bytes_per_second: float | None = None,
) -> AsyncIterator[bytes]:
    """Yield audio in chunks, optionally at real-time pace, for ``session.send_bytes``.

    Args:
        source: ``bytes``, a file path, a binary file object, or an (async)
            iterable of chunks.
        chunk_size_bytes: Size of each chunk (the last may be shorter).
        speed: ``None`` sends as fast as the connection takes it; ``1.0`` paces
            at real time, ``2.0`` twice as fast. Pacing needs the byte rate,
            taken from a WAV header, else from ``bytes_per_second``.
        bytes_per_second: The audio's byte rate, for pacing non-WAV audio.

    Returns:
        An async iterator of ``bytes`` chunks.

    Raises:
        SonioxValidationError: ``chunk_size_bytes`` or ``speed`` is not positive
            (raised at the first chunk), or pacing was asked for without a
            known byte rate (a non-WAV source and no ``bytes_per_second``).
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
