"""Realtime text-to-speech for the blocking client.

The twin of ``soniox_async._realtime_tts`` with the same names: the protocol
lives in ``soniox_core.realtime.tts``; this module moves its bytes over a stdlib
socket (TLS from ``ssl``), keeps the time, and runs a small keepalive thread
while the connection is open.

    with client.realtime.tts.connect(config=config) as tts:
        tts.send_text_chunks(llm_tokens())           # then finish()
        for chunk in tts.receive_audio_chunks():
            play(chunk)
"""

from __future__ import annotations

import contextlib
import select
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import Any

from soniox_core._config import ClientConfig
from soniox_core._errors import SonioxRealtimeError
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
from soniox_core.websocket import Signal, TransportFailure

from ._pool import ssl_context

__all__ = [
    "RealtimeTTSClient",
    "RealtimeTTSConnection",
    "RealtimeTTSMultiplexedConnection",
    "RealtimeTTSStream",
]


class RealtimeTTSClient:
    """Opens realtime text-to-speech connections: ``client.realtime.tts``."""

    def __init__(self, config: ClientConfig) -> None:
        self._config = config

    def connect(
        self,
        *,
        config: RealtimeTTSConfig | Mapping[str, Any],
        api_key: str | None = None,
        connect_timeout_sec: float = DEFAULT_TTS_CONNECT_TIMEOUT_SEC,
    ) -> RealtimeTTSConnection:
        """A single-stream connection, opened when entered with ``with``.

        Args:
            config: The stream's settings (voice, model, format ...).
            api_key: Overrides the client's key, e.g. a temporary key made with
                ``usage_type="tts_rt"``.
            connect_timeout_sec: Bound on the TCP, TLS and WebSocket handshakes.

        Returns:
            The connection; nothing is opened until ``with``.

        Raises:
            SonioxValidationError: an argument is invalid (checked now, before any connection).
        """
        plan = plan_tts_connection(
            self._config, config, multi_stream=False, api_key=api_key, connect_timeout_sec=connect_timeout_sec
        )
        return RealtimeTTSConnection(plan)

    def connect_multi_stream(
        self,
        *,
        connect_timeout_sec: float = DEFAULT_TTS_CONNECT_TIMEOUT_SEC,
        api_key: str | None = None,
    ) -> RealtimeTTSMultiplexedConnection:
        """A connection for up to five concurrent streams (``open_stream``), opened by ``with``.

        Args:
            connect_timeout_sec: Bound on the TCP, TLS and WebSocket handshakes.
            api_key: Overrides the client's key (an addition to the official SDK).

        Returns:
            The connection; nothing is opened until ``with``.

        Raises:
            SonioxValidationError: an argument is invalid.
        """
        plan = plan_tts_connection(
            self._config, None, multi_stream=True, api_key=api_key, connect_timeout_sec=connect_timeout_sec
        )
        return RealtimeTTSMultiplexedConnection(plan)


class RealtimeTTSMultiplexedConnection:
    """One WebSocket carrying up to five text-to-speech streams; use ``with``.

    Each stream (``open_stream``) can be driven from its own thread; events are
    routed to the right stream and the others' are kept until read. A service
    error for one stream raises on that stream only; a connection error raises
    on all. Leaving the block closes the socket, also on error and Ctrl-C.
    """

    def __init__(self, plan: TTSPlan) -> None:
        self._plan = plan
        self._session = plan.session
        self._protocol = plan.session.protocol
        self._sock: socket.socket | None = None
        # _lock guards the session; one thread at a time reads the socket
        # (_reading) while the others wait on _routed for what it routes to them.
        self._lock = threading.Lock()
        self._routed = threading.Condition(self._lock)
        self._reading = False
        # _write_lock keeps frames in order without holding _lock while a write blocks.
        self._write_lock = threading.Lock()
        self._stop_keepalive = threading.Event()
        self._keepalive_thread: threading.Thread | None = None
        self._closed = False

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

    def __enter__(self) -> RealtimeTTSMultiplexedConnection:
        self._open()
        thread = threading.Thread(target=self._keepalive_main, name="soniox-tts-keepalive", daemon=True)
        self._keepalive_thread = thread
        thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _open(self) -> None:
        if self._sock is not None or self._closed:
            raise SonioxRealtimeError("A realtime text-to-speech connection can be entered only once")
        endpoint = self._session.endpoint
        timeout = self._plan.connect_timeout_sec
        deadline = time.monotonic() + timeout
        try:
            sock = socket.create_connection((endpoint.host, endpoint.port), timeout=timeout)
        except TimeoutError:
            raise self._failed(TransportFailure.CONNECT_TIMEOUT) from None
        except OSError as exc:
            raise self._failed(TransportFailure.CONNECT_FAILED, exc) from exc
        self._sock = sock
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if endpoint.secure:
                sock.settimeout(max(0.001, deadline - time.monotonic()))
                sock = ssl_context(self._plan.tls).wrap_socket(sock, server_hostname=endpoint.host)
                self._sock = sock
            with self._lock:
                self._session.start(time.monotonic())
                sock.sendall(self._session.data_to_send())
            while self._session.handshaking:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                sock.settimeout(remaining)
                data = sock.recv(READ_SIZE_BYTES)
                with self._lock:
                    self._session.receive_data(data or None)
            sock.settimeout(self._plan.write_timeout_sec)
            with self._lock:
                if (error := self._session.handshake_error()) is not None:
                    raise error
            self._flush()  # the single stream's config
        except TimeoutError:
            self._abort()
            raise self._failed(TransportFailure.CONNECT_TIMEOUT) from None
        except SonioxRealtimeError:
            self._abort()
            raise
        except (OSError, ssl.SSLError) as exc:
            self._abort()
            raise self._failed(TransportFailure.CONNECT_FAILED, exc) from exc
        except BaseException:
            self._abort()
            raise

    def close(self) -> None:
        """Close the socket (after a close handshake of at most 2 s); safe to call more than once.

        Streams that had not received all their audio fail with a ``SonioxRealtimeError``.
        """
        if self._sock is None or self._closed:
            return
        self._closed = True
        self._stop_keepalive.set()
        thread = self._keepalive_thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=CLOSE_GRACE_SEC)
        sock = self._sock
        try:
            with self._lock:
                self._session.close()
            self._flush()
            deadline = time.monotonic() + CLOSE_GRACE_SEC
            while time.monotonic() < deadline:
                with self._lock:
                    if not self._session.awaiting_close:
                        break
                    if self._reading:  # another thread reads; it will see the answer
                        self._routed.wait(deadline - time.monotonic())
                        continue
                    self._reading = True
                try:
                    data = _wait_and_recv(sock, deadline - time.monotonic())
                finally:
                    with self._lock:
                        self._reading = False
                        if data != b"":
                            self._session.receive_data(data)
                        self._routed.notify_all()
        except Exception:  # the socket is going away regardless
            pass
        finally:
            self._abort()

    def _abort(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            # shutdown() wakes a thread blocked in recv/select on this socket.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self._closed = True
        self._stop_keepalive.set()

    # --- I/O helpers ------------------------------------------------------------------------------

    def _failed(self, kind: TransportFailure, cause: BaseException | None = None) -> SonioxRealtimeError:
        with self._lock:
            error = self._session.transport_failed(kind, cause=cause)
            self._routed.notify_all()
        assert error is not None  # only a receive timeout may pass, and this driver has none
        return error

    def _require_open(self) -> socket.socket:
        sock = self._sock
        if sock is None:
            raise self._failed(TransportFailure.NOT_OPEN)
        return sock

    def _flush(self) -> None:
        """Write what the session has queued (call without holding ``_lock``)."""
        with self._write_lock:
            with self._lock:
                data = self._session.data_to_send()
            if not data:
                return
            sock = self._require_open()
            try:
                sock.sendall(data)
            except TimeoutError:
                raise self._failed(TransportFailure.SEND_TIMEOUT) from None
            except OSError as exc:
                raise self._failed(TransportFailure.SEND_FAILED) from exc

    def _keepalive_main(self) -> None:
        # Never dies silently: a failure is recorded in the session and the socket
        # shut down, so readers wake up with a typed error.
        try:
            while not self._stop_keepalive.is_set():
                with self._lock:
                    due = self._protocol.next_keepalive_at()
                if due is None:
                    return
                if self._stop_keepalive.wait(max(0.0, due - time.monotonic())):
                    return
                with self._lock:
                    sent = self._protocol.handle_timer(time.monotonic())
                if sent:
                    self._flush()
        except Exception as exc:
            self._failed(TransportFailure.WORKER_FAILED, exc)
            self._abort()

    def _do(self, action: Callable[[float], object]) -> None:
        self._require_open()
        with self._lock:
            action(time.monotonic())
        self._flush()

    # --- sending ----------------------------------------------------------------------------------

    def _drop_notices(self) -> None:
        # The protocol already routed every message to its stream; the session's
        # own queue only says that it did (and repeats a failure the streams hold).
        with contextlib.suppress(SonioxRealtimeError):
            while not isinstance(self._session.next_event(), Signal):
                pass

    def open_stream(self, *, config: RealtimeTTSConfig | Mapping[str, Any]) -> RealtimeTTSStream:
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
        with self._lock:
            stream = self._protocol.open_stream(config, time.monotonic())
        self._flush()
        return RealtimeTTSStream(self, stream)

    def keep_alive(self) -> None:
        """Send a keepalive now (one also goes out by itself after 25 s without any message)."""
        self._do(self._protocol.keep_alive)

    def pause(self) -> None:
        """Drop outgoing text until ``resume()``; keepalives keep the connection open meanwhile."""
        self._require_open()
        with self._lock:
            self._protocol.pause()

    def resume(self) -> None:
        """Let text through again after ``pause()``."""
        self._require_open()
        with self._lock:
            self._protocol.resume(time.monotonic())

    # --- receiving --------------------------------------------------------------------------------

    def _next(self, stream: TTSStream) -> Received | None:
        """``stream``'s next message; one thread at a time reads the socket for everyone."""
        while True:
            with self._lock:
                item = self._protocol.next_event(stream, time.monotonic())
                if isinstance(item, Received):
                    return item
                if item is TTS_END:
                    return None
                deadline = self._protocol.event_deadline(stream)
                timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
                if self._reading:
                    self._routed.wait(timeout)
                    continue
                self._reading = True
            data: bytes | None = b""
            try:
                sock = self._sock
                data = None if sock is None else _wait_and_recv(sock, timeout)
            finally:
                with self._lock:
                    self._reading = False
                    if data != b"":
                        self._session.receive_data(data)
                        self._drop_notices()
                    self._routed.notify_all()
                    reply = self._sock is not None and self._session.has_data_to_send
            if reply:
                # A failed pong is recorded in the session; the next round raises it.
                with contextlib.suppress(SonioxRealtimeError):
                    self._flush()
            if data is None:
                with self._lock:
                    # The session saw the EOF; should a stream still be waiting
                    # (the socket was already gone), it fails instead of spinning.
                    self._protocol.fail(SonioxRealtimeError("Connection lost"))
                if self._sock is not None:
                    self._abort()


def _wait_and_recv(sock: socket.socket, timeout: float | None) -> bytes | None:
    """Bytes read, ``b""`` when nothing arrived in time, ``None`` at EOF or failure."""
    try:
        ready = isinstance(sock, ssl.SSLSocket) and sock.pending() > 0
        if not ready:
            readable, _, _ = select.select([sock], [], [], timeout)
            ready = bool(readable)
        if not ready:
            return b""
        return sock.recv(READ_SIZE_BYTES) or None
    except (ssl.SSLWantReadError, BlockingIOError, TimeoutError):
        return b""  # readable, but only a TLS record without application data
    except (OSError, ValueError):  # reset, or closed by another thread
        return None


class _StreamOps:
    """What a stream handle and the single-stream connection both offer."""

    _connection: RealtimeTTSMultiplexedConnection
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

    def send_text_chunk(self, text: str, *, text_end: bool = False) -> None:
        """Send one piece of text as soon as you have it (e.g. an LLM token).

        Text longer than 5000 characters is split at sentence or word ends.
        While paused the text is dropped, but ``text_end`` still ends the stream.

        Raises:
            SonioxValidationError: ``text`` is not a str.
            SonioxRealtimeError: the stream's text already ended, or the stream or connection failed.
        """
        conn = self._connection
        conn._do(lambda now: conn._protocol.send_text(self._core, text, now, text_end=text_end))

    def send_text_chunks(self, chunks: str | Iterable[str], *, text_end: bool = True) -> None:
        """Send text: a str as one message, or every chunk of an iterable, then ``finish()``.

        Args:
            chunks: The text, or an iterable of pieces as they are produced.
            text_end: Whether the stream's text ends after these chunks.
        """
        if isinstance(chunks, str):
            self.send_text_chunk(chunks, text_end=text_end)
            return
        for chunk in chunks:
            self.send_text_chunk(chunk)
        if text_end:
            self.finish()

    def finish(self) -> None:
        """Say that no more text follows; the remaining audio, then ``terminated``, comes back."""
        conn = self._connection
        conn._do(lambda now: conn._protocol.finish(self._core, now))

    def cancel(self) -> None:
        """Stop the stream; the service answers with ``terminated``."""
        conn = self._connection
        conn._do(lambda now: conn._protocol.cancel(self._core, now))

    def keep_alive(self) -> None:
        """Send a keepalive on the connection."""
        self._connection.keep_alive()

    def pause(self) -> None:
        """Pause the connection's text (keepalives continue)."""
        self._connection.pause()

    def resume(self) -> None:
        """Resume the connection's text."""
        self._connection.resume()

    def _next_item(self) -> Received | None:
        return self._connection._next(self._core)

    def receive_event(self) -> RealtimeTTSEvent | None:
        """The stream's next event, or ``None`` once it is over.

        Raises:
            SonioxRealtimeError: the service reported an error for the stream (with
                its ``code``), or the connection failed.
            SonioxTTSAudioError: an audio payload was not valid base64.
            SonioxRealtimeTimeoutError: no event came for 60 s (not counted while paused).
        """
        item = self._next_item()
        return None if item is None else item.event

    def receive_events(self) -> Iterator[RealtimeTTSEvent]:
        """Every event of the stream, up to and including ``terminated``."""
        while (event := self.receive_event()) is not None:
            yield event
            if event.terminated:
                return

    def receive_audio_chunks(self) -> Iterator[bytes]:
        """The stream's audio, decoded, chunk by chunk as it arrives."""
        while (item := self._next_item()) is not None:
            if item.audio is not None:
                yield item.audio
            if item.event.terminated:
                return

    def handle_events(self, handler: Callable[[RealtimeTTSEvent], object]) -> None:
        """Call ``handler(event)`` for every event of the stream."""
        for event in self.receive_events():
            handler(event)


class RealtimeTTSStream(_StreamOps):
    """One stream of a multiplexed connection (made by ``open_stream``)."""

    def __init__(self, connection: RealtimeTTSMultiplexedConnection, stream: TTSStream) -> None:
        self._connection = connection
        self._core = stream

    @property
    def paused(self) -> bool:
        """Whether the connection's text is paused."""
        return self._connection.paused


class RealtimeTTSConnection(_StreamOps):
    """A connection with a single text-to-speech stream; use ``with``.

    Entering it opens the WebSocket and sends the stream's config; leaving it
    closes the socket, also on error and Ctrl-C.
    """

    def __init__(self, plan: TTSPlan) -> None:
        assert plan.config is not None
        self._connection = RealtimeTTSMultiplexedConnection(plan)
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

    def __enter__(self) -> RealtimeTTSConnection:
        self._connection.__enter__()
        opened = self._connection._session.first_stream
        if opened is None:  # the server closed right behind its 101
            self._connection.close()
            raise SonioxRealtimeError("Realtime text-to-speech connection closed before the stream started")
        self._core = opened
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._connection.__exit__(exc_type, exc, tb)

    def close(self) -> None:
        """Close the connection; safe to call more than once."""
        self._connection.close()

    def recv_bytes(self) -> bytes:
        """The next raw message of the stream, as bytes; ``b""`` once it is over.

        Error messages are returned as they are (``receive_event`` raises them).

        Raises:
            SonioxRealtimeError: the connection failed; ``SonioxRealtimeTimeoutError`` after 60 s.
        """
        try:
            item = self._next_item()
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
