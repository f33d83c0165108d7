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

import contextlib
import select
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import IO, Any, cast

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

from ._dial import open_socket

__all__ = ["RealtimeAPI", "RealtimeSTTClient", "RealtimeSTTSession", "stream_audio"]


class RealtimeAPI:
    """``client.realtime``: the realtime APIs of the blocking client."""

    def __init__(self, config: ClientConfig) -> None:
        self._config = config

    @cached_property
    def stt(self) -> RealtimeSTTClient:
        """Realtime speech-to-text sessions."""
        return RealtimeSTTClient(self._config)


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
        self._sock: socket.socket | None = None
        # _lock guards the core and the writing side; _receive_lock lets one
        # reader at a time wait on the socket without holding _lock.
        self._lock = threading.RLock()
        self._receive_lock = threading.Lock()
        # _write_lock keeps frames in order on the socket without holding _lock
        # while a write blocks, so the reader is not held up by the sender. Taken
        # before _lock, never while holding it.
        self._write_lock = threading.Lock()
        self._stop_keepalive = threading.Event()
        self._keepalive_thread: threading.Thread | None = None
        self._closed = False

    # --- lifecycle ----------------------------------------------------------------------

    def __enter__(self) -> RealtimeSTTSession:
        self._open()
        thread = threading.Thread(target=self._keepalive_main, name="soniox-realtime-keepalive", daemon=True)
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
            raise SonioxRealtimeError("A realtime session can be entered only once")
        deadline = time.monotonic() + self._plan.connect_timeout_sec
        try:
            sock = open_socket(self._plan, deadline)  # through the proxy, if one is set
        except TimeoutError:
            raise SonioxRealtimeTimeoutError("Connection timed out") from None
        except SonioxRealtimeError:
            raise
        except (OSError, ssl.SSLError) as exc:
            raise SonioxRealtimeError(f"Failed to start realtime session: {exc}") from exc
        self._sock = sock
        try:
            with self._lock:
                self._core.start(time.monotonic())
                sock.sendall(self._core.data_to_send())
            while self._core.state is SessionState.CONNECTING:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                sock.settimeout(remaining)
                data = sock.recv(READ_SIZE_BYTES)
                with self._lock:
                    self._core.receive_data(data or None)
            sock.settimeout(self._plan.write_timeout_sec)
            with self._lock:
                # A failed handshake fails here; an error message that came right
                # behind the 101 is left for receive_event, as it would be a moment later.
                if (error := self._core.handshake_error()) is not None:
                    raise error
            self._flush()  # the config message
        except TimeoutError:
            self._abort()
            raise SonioxRealtimeTimeoutError("Connection timed out") from None
        except SonioxRealtimeError:
            self._abort()
            raise
        except (OSError, ssl.SSLError) as exc:
            self._abort()
            raise SonioxRealtimeError(f"Failed to start realtime session: {exc}") from exc
        except BaseException:
            self._abort()
            raise

    def close(self) -> None:
        """End the session and close the socket; safe to call more than once.

        Sends a close frame (not another end-of-audio) and waits briefly for the
        server's answer.
        """
        if self._sock is None or self._closed:
            return  # never entered (a no-op, as in the official SDK) or already closed
        self._closed = True
        self._stop_keepalive.set()
        thread = self._keepalive_thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=CLOSE_GRACE_SEC)
        sock = self._sock
        if sock is None:
            return
        try:
            with self._lock:
                self._core.close()
            self._flush()
            # Another thread may be blocked reading; then it will see the EOF.
            if self._receive_lock.acquire(timeout=CLOSE_GRACE_SEC):
                try:
                    deadline = time.monotonic() + CLOSE_GRACE_SEC
                    while self._core.awaiting_close and time.monotonic() < deadline:
                        data = self._wait_and_recv(sock, deadline - time.monotonic())
                        if data == b"":
                            continue
                        with self._lock:
                            self._core.receive_data(data)
                finally:
                    self._receive_lock.release()
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

    # --- I/O helpers -------------------------------------------------------------------

    def _require_open(self) -> socket.socket:
        sock = self._sock
        if sock is None:
            raise self._core.not_open_error()
        return sock

    @staticmethod
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
            # Readable, but no application data yet: a TLS record such as a session
            # ticket. Not an EOF; the caller keeps waiting within its deadline.
            return b""
        except (OSError, ValueError):  # reset, or closed by another thread
            return None

    def _read(self) -> bytes | None:
        """Read with the idle receive timeout (restarted while paused)."""
        sock = self._require_open()
        timeout = self._plan.receive_timeout_sec
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            data = self._wait_and_recv(sock, remaining)
            if data != b"":
                return data
            if timeout is None or deadline is None or time.monotonic() < deadline:
                continue  # woken early (e.g. TLS records that carried no data)
            with self._lock:
                error = self._core.receive_timed_out(timeout)
            if error is not None:
                raise error
            deadline = time.monotonic() + timeout  # paused: the wait starts over

    def _flush(self) -> None:
        """Write what the core has queued (call without holding ``_lock``)."""
        with self._write_lock:
            with self._lock:
                data = self._core.data_to_send()
            if not data:
                return
            sock = self._require_open()
            try:
                sock.sendall(data)
            except TimeoutError:
                with self._lock:
                    raise self._core.send_timed_out() from None
            except OSError as exc:
                with self._lock:
                    raise self._core.send_failed() from exc

    def _keepalive_main(self) -> None:
        # Never dies silently: a failure is recorded in the session and the socket
        # shut down, so the reader wakes up with a typed error.
        try:
            while not self._stop_keepalive.is_set():
                with self._lock:
                    due = self._core.next_keepalive_at()
                if due is None:
                    return  # past the end of audio: nothing left to keep alive
                if self._stop_keepalive.wait(max(0.0, due - time.monotonic())):
                    return
                with self._lock:
                    due_now = self._core.handle_timer(time.monotonic())
                if due_now:
                    self._flush()
        except Exception as exc:
            with self._lock:
                self._core.fail_from(exc, "Keepalive")
            self._abort()

    def _do(self, action: Callable[[], object]) -> None:
        self._require_open()
        with self._lock:
            action()
        self._flush()

    # --- sending ------------------------------------------------------------------------

    def send_byte_chunk(self, chunk: bytes) -> None:
        """Send one chunk of audio. Dropped while paused."""
        self._do(lambda: self._core.send_audio(chunk, time.monotonic()))

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
        self._do(lambda: self._core.keep_alive(time.monotonic()))

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
        with self._receive_lock:
            while True:
                with self._lock:
                    item = self._core.next_event()
                if isinstance(item, RealtimeEvent):
                    return item
                if item is END:
                    return None
                data = self._read()
                with self._lock:
                    self._core.receive_data(data)
                    reply = self._sock is not None and self._core.has_data_to_send
                if reply:
                    # A failed reply is recorded in the session (or the socket is
                    # gone), and the next round raises it: after the events, and the
                    # server's own error, that arrived before it.
                    with contextlib.suppress(SonioxRealtimeError):
                        self._flush()  # pongs and close replies

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

        def run() -> None:
            try:
                self.send_bytes(chunks, finish=finish)
            except Exception as exc:
                with self._lock:
                    self._core.fail_from(exc, "Sending audio")
                self._abort()  # wakes the reader, which raises the recorded error

        thread = threading.Thread(target=run, name="soniox-realtime-sender", daemon=True)
        thread.start()
        return thread


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
