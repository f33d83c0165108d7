"""Realtime speech-to-text: the client's sessions over the driver in ``_ws_driver``.

The protocol lives in ``soniox_core.realtime.RealtimeSession``; the driver
moves its bytes and runs its keepalive timer beside the caller's code. This
module checks the arguments of ``connect()`` and gives the session its
methods.

    config = RealtimeSTTConfig(model="stt-rt-v4")
    async with client.realtime.stt.connect(config=config) as session:
        session.send_in_background(stream_audio("speech.wav", speed=1.0))
        transcript = TranscriptAccumulator()
        async for event in session:          # ends after the `finished` event
            transcript.add(event)
            print(transcript.text)
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, cast

import msgspec

from soniox_core import _validate as check
from soniox_core._config import ClientConfig
from soniox_core._errors import SonioxRealtimeError, SonioxValidationError
from soniox_core.realtime import (
    DEFAULT_CHUNK_SIZE_BYTES,
    DEFAULT_CONNECT_TIMEOUT_SEC,
    DEFAULT_KEEPALIVE_INTERVAL_SEC,
    DEFAULT_RECEIVE_TIMEOUT_SEC,
    RealtimeControlType,
    RealtimeEvent,
    RealtimeSession,
    RealtimeSTTConfig,
    SessionState,
    auth_headers,
    coerce_control_type,
    parse_endpoint,
    parse_event,
    split_chunks,
)
from soniox_core.realtime._audio import (
    StreamPacer,
    check_audio_chunk,
    check_audio_source,
    check_chunk_size,
    check_trailing_silence,
)
from soniox_core.realtime._keepalive import MAX_KEEPALIVE_INTERVAL_SEC
from soniox_core.realtime._reconnect import (
    ReconnectPolicy,
    ReplayBuffer,
    SonioxRealtimeReconnectError,
    check_reconnect,
)
from soniox_core.websocket._options import DriverOptions

from . import _backend as backend
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


@dataclass(frozen=True, slots=True)
class SessionPlan:
    """A realtime session ready to connect: the protocol state and how to dial."""

    session: RealtimeSession
    options: DriverOptions
    headers: list[tuple[bytes, bytes]]
    keepalive_interval_sec: float
    reconnect: ReconnectPolicy | None = None

    def new_session(self) -> RealtimeSession:
        """A fresh session with the same config, for a new connection."""
        return RealtimeSession(
            self.session.config,
            self.session.endpoint,
            self.headers,
            keepalive_interval_sec=self.keepalive_interval_sec,
        )


def plan_session(
    client_config: ClientConfig,
    config: RealtimeSTTConfig | Mapping[str, Any] | None,
    *,
    api_key: str | None,
    connect_timeout_sec: float,
    receive_timeout_sec: float | None,
    keepalive_interval_sec: float,
    reconnect: ReconnectPolicy | None = None,
) -> SessionPlan:
    """Check the arguments of ``connect()`` and build the session they describe.

    Every bad value raises ``SonioxValidationError`` here, before any
    connection is made. ``api_key`` overrides the client's key.
    """
    if config is None:
        raise SonioxValidationError("a RealtimeSTTConfig is required", field="config")
    connect_timeout = check.seconds(connect_timeout_sec, "connect_timeout_sec")
    receive_timeout = check.optional_seconds(receive_timeout_sec, "receive_timeout_sec")
    check.seconds(keepalive_interval_sec, "keepalive_interval_sec", maximum=MAX_KEEPALIVE_INTERVAL_SEC)
    key = client_config.api_key if api_key is None else check.api_key(api_key)
    endpoint = parse_endpoint(client_config.websocket_base_url)
    headers = auth_headers(key, client_config.user_agent)
    session = RealtimeSession(config, endpoint, headers, keepalive_interval_sec=keepalive_interval_sec)
    check_reconnect(reconnect, session.config)
    options = DriverOptions(
        tls=client_config.tls,
        connect_timeout_sec=connect_timeout,
        receive_timeout_sec=receive_timeout,
        write_timeout_sec=client_config.timeouts.write,
        proxy=client_config.websocket_proxy,
    )
    return SessionPlan(session, options, headers, keepalive_interval_sec, reconnect)


class AsyncRealtimeAPI:
    """``client.realtime``: the realtime APIs of the client."""

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
        reconnect: ReconnectPolicy | None = None,
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
            reconnect: Opt in to reconnecting when the connection drops (never
                on a server error): a new connection with the same config gets
                the audio sent since the last final token again, and its events
                come with ``reconnected=True`` and timestamps that continue the
                first connection's. Needs raw PCM audio. After the policy's
                attempts, ``SonioxRealtimeReconnectError``. Audio and the end of
                audio sent while the connection is down are replayed; a
                ``finalize()`` or keepalive sent then is not.

        Returns:
            The session, not yet connected: ``async with`` connects it and closes
            it afterwards, also on error and cancellation.

        Raises:
            SonioxValidationError: ``config`` (or ``reconnect``) is invalid (the
                field is named), checked now, before any connection. Connecting
                itself raises ``SonioxRealtimeError`` (refused, bad key, handshake
                failed) or ``SonioxRealtimeTimeoutError`` on entering the block.
        """
        return AsyncRealtimeSTTSession(
            plan_session(
                self._config,
                config,
                api_key=api_key,
                connect_timeout_sec=connect_timeout_sec,
                receive_timeout_sec=receive_timeout_sec,
                keepalive_interval_sec=keepalive_interval_sec,
                reconnect=reconnect,
            )
        )


class AsyncRealtimeSTTSession:
    """One realtime speech-to-text session; use it as ``async with session:``.

    Send audio (``send_bytes``/``send_byte_chunk``) and read events
    (``receive_event``, ``async for event in session``) at the same time, from
    two tasks (or threads). Server error messages raise ``SonioxRealtimeError``
    carrying the server's ``code``; a dropped connection raises it too, never
    hangs. Leaving the block closes the socket, also on error and cancellation.
    """

    def __init__(self, plan: SessionPlan) -> None:
        self._plan = plan
        self._core = plan.session
        self._driver: AsyncWebSocketDriver[RealtimeEvent] = AsyncWebSocketDriver(plan.session, plan.options)
        # With a reconnect policy: the audio to replay after a drop, and a guard over
        # it and the swap of the session (senders and the reader may be threads).
        self._replay = ReplayBuffer(plan.session.config) if plan.reconnect is not None else None
        self._replay_guard = backend.Guard()
        self._failed_reconnects = 0
        self._gave_up: SonioxRealtimeReconnectError | None = None

    # --- state ----------------------------------------------------------------------------

    @property
    def config(self) -> RealtimeSTTConfig:
        """The configuration this session was opened with."""
        return self._core.config

    @property
    def paused(self) -> bool:
        """Whether audio is currently dropped (see ``pause()``)."""
        return self._core.paused

    @property
    def last_message(self) -> RealtimeEvent | None:
        """The latest event received, error messages included."""
        return self._core.last_message

    @property
    def state(self) -> SessionState:
        """Where the session stands (connecting, streaming, finishing ...)."""
        return self._core.state

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
        server's answer. Shielded, so it completes even when cancelled; leaving the
        ``async with`` block calls it for you.
        """
        await self._driver.close()

    aclose = close  # unasync: drop

    # --- sending ------------------------------------------------------------------------

    async def send_byte_chunk(self, chunk: bytes) -> None:
        """Send one chunk of audio (one binary frame). Dropped while paused.

        Returns once the frame is handed to the connection: written at once where
        the event loop allows it, otherwise queued for the session's writer. Waits
        only while 64 KiB or more is waiting to go out, so a fast sender is held
        back by the connection. A failed write is raised by the next call.

        Args:
            chunk: Audio bytes in the session's ``audio_format``.

        Raises:
            SonioxValidationError: ``chunk`` is not bytes; nothing was sent.
            SonioxRealtimeError: The session is not open, or it already failed (the
                failure is raised again, with the server's ``code`` when it sent one).
            SonioxRealtimeTimeoutError: An earlier write took longer than the client's
                write timeout.
        """
        chunk = check_audio_chunk(chunk)
        driver = self._driver
        if self._replay is None:  # the common case, without a layer of indirection
            core = self._core
            await driver.apply(lambda: core.send_audio(chunk, driver.clock()))
            return
        await self._apply(lambda core: core.send_audio(chunk, driver.clock()), audio=chunk)

    async def send_bytes(
        self,
        chunks: bytes | Iterable[bytes] | AsyncIterable[bytes],
        *,
        finish: bool = True,
    ) -> None:
        """Send audio: one ``bytes`` chunk, or every chunk of an iterable.

        After an iterable, the end of audio is sent too unless ``finish=False``.
        A single ``bytes`` never finishes the stream, so you can call this repeatedly.

        Args:
            chunks: ``bytes``, or an iterable or async iterable of ``bytes`` (such as
                ``stream_audio(path)``).
            finish: After an iterable, tell the server the audio is over.

        Raises:
            SonioxValidationError: ``chunks`` is not bytes or an iterable, or
                ``finish`` is not a bool; nothing was sent.
            SonioxRealtimeError: The session is not open, or it already failed (the
                failure is raised again, with the server's ``code`` when it sent one).
        """
        _check_chunks(chunks, finish)
        if isinstance(chunks, (bytes, bytearray, memoryview)):
            await self.send_byte_chunk(bytes(chunks))
            return
        async for chunk in backend.iterate(chunks):
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
        await self._apply(lambda core: core.finish(), finish=True)

    async def finalize(self, *, trailing_silence_ms: int | None = None) -> None:
        """Ask for every pending token now, as final, followed by a ``<fin>`` token.

        Args:
            trailing_silence_ms: How much silence follows the audio sent so far,
                if you know it (whole milliseconds, 0 to 60,000); helps the server
                decide sooner.

        Raises:
            SonioxValidationError: ``trailing_silence_ms`` is not a whole number
                from 0 to 60,000; nothing was sent.
            SonioxRealtimeError: The session is not open, or it already failed (the
                failure is raised again, with the server's ``code`` when it sent one).
        """
        silence = check_trailing_silence(trailing_silence_ms)
        await self._apply(lambda core: core.finalize(trailing_silence_ms=silence))

    async def keep_alive(self) -> None:
        """Send a keepalive now (they also go out by themselves when the stream is idle).

        Raises:
            SonioxRealtimeError: The session is not open, or it already failed (the
                failure is raised again, with the server's ``code`` when it sent one).
        """
        driver = self._driver
        await self._apply(lambda core: core.keep_alive(driver.clock()))

    async def pause(self, *, finalize: bool = True) -> None:
        """Stop sending audio (chunks sent meanwhile are dropped) without ending the session.

        Keepalives keep the session open; the server still bills the time.

        Args:
            finalize: First ask for the pending tokens as final.

        Raises:
            SonioxValidationError: ``finalize`` is not a bool.
            SonioxRealtimeError: The session is not open, or it already failed (the
                failure is raised again, with the server's ``code`` when it sent one).
        """
        check.boolean(finalize, "finalize")
        await self._apply(lambda core: core.pause(finalize=finalize))

    async def resume(self) -> None:
        """Let audio through again after ``pause()``.

        Raises:
            SonioxRealtimeError: The session is not open, or it already failed (the
                failure is raised again, with the server's ``code`` when it sent one).
        """
        await self._apply(lambda core: core.resume())

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
            SonioxRealtimeReconnectError: With a reconnect policy, the connection
                dropped and no new one could be opened.
        """
        while True:
            if self._gave_up is not None:
                raise SonioxRealtimeReconnectError(
                    self._gave_up.message, code=self._gave_up.code, attempts=self._gave_up.attempts
                )
            core = self._core
            try:
                event = await self._driver.receive()
            except SonioxRealtimeError as exc:
                if self._replay is None or not core.dropped:
                    raise
                await self._reconnect(exc)
                continue
            replay = self._replay
            if replay is not None and event is not None:
                with self._replay_guard:
                    self._failed_reconnects = 0  # the new connection works
                    replay.on_event(event)
            return event

    async def _apply(
        self, action: Callable[[RealtimeSession], object], *, audio: bytes | None = None, finish: bool = False
    ) -> None:
        """Run ``action`` on the current session and send what it queued.

        With a reconnect policy, audio is kept for replay first; a send that
        finds the connection dropped is not an error then (the reader
        reconnects, and the audio goes out again on the new connection).
        """
        replay = self._replay
        if replay is None:
            core = self._core
            await self._driver.apply(lambda: action(core))
            return
        with self._replay_guard:
            core, driver = self._core, self._driver
            if audio is not None and not core.paused and core.state is SessionState.STREAMING:
                replay.add(audio)
            replay.finished = replay.finished or finish
        try:
            await driver.apply(lambda: action(core))
        except SonioxRealtimeError:
            if not core.dropped:
                raise

    async def _reconnect(self, cause: SonioxRealtimeError) -> None:
        """A new connection for a dropped one, with the audio not yet final replayed."""
        policy, replay = self._plan.reconnect, self._replay
        assert policy is not None and replay is not None
        last = cause
        while self._failed_reconnects < policy.max_attempts:
            self._failed_reconnects += 1
            await backend.sleep(policy.delay(self._failed_reconnects))
            core = self._plan.new_session()
            try:
                await self._driver.reopen(core)
            except SonioxRealtimeError as exc:
                last = exc
                continue
            driver = self._driver
            with self._replay_guard, driver.guard:
                paused = self._core.paused
                self._core = core
                for piece in replay.start_replay():
                    core.send_audio(piece, driver.clock())
                if replay.finished:
                    core.finish()
                elif paused:
                    core.pause(finalize=False)
            await driver.flush()
            return
        attempts = self._failed_reconnects
        self._gave_up = SonioxRealtimeReconnectError(
            f"The connection dropped and {attempts} reconnection attempt(s) failed: {last.message}",
            code=last.code,
            attempts=attempts,
        )
        raise SonioxRealtimeReconnectError(self._gave_up.message, code=last.code, attempts=attempts)

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

        Returns:
            The message's bytes (UTF-8 JSON), or ``b""`` after the last one.

        Raises:
            SonioxRealtimeError: the connection failed; ``SonioxRealtimeTimeoutError``
                when the server stays silent for longer than the receive timeout.
        """
        try:
            event = await self.receive_event()
        except SonioxRealtimeError:
            with self._driver.guard:
                raw = self._core.take_last_raw()
            if raw is not None:
                return raw
            raise
        if event is None:
            return b""
        with self._driver.guard:
            raw = self._core.take_last_raw()
        return raw or msgspec.json.encode(event)

    def parse_event(self, raw: str | bytes) -> RealtimeEvent:
        """Parse a message from ``recv_bytes`` into an event.

        Args:
            raw: One message, as bytes or text.

        Returns:
            The event (fields the client does not know are ignored).

        Raises:
            SonioxRealtimeError: the message is malformed.
        """
        return parse_event(raw)

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
        """Call ``handler(event)`` for every event (an async handler is awaited).

        Args:
            handler: Called once per event, in order.

        Raises:
            SonioxRealtimeError: As ``receive_event``; an exception of the handler
                propagates unchanged.
        """
        async for event in self.receive_events():
            await backend.maybe_await(handler(event))

    def send_in_background(
        self,
        chunks: bytes | Iterable[bytes] | AsyncIterable[bytes],
        *,
        finish: bool = True,
    ) -> backend.BackgroundJob:
        """Run ``send_bytes(chunks)`` beside the caller, so the caller can receive.

        Its failure (if any) is not lost: the session records it, and
        ``receive_event`` raises it.

        Args:
            chunks: ``bytes``, or an iterable or async iterable of ``bytes``.
            finish: After an iterable, tell the server the audio is over.

        Returns:
            The sender's thread in the blocking client (``join`` it if you like);
            ``None`` in the async one, where the task belongs to the session.

        Raises:
            SonioxValidationError: ``chunks`` is not bytes or an iterable, or
                ``finish`` is not a bool.
            SonioxRealtimeError: The session is not connected (use it inside the
                ``async with`` block).
        """
        _check_chunks(chunks, finish)
        self._driver.start_background(lambda: self.send_bytes(chunks, finish=finish))


def stream_audio(
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
        SonioxValidationError: At the call: ``source`` is a missing file, a
            directory or of the wrong type, or ``chunk_size_bytes``, ``speed`` or
            ``bytes_per_second`` is not a finite positive number. At the first
            chunk: pacing was asked for without a known byte rate (a non-WAV
            source and no ``bytes_per_second``).
    """
    check_audio_source(source, allow_async=True)
    check_chunk_size(chunk_size_bytes)
    return _paced(source, chunk_size_bytes, StreamPacer(speed, bytes_per_second))


async def _paced(
    source: bytes | str | Path | IO[bytes] | Iterable[bytes] | AsyncIterable[bytes],
    chunk_size_bytes: int,
    pacer: StreamPacer,
) -> AsyncIterator[bytes]:
    async for chunk in _chunks(source, chunk_size_bytes):
        delay = pacer.delay_before(chunk, backend.clock())
        if delay > 0:
            await backend.sleep(delay)
        yield chunk


def _check_chunks(chunks: object, finish: object) -> None:
    check.boolean(finish, "finish")
    accepted = (bytes, bytearray, memoryview, Iterable, AsyncIterable)
    if isinstance(chunks, str) or not isinstance(chunks, accepted):
        raise SonioxValidationError(
            f"must be bytes or an iterable of bytes, not {type(chunks).__name__}", field="chunks"
        )


async def _chunks(
    source: bytes | str | Path | IO[bytes] | Iterable[bytes] | AsyncIterable[bytes],
    size: int,
) -> AsyncIterator[bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        for chunk in split_chunks(bytes(source), size):
            yield chunk
    elif isinstance(source, (str, Path)) or hasattr(source, "read"):
        async for chunk in backend.read_file_chunks(cast("str | Path | IO[bytes]", source), size):
            yield chunk
    else:
        async for chunk in backend.iterate(source):
            yield chunk
