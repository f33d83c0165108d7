"""The public :class:`Emulator`: state, controls and the server's lifecycle."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import TYPE_CHECKING

from ._faults import Faults
from ._http import ApiErrorException
from ._limits import AccountLimits
from ._state import TEMPORARY_KEY_PREFIX, RecordedRequest, State, TemporaryKey
from ._tts_ws_control import TtsRealtimeControl
from ._usage import Usage
from ._voice_store import Voices
from ._webhooks import WebhookDelivery, WebhookDispatcher

if TYPE_CHECKING:
    from ._server import ServerThread
    from .realtime import RealtimeControl


class Emulator:
    """A local Soniox service: REST API under ``/v1`` and the realtime WebSocket.

    Transcriptions move queued -> processing -> completed (or error) after
    ``queued_sec`` and ``processing_sec`` of ``clock`` time; both may be changed at any
    time and apply to transcriptions created afterwards. Use it as a context
    manager (or ``start()``/``stop()``); it serves on a background thread.

    Args:
        api_key: The key the REST API and the realtime endpoint accept.
        queued_sec: Seconds a new transcription stays ``queued``.
        processing_sec: Seconds it then stays ``processing``.
        host: Address to listen on (loopback by default).
        port: Port to listen on; 0 picks a free one (read it from ``port`` or
            ``base_url`` once started).
        extra_api_keys: More keys to accept.
        clock: A monotonic clock in seconds, to control time in tests; default
            ``time.monotonic``.
    """

    def __init__(
        self,
        api_key: str = "test-key",
        queued_sec: float = 0.05,
        processing_sec: float = 0.1,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        extra_api_keys: Iterable[str] = (),
        clock: Callable[[], float] | None = None,
    ) -> None:
        from .realtime import RealtimeControl

        self.api_key = api_key
        #: Every key the REST API and the realtime endpoint accept (tests may add more).
        self.api_keys: set[str] = {api_key, *extra_api_keys}
        self.queued_sec = queued_sec
        self.processing_sec = processing_sec
        self.host = host
        self.port = port
        #: Deleting a transcription leaves its uploaded file alone, as the service does
        #: today; ``True`` imitates the older service that deleted the file too.
        self.delete_files_with_transcription = False
        #: Per-file upload limit in bytes (``None``: unlimited).
        self.max_upload_bytes: int | None = None
        self.faults = Faults()
        self.realtime: RealtimeControl = RealtimeControl()
        #: Settings, faults and observations of the TTS WebSocket.
        self.tts_realtime: TtsRealtimeControl = TtsRealtimeControl()
        self._defaults = (queued_sec, processing_sec)
        self._state = State(clock or time.monotonic)
        #: Usage logs, open streams and concurrency limits (``usage.limits``).
        self.usage = Usage(self._state.clock)
        #: Account limits for batch work (rates, file and transcription caps); all off.
        self.limits = AccountLimits(self._state.clock)
        #: Cloned voices and their preparation settings.
        self.voices = Voices(self._state.clock, self._state.next_seq)
        #: Webhook delivery settings: ``max_attempts``, ``backoff``, ``timeout``.
        self.webhooks = WebhookDispatcher(self._state)
        self._webhook_defaults = (
            self.webhooks.max_attempts,
            self.webhooks.backoff,
            self.webhooks.timeout,
        )
        self._server: ServerThread | None = None

    # Lifecycle ----------------------------------------------------------------------------

    def start(self) -> Emulator:
        """Serve on a background thread; returns once the port is listening.

        Returns:
            This emulator (starting twice does nothing).

        Raises:
            ModuleNotFoundError: The ``[emulator]`` extra (uvicorn, Starlette) is not
                installed.
            OSError: The port is taken.
        """
        if self._server is not None:
            return self
        # Imported here so that ``import soniox_emulator`` stays free of uvicorn.
        from ._app import EmulatorApp
        from ._server import ServerThread
        from ._transport import TransportRegistry

        registry = TransportRegistry()
        server = ServerThread(EmulatorApp(self, registry), registry, self.host, self.port)
        server.start()
        self.port = server.port
        self._server = server
        self.webhooks.start()
        return self

    def stop(self) -> None:
        """Stop serving (idempotent)."""
        server, self._server = self._server, None
        self.webhooks.stop()
        if server is not None:
            server.stop()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """``http://HOST:PORT``, the server root."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The REST base URL, ``http://HOST:PORT/v1``."""
        return self.url + "/v1"

    @property
    def websocket_url(self) -> str:
        """The realtime URL, ``ws://HOST:PORT/transcribe-websocket``."""
        return "ws" + self.url[len("http") :] + "/transcribe-websocket"

    # The official SDK's names for the four base URLs.
    @property
    def api_base_url(self) -> str:
        """Same as :attr:`base_url` (the official SDK's ``api_base_url``)."""
        return self.base_url

    @property
    def websocket_base_url(self) -> str:
        """Same as :attr:`websocket_url` (the official SDK's ``websocket_base_url``)."""
        return self.websocket_url

    @property
    def tts_api_base_url(self) -> str:
        """The TTS REST base, ``http://HOST:PORT`` (requests go to ``/tts`` under it)."""
        return self.url

    @property
    def tts_websocket_base_url(self) -> str:
        """The TTS WebSocket URL, ``ws://HOST:PORT/tts-websocket``."""
        return "ws" + self.url[len("http") :] + "/tts-websocket"

    # Test controls ------------------------------------------------------------------------

    def set_transcript(
        self,
        text: str,
        *,
        file_id: str | None = None,
        filename: str | None = None,
        audio_url: str | None = None,
    ) -> None:
        """Use ``text`` as the transcript of matching transcriptions created from now on.

        A file id match wins over a filename match, which wins over an audio URL match.
        """
        self._state.transcripts.set(text, file_id, filename, audio_url)

    def fail_transcription(
        self,
        *,
        file_id: str | None = None,
        filename: str | None = None,
        audio_url: str | None = None,
        error_type: str = "audio_decode_error",
        message: str = "The audio could not be decoded.",
    ) -> None:
        """Make matching transcriptions created from now on end in ``error``.

        Without this, only audio URLs on the reserved ``.invalid`` domain fail.
        """
        self._state.failures.set((error_type, message), file_id, filename, audio_url)

    def request_count(self, method: str, path_template: str) -> int:
        """Requests received for a route, e.g. ``("POST", "/v1/transcriptions")`` or
        ``("GET", "/v1/files/{file_id}")``; faulted requests count too."""
        with self._state.lock:
            return self._state.counts[(method.upper(), path_template)]

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every HTTP request received since the last reset, oldest first."""
        with self._state.lock:
            return list(self._state.requests)

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every webhook delivery attempt since the last reset, oldest first."""
        return self.webhooks.deliveries

    def wait_for_webhooks(self, count: int, timeout: float = 5.0) -> list[WebhookDelivery]:
        """Wait until ``count`` webhook attempts are recorded; returns them all."""
        return self.webhooks.wait_for(count, timeout)

    def temporary_key(self, key: str) -> TemporaryKey | None:
        """A minted temporary key's record (usage, expiry, uses), if it exists."""
        with self._state.lock:
            return self._state.temporary_keys.get(key)

    def reset(self) -> None:
        """Forget all files, transcriptions, keys, counts, faults, webhooks and
        test-set transcripts; restore the constructor's timings."""
        self._state.clear()
        self.faults.clear()
        self.webhooks.clear()
        self.webhooks.max_attempts, self.webhooks.backoff, self.webhooks.timeout = self._webhook_defaults
        self.queued_sec, self.processing_sec = self._defaults
        self.api_keys = {self.api_key}
        self.delete_files_with_transcription = False
        self.max_upload_bytes = None
        self.usage.clear()
        self.voices.clear()
        self.limits.clear()
        self.tts_realtime.reset()
        reset_realtime = getattr(self.realtime, "reset", None)
        if callable(reset_realtime):
            reset_realtime()
        else:
            from .realtime import RealtimeControl

            self.realtime = RealtimeControl()

    # Authentication -----------------------------------------------------------------------

    def authenticate_realtime(self, key: str | None) -> bool:
        """Whether ``key`` may open a realtime session; spends a single-use key."""
        if not key:
            return False
        if key in self.api_keys:
            return True
        return self._state.use_temporary_key(key, "transcribe_websocket")

    def _authenticate_rest(self, authorization: str | None) -> None:
        if not authorization:
            raise ApiErrorException(
                401,
                "unauthenticated",
                "Missing API key. Send it as 'Authorization: Bearer <SONIOX_API_KEY>'.",
            )
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise ApiErrorException(
                401, "unauthenticated", "The Authorization header must use the Bearer scheme."
            )
        if token in self.api_keys:
            return
        if token.startswith(TEMPORARY_KEY_PREFIX):
            raise ApiErrorException(
                401, "unauthenticated", "Temporary API keys cannot be used for this endpoint."
            )
        raise ApiErrorException(401, "unauthenticated", "Incorrect API key provided.")
