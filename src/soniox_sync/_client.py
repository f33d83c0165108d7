# Generated from src/soniox_async/_client.py by scripts/unasync.py: do not edit.
# Change the async source and run `python scripts/unasync.py`.
"""SonioxClient and its API namespaces: one-line facades over soniox_core operations.

Generated from ``soniox_async/_client.py``; edit that one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from soniox_core import (
    ClientConfig,
    CreateTemporaryApiKeyResponse,
    CreateTranscriptionConfig,
    File,
    FileInput,
    GetFilesCountResponse,
    GetFilesResponse,
    GetModelsResponse,
    GetTranscriptionsCountResponse,
    GetTranscriptionsResponse,
    Response,
    TemporaryApiKeyUsageType,
    Timeouts,
    Transcription,
    TranscriptionTranscript,
    WebhookAuthConfig,
    resolve_config,
)
from soniox_core._ops import batch as _batch
from soniox_core._ops import files as _files
from soniox_core._ops import misc as _misc
from soniox_core._ops import transcriptions as _stt
from soniox_core._ops import translate as _translate
from soniox_core._ops import workflows as _flows
from soniox_core._progress import ProgressCallback
from soniox_core.webhooks import SonioxWebhooksAPI as _WebhooksBase

from ._batch import transcribe_many as _transcribe_many
from ._runner import Runner

if TYPE_CHECKING:
    from ._client_account import ConcurrencyLimitsAPI, UsageAPI, UsageLogsAPI
    from ._client_tts import TtsAPI, TtsModelsAPI, VoicesAPI
    from ._realtime import RealtimeAPI

__all__ = [
    "AuthAPI",
    "FilesAPI",
    "ModelsAPI",
    "SonioxClient",
    "SonioxWebhooksAPI",
    "SttAPI",
]

DEFAULT_MODEL = _stt.DEFAULT_MODEL


class SonioxClient:
    """Blocking Soniox REST client exposing HTTP and realtime helpers.

    Use one client for many calls (it keeps a connection pool) and close it when
    done, with ``client.close()`` or by using it as a context manager.

    Args:
        api_key: Your API key. Default: the ``SONIOX_API_KEY`` environment variable.
        api_base_url: REST base URL. Default: the region's, else
            ``SONIOX_API_BASE_URL``, else ``https://api.soniox.com/v1``.
        websocket_base_url: Realtime speech-to-text WebSocket URL. Default: the
            region's, else ``SONIOX_WEBSOCKET_BASE_URL``, else Soniox's.
        tts_api_base_url: Text-to-speech REST base URL. Default: the region's,
            else ``SONIOX_TTS_API_BASE_URL``, else ``https://tts-rt.soniox.com``.
        tts_websocket_base_url: Realtime text-to-speech WebSocket URL. Default:
            the region's, else ``SONIOX_TTS_WEBSOCKET_BASE_URL``, else Soniox's.
        timeout_sec: Seconds allowed for each network phase (connect, read, write,
            pool); default 30. A ``soniox_core.Timeouts`` sets them one by one.
        webhook_secret: The secret your webhook requests carry. Default:
            ``SONIOX_API_WEBHOOK_SECRET``.
        webhook_signature_header: The header that carries it. Default:
            ``SONIOX_API_WEBHOOK_HEADER``, else ``X-Soniox-Webhook-Secret``.
        region: ``"us"`` (the default), ``"eu"`` or ``"jp"``: picks the four
            base URLs of that data-residency region (``https://api.eu.soniox.com/v1``,
            ``wss://stt-rt.eu.soniox.com/transcribe-websocket``,
            ``https://tts-rt.eu.soniox.com``, ``wss://tts-rt.eu.soniox.com/tts-websocket``).
            A URL passed explicitly wins over the region's.
        **client_kwargs: Connection pool options (``max_connections``,
            ``max_keepalive_connections``, ``keepalive_expiry``, ``http2``,
            ``local_address``, ``uds``), trust and proxy (``verify``,
            ``ssl_context``, ``proxy``, ``trust_env``) and retry settings
            (``max_retries``, default 2; ``retry_base_delay``, 0.5 s;
            ``retry_max_delay``, 8 s: exponential backoff with full jitter).
            Proxies and CA certificates follow httpx: ``HTTPS_PROXY``,
            ``HTTP_PROXY``, ``ALL_PROXY`` and ``NO_PROXY`` (lowercase too),
            ``SSL_CERT_FILE`` and ``SSL_CERT_DIR`` are read at construction, for
            REST and realtime alike; ``trust_env=False`` ignores them.
            ``proxy="http://user:pass@host:port"`` sets a proxy explicitly (the
            environment is then not consulted); its credentials are sent as
            ``Proxy-Authorization`` and never shown.

    Raises:
        SonioxValidationError: No API key was given or found, an unknown region,
            or an option is unknown or out of range. Nothing is sent.
    """

    def __init__(
        self,
        api_key: str | None = None,
        api_base_url: str | None = None,
        websocket_base_url: str | None = None,
        tts_api_base_url: str | None = None,
        tts_websocket_base_url: str | None = None,
        timeout_sec: float | Timeouts | None = None,
        webhook_secret: str | None = None,
        webhook_signature_header: str | None = None,
        *,
        region: str | None = None,
        **client_kwargs: Any,
    ) -> None:
        self._config = resolve_config(
            api_key=api_key,
            api_base_url=api_base_url,
            websocket_base_url=websocket_base_url,
            tts_api_base_url=tts_api_base_url,
            tts_websocket_base_url=tts_websocket_base_url,
            region=region,
            timeout_sec=timeout_sec,
            webhook_secret=webhook_secret,
            webhook_signature_header=webhook_signature_header,
            client_kwargs=client_kwargs,
            transport_options=Runner.transport_options,
        )
        self._runner = Runner(self._config)

    @classmethod
    def _derived(cls, config: ClientConfig, runner: Runner) -> SonioxClient:
        client = cls.__new__(cls)
        client._config = config
        client._runner = runner
        return client

    def with_options(
        self, *, timeout_sec: float | Timeouts | None = None, max_retries: int | None = None
    ) -> SonioxClient:
        """A client sharing this one's connections, with other timeouts or retries.

        For a single call: ``client.with_options(max_retries=0).files.get(id)``.

        Args:
            timeout_sec: New per-phase timeout in seconds, or a ``Timeouts``; ``None``
                keeps this client's.
            max_retries: New retry count (0 disables retries); ``None`` keeps this
                client's.

        Returns:
            A new client; closing this one closes the shared connections.

        Raises:
            SonioxValidationError: A value is out of range.
        """
        config = self._config.with_options(
            timeout_sec=... if timeout_sec is None else timeout_sec, max_retries=max_retries
        )
        return type(self)._derived(config, self._runner)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api_base_url={self._config.api_base_url!r})"

    @property
    def api_key(self) -> str:
        """The API key in use."""
        return self._config.api_key

    @property
    def api_base_url(self) -> str:
        """Base URL of REST requests."""
        return self._config.api_base_url

    @property
    def websocket_base_url(self) -> str:
        """URL of the realtime WebSocket endpoint."""
        return self._config.websocket_base_url

    @property
    def tts_api_base_url(self) -> str:
        """Base URL of Text-to-Speech REST requests (``POST {url}/tts``)."""
        return self._config.tts_api_base_url

    @property
    def tts_websocket_base_url(self) -> str:
        """URL of the realtime Text-to-Speech WebSocket endpoint."""
        return self._config.tts_websocket_base_url

    @property
    def region(self) -> str:
        """The data-residency region the URLs default to (``"us"`` unless chosen)."""
        return self._config.region

    @property
    def timeout_sec(self) -> float | None:
        """The read timeout in seconds."""
        return self._config.timeout_sec

    @property
    def config(self) -> ClientConfig:
        """Everything this client resolved at construction (the key is never shown)."""
        return self._config

    @cached_property
    def files(self) -> FilesAPI:
        """Uploaded files."""
        return FilesAPI(self)

    @cached_property
    def stt(self) -> SttAPI:
        """Speech-to-text API namespace."""
        return SttAPI(self)

    @cached_property
    def models(self) -> ModelsAPI:
        """Available models."""
        return ModelsAPI(self)

    @cached_property
    def auth(self) -> AuthAPI:
        """Authentication API namespace."""
        return AuthAPI(self)

    @cached_property
    def tts(self) -> TtsAPI:
        """Text-to-Speech over REST: ``generate``, ``generate_stream``, ``generate_to_file``."""
        from ._client_tts import TtsAPI

        return TtsAPI(self)

    @cached_property
    def tts_models(self) -> TtsModelsAPI:
        """Available Text-to-Speech models."""
        from ._client_tts import TtsModelsAPI

        return TtsModelsAPI(self)

    @cached_property
    def voices(self) -> VoicesAPI:
        """Cloned voices and the shared voices of Text-to-Speech models."""
        from ._client_tts import VoicesAPI

        return VoicesAPI(self)

    @cached_property
    def usage_logs(self) -> UsageLogsAPI:
        """Per-request usage logs."""
        from ._client_account import UsageLogsAPI

        return UsageLogsAPI(self)

    @cached_property
    def usage(self) -> UsageAPI:
        """Daily usage summary."""
        from ._client_account import UsageAPI

        return UsageAPI(self)

    @cached_property
    def concurrency_limits(self) -> ConcurrencyLimitsAPI:
        """Concurrency limits and their history."""
        from ._client_account import ConcurrencyLimitsAPI

        return ConcurrencyLimitsAPI(self)

    @cached_property
    def webhooks(self) -> SonioxWebhooksAPI:
        """Webhook utilities API namespace."""
        return SonioxWebhooksAPI(
            webhook_secret=self._config.webhook_secret,
            webhook_header=self._config.webhook_signature_header,
        )

    @cached_property
    def realtime(self) -> RealtimeAPI:
        """Entry point for realtime speech-to-text: ``client.realtime.stt.connect(config=...)``."""
        from ._realtime import RealtimeAPI

        return RealtimeAPI(self._config)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None,
        json: Any | None = None,
        data: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None,
        files: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None,
    ) -> Response:
        """Perform a request against the configured Soniox REST endpoint.

        For endpoints this SDK has no method for. The API key is added for you.

        Args:
            method: HTTP method, e.g. ``"GET"``.
            path: Path under the base URL, e.g. ``"/models"``.
            params: Query parameters: a mapping or a list of ``(name, value)`` pairs
                (a name may repeat), as with httpx.
            json: A JSON body.
            data: Form fields: a mapping or a list of pairs.
            files: Multipart files (a mapping or a list of pairs): field name to
                bytes, a path, a file object, or a ``(filename, content)`` tuple.

        Returns:
            The response, whatever its status, redirects included (they are never
            followed; call ``raise_for_status()`` to turn an error status or a
            redirect into a ``SonioxAPIError``).

        Raises:
            SonioxValidationError: An argument is invalid; nothing was sent.
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        described = _misc.describe_raw_request(
            self._config, method, path, params=params, json=json, data=data, files=files
        )
        return self._runner.run(_misc.raw_request(self._config, described))

    def close(self) -> None:
        """Close any outstanding HTTP connections.

        Calls in progress fail; the client cannot be used afterwards.
        """
        self._runner.close()

    def __enter__(self) -> SonioxClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class _Namespace:
    def __init__(self, client: SonioxClient) -> None:
        """Bind the namespace to a client (``client.files`` does this for you)."""
        self._client = client
        self._config = client._config
        self._run = client._runner.run
        self._iterate_pages = client._runner.iterate_pages


class FilesAPI(_Namespace):
    """Upload, list, fetch and delete audio files."""

    def list(self, limit: int = 100, cursor: str | None = None) -> GetFilesResponse:
        """List uploaded files, one page (``GET /files``), newest first.

        Args:
            limit: Files per page (1 to 1000).
            cursor: ``next_page_cursor`` of the previous page; ``None`` for the first.

        Returns:
            The page: ``files`` and ``next_page_cursor`` (``None`` on the last page).

        Raises:
            SonioxValidationError: An argument is invalid; nothing was sent.
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(_files.list_page(self._config, limit, cursor))

    def list_all(self, limit: int = 100) -> Iterator[File]:
        """Iterate through all uploaded files across all pages.

        Args:
            limit: Files fetched per request.

        Returns:
            Each ``File``, fetching pages as you go.

        Raises:
            SonioxValidationError: An argument is invalid; nothing was sent.
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        for page in self._iterate_pages(_files.list_all(self._config, limit)):
            for item in page:
                yield item

    def count(self) -> GetFilesCountResponse:
        """How many files exist (``GET /files/count``).

        Returns:
            The total, and how many came through the API or the playground.

        Raises:
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(_files.count(self._config))

    def get(self, file_id: str) -> File:
        """Retrieve a file by ID (``GET /files/{file_id}``).

        Args:
            file_id: ID of a previously uploaded file.

        Returns:
            The file's metadata (name, size, creation time).

        Raises:
            SonioxNotFoundError: No such file (a ``SonioxAPIError``).
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(_files.get(self._config, file_id))

    def get_or_none(self, file_id: str) -> File | None:
        """Retrieve a file by ID, or ``None`` if it does not exist.

        Args:
            file_id: ID of a previously uploaded file.

        Returns:
            The file, or ``None``.

        Raises:
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(_files.get_or_none(self._config, file_id))

    def delete(self, file_id: str) -> None:
        """Delete a file by ID (``DELETE /files/{file_id}``).

        Args:
            file_id: ID of a previously uploaded file.

        Raises:
            SonioxNotFoundError: No such file (a ``SonioxAPIError``).
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        self._run(_files.delete(self._config, file_id))

    def delete_if_exists(self, file_id: str) -> None:
        """Delete a file by ID if it exists; a missing file is not an error.

        Args:
            file_id: ID of a previously uploaded file.

        Raises:
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        self._run(_files.delete_if_exists(self._config, file_id))

    def upload(
        self,
        file: FileInput,
        *,
        filename: str | None = None,
        client_reference_id: str | None = None,
    ) -> File:
        """Upload an audio file (``POST /files``), streamed in chunks.

        Args:
            file: A path (``str`` or ``Path``), ``bytes``, or a binary file object.
                A file object you opened is read from its current position and
                stays open.
            filename: Name to store; default: the path's (or file object's) name, else
                ``"upload.bin"``.
            client_reference_id: Your own label for the file (up to 256 characters).

        Returns:
            The uploaded file; its ``id`` is what ``stt.create(file_id=...)`` takes.

        Raises:
            SonioxValidationError: The file cannot be read (missing, a directory, opened in
                text mode) or an argument is invalid; nothing was sent.
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(_files.upload(self._config, file, filename, client_reference_id))

    def delete_all(self, limit: int = 100) -> None:
        """Delete every uploaded file, page by page.

        Args:
            limit: Files fetched per listing request.

        Raises:
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key). Stops at the first failed deletion.
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        self._run(_files.delete_all(self._config, limit))


class SttAPI(_Namespace):
    """Asynchronous (file) transcriptions: create, wait, fetch transcripts, clean up."""

    def list(self, limit: int = 100, cursor: str | None = None) -> GetTranscriptionsResponse:
        """List transcriptions, one page (``GET /transcriptions``), newest first.

        Args:
            limit: Transcriptions per page (1 to 1000).
            cursor: ``next_page_cursor`` of the previous page; ``None`` for the first.

        Returns:
            The page: ``transcriptions`` and ``next_page_cursor``.

        Raises:
            SonioxValidationError: An argument is invalid; nothing was sent.
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(_stt.list_page(self._config, limit, cursor))

    def list_all(self, limit: int = 100) -> Iterator[Transcription]:
        """Iterate through all transcriptions across all pages.

        Args:
            limit: Transcriptions fetched per request.

        Returns:
            Each ``Transcription``, fetching pages as you go.

        Raises:
            SonioxValidationError: An argument is invalid; nothing was sent.
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        for page in self._iterate_pages(_stt.list_all(self._config, limit)):
            for item in page:
                yield item

    def count(self) -> GetTranscriptionsCountResponse:
        """How many transcriptions exist (``GET /transcriptions/count``).

        Returns:
            The total, and how many came through the API or the playground.

        Raises:
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(_stt.count(self._config))

    def delete_all(self, limit: int = 100) -> None:
        """Delete every transcription, page by page (their files stay).

        Args:
            limit: Transcriptions fetched per listing request.

        Raises:
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key). Stops at the
                first failed deletion (a transcription still processing cannot be
                deleted: ``SonioxConflictError``).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        self._run(_stt.delete_all(self._config, limit))

    def create(
        self,
        *,
        model: str = DEFAULT_MODEL,
        file_id: str | None = None,
        audio_url: str | None = None,
        client_reference_id: str | None = None,
        config: CreateTranscriptionConfig | None = None,
    ) -> Transcription:
        """Create a transcription (``POST /transcriptions``) and return at once.

        Give exactly one of ``file_id`` and ``audio_url``. The request is never
        sent twice, so a retry cannot create a second transcription.

        Args:
            model: Speech-to-text model, e.g. ``"stt-async-v5"``.
            file_id: ID of a file uploaded with ``files.upload``.
            audio_url: A public URL the service fetches the audio from.
            client_reference_id: Your own label (up to 256 characters).
            config: Recognition options: languages, speaker labels, translation,
                context, webhook.

        Returns:
            The new transcription, usually ``queued``; see ``wait``.

        Raises:
            SonioxValidationError: Both or neither source given, or an option is invalid
                (the field is named); nothing was sent.
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(
            _stt.create(
                self._config,
                model=model,
                file_id=file_id,
                audio_url=audio_url,
                client_reference_id=client_reference_id,
                transcription_config=config,
            )
        )

    def get(self, transcription_id: str) -> Transcription:
        """Retrieve a transcription by ID (``GET /transcriptions/{transcription_id}``).

        Args:
            transcription_id: The transcription's ID.

        Returns:
            The transcription with its current ``status``.

        Raises:
            SonioxNotFoundError: No such transcription (a ``SonioxAPIError``).
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(_stt.get(self._config, transcription_id))

    def get_or_none(self, transcription_id: str) -> Transcription | None:
        """Retrieve a transcription by ID, or ``None`` if it does not exist.

        Args:
            transcription_id: The transcription's ID.

        Returns:
            The transcription, or ``None``.

        Raises:
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(_stt.get_or_none(self._config, transcription_id))

    def delete(self, transcription_id: str) -> None:
        """Delete a transcription by ID (its uploaded file stays; see ``destroy``).

        Args:
            transcription_id: The transcription's ID.

        Raises:
            SonioxNotFoundError: No such transcription (a ``SonioxAPIError``).
            SonioxConflictError: It is still queued or processing.
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        self._run(_stt.delete(self._config, transcription_id))

    def delete_if_exists(self, transcription_id: str) -> None:
        """Delete a transcription by ID if it exists; a missing one is not an error.

        Args:
            transcription_id: The transcription's ID.

        Raises:
            SonioxConflictError: It is still queued or processing.
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        self._run(_stt.delete_if_exists(self._config, transcription_id))

    def destroy(self, transcription_id: str) -> None:
        """Delete a transcription and its associated uploaded file.

        Either may already be gone; that is not an error.

        Args:
            transcription_id: The transcription's ID.

        Raises:
            SonioxConflictError: It is still queued or processing.
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        self._run(_stt.destroy(self._config, transcription_id))

    def destroy_all(self, limit: int = 100) -> None:
        """Delete every transcription and its file, page by page.

        Args:
            limit: Transcriptions fetched per listing request.

        Raises:
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key). Stops at the first failure.
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        self._run(_stt.destroy_all(self._config, limit))

    def get_transcript(self, transcription_id: str) -> TranscriptionTranscript:
        """Retrieve the transcript of a completed transcription.

        Args:
            transcription_id: The transcription's ID.

        Returns:
            The text and the tokens (with times, confidence, speaker, language).

        Raises:
            SonioxNotFoundError: No such transcription (a ``SonioxAPIError``).
            SonioxConflictError: It has not completed (yet, or it failed).
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(_stt.get_transcript(self._config, transcription_id))

    def wait(
        self,
        transcription_id: str,
        interval_sec: float = 5.0,
        timeout_sec: float | None = None,
        *,
        on_progress: ProgressCallback | None = None,
    ) -> Transcription:
        """Poll until the transcription leaves the queued or processing state.

        Polls quickly at first (0.1 s, doubling) and then every ``interval_sec``,
        so a short job returns in a moment.

        Args:
            transcription_id: The transcription's ID.
            interval_sec: Longest pause between polls, in seconds.
            timeout_sec: Give up after this many seconds; ``None`` waits forever.
            on_progress: Called with a ``WaitProgress`` after every poll and about
                every 0.1 s in between (for a spinner or an elapsed-time display).

        Returns:
            The finished transcription. One that failed is returned, not raised:
            check ``status == "error"`` and ``error_message``.

        Raises:
            SonioxWaitTimeoutError: ``timeout_sec`` passed; it carries the
                ``transcription_id`` (the job goes on). Also a ``TimeoutError``.
            SonioxValidationError: An argument is invalid; nothing was sent.
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(
            _flows.wait(self._config, transcription_id, interval_sec, timeout_sec, on_progress)
        )

    def delete_when_stopped(
        self,
        transcription_id: str,
        wait_sec: float = _flows.CLEANUP_WAIT_SEC,
        *,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        """Delete a transcription, waiting for it to stop running if it still does.

        The API refuses to delete a queued or processing transcription; this asks
        again (quickly at first, then every second) until it goes through or
        ``wait_sec`` has passed. One that is already gone is not an error.

        Args:
            transcription_id: The transcription's ID.
            wait_sec: How long to keep asking while it still runs; 0 asks once.
            on_progress: Called with a ``WaitProgress`` (stage ``"cleaning_up"``)
                after each refusal and about every 0.1 s while waiting.

        Raises:
            SonioxConflictError: It was still queued or processing after ``wait_sec``.
            SonioxValidationError: An argument is invalid; nothing was sent.
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        self._run(_flows.delete_when_stopped(self._config, transcription_id, wait_sec, on_progress))

    def transcribe_from_url(
        self,
        *,
        model: str = DEFAULT_MODEL,
        audio_url: str,
        client_reference_id: str | None = None,
        config: CreateTranscriptionConfig | None = None,
    ) -> Transcription:
        """Create a transcription of the audio at a URL; returns at once.

        Args:
            model: Speech-to-text model, e.g. ``"stt-async-v5"``.
            audio_url: A public URL the service fetches the audio from.
            client_reference_id: Your own label (up to 256 characters).
            config: Recognition options.

        Returns:
            The new transcription, usually ``queued``; see ``wait``.

        Raises:
            SonioxValidationError: An argument is invalid; nothing was sent.
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(
            _stt.create(
                self._config,
                model=model,
                audio_url=audio_url,
                client_reference_id=client_reference_id,
                transcription_config=config,
            )
        )

    def transcribe_from_file_id(
        self,
        *,
        model: str = DEFAULT_MODEL,
        file_id: str,
        client_reference_id: str | None = None,
        config: CreateTranscriptionConfig | None = None,
    ) -> Transcription:
        """Create a transcription of a file uploaded earlier; returns at once.

        Args:
            model: Speech-to-text model, e.g. ``"stt-async-v5"``.
            file_id: ID of a file uploaded with ``files.upload``.
            client_reference_id: Your own label (up to 256 characters).
            config: Recognition options.

        Returns:
            The new transcription, usually ``queued``; see ``wait``.

        Raises:
            SonioxValidationError: An argument is invalid; nothing was sent.
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(
            _stt.create(
                self._config,
                model=model,
                file_id=file_id,
                client_reference_id=client_reference_id,
                transcription_config=config,
            )
        )

    def transcribe_from_file(
        self,
        *,
        model: str = DEFAULT_MODEL,
        file: FileInput,
        filename: str | None = None,
        client_reference_id: str | None = None,
        config: CreateTranscriptionConfig | None = None,
    ) -> Transcription:
        """Upload a file and create a transcription of it; returns once created.

        Everything is checked before the upload starts, and if the transcription
        cannot be created the upload is deleted again.

        Args:
            model: Speech-to-text model, e.g. ``"stt-async-v5"``.
            file: A path, ``bytes`` or a binary file object.
            filename: Name for the upload; default: the path's name.
            client_reference_id: Your own label, on the file and the transcription.
            config: Recognition options.

        Returns:
            The new transcription, usually ``queued``; see ``wait``.

        Raises:
            SonioxValidationError: An argument is invalid; nothing was sent.
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(
            _flows.transcribe_from_file(
                self._config,
                model=model,
                file=file,
                filename=filename,
                client_reference_id=client_reference_id,
                transcription_config=config,
            )
        )

    def transcribe(
        self,
        *,
        model: str = DEFAULT_MODEL,
        audio_url: str | None = None,
        file_id: str | None = None,
        file: FileInput | None = None,
        filename: str | None = None,
        client_reference_id: str | None = None,
        config: CreateTranscriptionConfig | None = None,
    ) -> Transcription:
        """Create a transcription from a file, file ID, or audio URL (exactly one).

        Args:
            model: Speech-to-text model, e.g. ``"stt-async-v5"``.
            audio_url: A public URL the service fetches the audio from.
            file_id: ID of a file uploaded earlier (it is never deleted for you).
            file: A path, ``bytes`` or a binary file object to upload first.
            filename: Name for the upload; default: the path's name.
            client_reference_id: Your own label (up to 256 characters).
            config: Recognition options.

        Returns:
            The new transcription, usually ``queued``; see ``wait``.

        Raises:
            SonioxValidationError: Not exactly one source, or an invalid option; nothing
                was sent.
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(
            _flows.transcribe(
                self._config,
                model=model,
                audio_url=audio_url,
                file_id=file_id,
                file=file,
                filename=filename,
                client_reference_id=client_reference_id,
                transcription_config=config,
            )
        )

    def transcribe_file_with_webhook(
        self,
        *,
        model: str = DEFAULT_MODEL,
        file: FileInput,
        webhook_url: str,
        filename: str | None = None,
        client_reference_id: str | None = None,
        webhook_auth: WebhookAuthConfig | None = None,
        config: CreateTranscriptionConfig | None = None,
    ) -> Transcription:
        """Upload a file and start a transcription that reports to your webhook.

        The webhook request carries ``webhook_auth``'s header, else the client's
        webhook secret (if any); check it with ``client.webhooks.unwrap``.

        Args:
            model: Speech-to-text model, e.g. ``"stt-async-v5"``.
            file: A path, ``bytes`` or a binary file object.
            webhook_url: Where Soniox posts the result when the transcription ends.
            filename: Name for the upload; default: the path's name.
            client_reference_id: Your own label (up to 256 characters).
            webhook_auth: Header name and value for this webhook.
            config: Recognition options.

        Returns:
            The new transcription, usually ``queued``.

        Raises:
            SonioxValidationError: An argument is invalid; nothing was sent.
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(
            _flows.transcribe_file_with_webhook(
                self._config,
                model=model,
                file=file,
                webhook_url=webhook_url,
                webhook_auth=self._client.webhooks.auth_config(webhook_auth),
                filename=filename,
                client_reference_id=client_reference_id,
                transcription_config=config,
            )
        )

    def transcribe_and_wait(
        self,
        *,
        model: str = DEFAULT_MODEL,
        audio_url: str | None = None,
        file_id: str | None = None,
        file: FileInput | None = None,
        filename: str | None = None,
        client_reference_id: str | None = None,
        delete_after: bool = False,
        wait_interval_sec: float = 5.0,
        wait_timeout_sec: float | None = None,
        config: CreateTranscriptionConfig | None = None,
        on_progress: ProgressCallback | None = None,
        cleanup_wait_sec: float | None = None,
    ) -> Transcription:
        """Create a transcription and wait for it to finish.

        Args:
            model: Speech-to-text model, e.g. ``"stt-async-v5"``.
            audio_url: A public URL the service fetches the audio from.
            file_id: ID of a file uploaded earlier (it is never deleted for you).
            file: A path, ``bytes`` or a binary file object to upload first.
            filename: Name for the upload; default: the path's name.
            client_reference_id: Your own label (up to 256 characters).
            delete_after: Delete the transcription, and the file this call uploaded,
                afterwards; also when waiting fails, times out or is cancelled.
            wait_interval_sec: Longest pause between polls (polling starts at 0.1 s).
            wait_timeout_sec: Give up waiting after this many seconds; ``None``
                waits forever.
            config: Recognition options.
            on_progress: Called with a ``WaitProgress`` after every poll and about
                every 0.1 s in between, and while cleanup waits for a running job.
            cleanup_wait_sec: With ``delete_after``, how long cleanup after a
                failure or a cancellation (Ctrl-C) waits for a transcription that
                still runs to stop, so that it can be deleted. Default: 10 s after
                a failure, none after a cancellation; never after
                ``wait_timeout_sec``. (The async client gives cleanup after a
                cancellation at most 10 s in all.)

        Returns:
            The finished transcription (``status`` ``"completed"`` or ``"error"``).

        Raises:
            SonioxWaitTimeoutError: ``wait_timeout_sec`` passed; it names the
                transcription, which still runs (and so could not be deleted yet).
            SonioxValidationError: An argument is invalid; nothing was sent.
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key); also when
                the cleanup asked for fails.
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(
            _flows.transcribe_and_wait(
                self._config,
                model=model,
                audio_url=audio_url,
                file_id=file_id,
                file=file,
                filename=filename,
                client_reference_id=client_reference_id,
                delete_after=delete_after,
                wait_interval_sec=wait_interval_sec,
                wait_timeout_sec=wait_timeout_sec,
                transcription_config=config,
                on_progress=on_progress,
                cleanup_wait_sec=cleanup_wait_sec,
            )
        )

    def transcribe_many(
        self,
        sources: Iterable[Any],
        *,
        model: str = DEFAULT_MODEL,
        config: CreateTranscriptionConfig | Mapping[str, Any] | None = None,
        client_reference_id: str | None = None,
        concurrency: int | None = None,
        job: object = None,
        keep: bool = False,
        retry_failed: bool = False,
        writer: Callable[[_batch.BatchSource, TranscriptionTranscript], object] | None = None,
        wait_interval_sec: float = 1.0,
        lease_sec: float = 30.0,
    ) -> Iterator[_batch.BatchResult]:
        """Transcribe many sources, yielding a ``BatchResult`` for each as it finishes.

        Sources are read lazily, so memory stays flat however many there are.
        At most ``concurrency`` transcriptions run at once (default: the
        account's limit from ``concurrency_limits.get``, else 8); a 429 narrows
        the window and waits its Retry-After, successes widen it again. A 429
        for a total file count or size cap waits for this batch's own work to
        finish and be deleted before uploading more. Unless ``keep``, each
        transcription and each file the batch uploaded is deleted once its
        transcript is delivered, also on failure and cancellation. Use it as
        ``with contextlib.closing(...)`` (or consume it to the end).

        Args:
            sources: Paths, ``http(s)`` URLs and file ids (an async iterable works too).
            model: The model for every transcription.
            config: Transcription options for every source.
            client_reference_id: Prefix of the reference each upload and
                transcription gets (``PREFIX:digest-of-source``); default ``soniox-batch``.
            concurrency: Transcriptions at once (None: the account's limit).
            job: Where progress is recorded: None (in memory, no resume), a
                SQLite file path, or a ``postgresql://`` URL shared by workers.
                A run with the same job skips what is done and resumes the rest.
            keep: Leave transcriptions and uploads on the service.
            retry_failed: Try again sources an earlier run recorded as failed.
            writer: Called with each source and its transcript before the source
                is recorded as done (write outputs here; it runs in a thread).
            wait_interval_sec: Longest pause between polls of a transcription.
            lease_sec: How long a worker's claim outlives the worker (PostgreSQL).

        Returns:
            An iterator of ``BatchResult`` (``transcript`` or ``error``, with the source).

        Raises:
            SonioxValidationError: A source or ``concurrency`` is invalid.
        """
        options = _batch.BatchOptions(
            model=model,
            transcription_config=config,
            client_reference_id=client_reference_id,
            keep=keep,
            retry_failed=retry_failed,
            wait_interval_sec=wait_interval_sec,
            # Renewed well within the lease, so a live worker never loses its claims.
            renew_sec=lease_sec / 3,
        )
        # The driver's own generator is returned as is: one generator, closed by the
        # caller's ``closing``, never a wrapper that would leave it to the GC.
        return _transcribe_many(
            self._config,
            self._client._runner,
            sources,
            options,
            job=job,
            concurrency=concurrency,
            writer=writer,
            lease_sec=lease_sec,
        )

    def transcribe_and_wait_with_tokens(
        self,
        *,
        model: str = DEFAULT_MODEL,
        audio_url: str | None = None,
        file_id: str | None = None,
        file: FileInput | None = None,
        filename: str | None = None,
        client_reference_id: str | None = None,
        delete_after: bool = False,
        wait_interval_sec: float = 5.0,
        wait_timeout_sec: float | None = None,
        config: CreateTranscriptionConfig | None = None,
        on_progress: ProgressCallback | None = None,
        cleanup_wait_sec: float | None = None,
    ) -> TranscriptionTranscript:
        """Create a transcription, wait for it, and return its transcript.

        The transcript is fetched before anything is deleted.

        Args:
            model: Speech-to-text model, e.g. ``"stt-async-v5"``.
            audio_url: A public URL the service fetches the audio from.
            file_id: ID of a file uploaded earlier (it is never deleted for you).
            file: A path, ``bytes`` or a binary file object to upload first.
            filename: Name for the upload; default: the path's name.
            client_reference_id: Your own label (up to 256 characters).
            delete_after: Delete the transcription, and the file this call uploaded,
                afterwards; also when waiting fails, times out or is cancelled.
            wait_interval_sec: Longest pause between polls (polling starts at 0.1 s).
            wait_timeout_sec: Give up waiting after this many seconds; ``None``
                waits forever.
            config: Recognition options.
            on_progress: Called with a ``WaitProgress`` after every poll and about
                every 0.1 s in between, and while cleanup waits for a running job.
            cleanup_wait_sec: With ``delete_after``, how long cleanup after a
                failure or a cancellation (Ctrl-C) waits for a transcription that
                still runs to stop, so that it can be deleted. Default: 10 s after
                a failure, none after a cancellation; never after
                ``wait_timeout_sec``. (The async client gives cleanup after a
                cancellation at most 10 s in all.)

        Returns:
            The text and the tokens.

        Raises:
            SonioxWaitTimeoutError: ``wait_timeout_sec`` passed; it names the transcription.
            SonioxConflictError: The transcription failed, so it has no transcript.
            SonioxValidationError: An argument is invalid; nothing was sent.
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(
            _flows.transcribe_and_wait_with_tokens(
                self._config,
                model=model,
                audio_url=audio_url,
                file_id=file_id,
                file=file,
                filename=filename,
                client_reference_id=client_reference_id,
                delete_after=delete_after,
                wait_interval_sec=wait_interval_sec,
                wait_timeout_sec=wait_timeout_sec,
                transcription_config=config,
                on_progress=on_progress,
                cleanup_wait_sec=cleanup_wait_sec,
            )
        )

    def translate_from_url(
        self,
        *,
        audio_url: str,
        to: str | None = None,
        source: str | None = None,
        between: tuple[str, str] | None = None,
        model: str = DEFAULT_MODEL,
        client_reference_id: str | None = None,
        config: CreateTranscriptionConfig | None = None,
    ) -> Transcription:
        """Translate audio at a URL.

        Give exactly one of ``to`` (one-way, into that language) and ``between``
        (two-way, a pair of languages); ``source`` (only with ``to``) is a strict
        hint of the spoken language. Language identification is switched on; other
        ``config`` fields are kept.

        Args:
            audio_url: A public URL the service fetches the audio from.
            to: Translate into this language (one-way), e.g. ``"de"``.
            source: With ``to``: the language spoken, as a strict hint.
            between: Translate both ways between these two languages, e.g. ``("en", "es")``.
            model: Speech-to-text model, e.g. ``"stt-async-v5"``.
            client_reference_id: Your own label (up to 256 characters).
            config: Other recognition options, kept as given.

        Returns:
            The new transcription, usually ``queued``; see ``wait``.

        Raises:
            SonioxValidationError: The translation arguments do not fit, or another
                argument is invalid (nothing was sent).
            SonioxAPIError: The service refused.
            SonioxTransportError: The network failed after the retries allowed.
        """
        return self.transcribe_from_url(
            audio_url=audio_url,
            model=model,
            client_reference_id=client_reference_id,
            config=_translate.translate_config(to=to, source=source, between=between, config=config),
        )

    def translate_from_file_id(
        self,
        *,
        file_id: str,
        to: str | None = None,
        source: str | None = None,
        between: tuple[str, str] | None = None,
        model: str = DEFAULT_MODEL,
        client_reference_id: str | None = None,
        config: CreateTranscriptionConfig | None = None,
    ) -> Transcription:
        """Translate an already uploaded file.

        Give exactly one of ``to`` (one-way, into that language) and ``between``
        (two-way, a pair of languages); ``source`` (only with ``to``) is a strict
        hint of the spoken language. Language identification is switched on; other
        ``config`` fields are kept.

        Args:
            file_id: ID of a file uploaded with ``files.upload``.
            to: Translate into this language (one-way), e.g. ``"de"``.
            source: With ``to``: the language spoken, as a strict hint.
            between: Translate both ways between these two languages, e.g. ``("en", "es")``.
            model: Speech-to-text model, e.g. ``"stt-async-v5"``.
            client_reference_id: Your own label (up to 256 characters).
            config: Other recognition options, kept as given.

        Returns:
            The new transcription, usually ``queued``; see ``wait``.

        Raises:
            SonioxValidationError: The translation arguments do not fit, or another
                argument is invalid (nothing was sent).
            SonioxAPIError: The service refused.
            SonioxTransportError: The network failed after the retries allowed.
        """
        return self.transcribe_from_file_id(
            file_id=file_id,
            model=model,
            client_reference_id=client_reference_id,
            config=_translate.translate_config(to=to, source=source, between=between, config=config),
        )

    def translate_from_file(
        self,
        *,
        file: FileInput,
        to: str | None = None,
        source: str | None = None,
        between: tuple[str, str] | None = None,
        filename: str | None = None,
        model: str = DEFAULT_MODEL,
        client_reference_id: str | None = None,
        config: CreateTranscriptionConfig | None = None,
    ) -> Transcription:
        """Upload a file and translate it.

        Give exactly one of ``to`` (one-way, into that language) and ``between``
        (two-way, a pair of languages); ``source`` (only with ``to``) is a strict
        hint of the spoken language. Language identification is switched on; other
        ``config`` fields are kept.

        Args:
            file: A path, ``bytes`` or a binary file object.
            to: Translate into this language (one-way), e.g. ``"de"``.
            source: With ``to``: the language spoken, as a strict hint.
            between: Translate both ways between these two languages, e.g. ``("en", "es")``.
            filename: Name for the upload; default: the path's name.
            model: Speech-to-text model, e.g. ``"stt-async-v5"``.
            client_reference_id: Your own label (up to 256 characters).
            config: Other recognition options, kept as given.

        Returns:
            The new transcription, usually ``queued``; see ``wait``.

        Raises:
            SonioxValidationError: The translation arguments do not fit, or another
                argument is invalid (nothing was sent).
            SonioxAPIError: The service refused.
            SonioxTransportError: The network failed after the retries allowed.
        """
        return self.transcribe_from_file(
            file=file,
            filename=filename,
            model=model,
            client_reference_id=client_reference_id,
            config=_translate.translate_config(to=to, source=source, between=between, config=config),
        )

    def translate(
        self,
        *,
        to: str | None = None,
        source: str | None = None,
        between: tuple[str, str] | None = None,
        audio_url: str | None = None,
        file_id: str | None = None,
        file: FileInput | None = None,
        filename: str | None = None,
        model: str = DEFAULT_MODEL,
        client_reference_id: str | None = None,
        config: CreateTranscriptionConfig | None = None,
    ) -> Transcription:
        """Translate audio from a file, a file ID or a URL (exactly one).

        Give exactly one of ``to`` (one-way, into that language) and ``between``
        (two-way, a pair of languages); ``source`` (only with ``to``) is a strict
        hint of the spoken language. Language identification is switched on; other
        ``config`` fields are kept.

        Args:
            to: Translate into this language (one-way), e.g. ``"de"``.
            source: With ``to``: the language spoken, as a strict hint.
            between: Translate both ways between these two languages, e.g. ``("en", "es")``.
            audio_url: A public URL the service fetches the audio from.
            file_id: ID of a file uploaded earlier (never deleted for you).
            file: A path, ``bytes`` or a binary file object to upload first.
            filename: Name for the upload; default: the path's name.
            model: Speech-to-text model, e.g. ``"stt-async-v5"``.
            client_reference_id: Your own label (up to 256 characters).
            config: Other recognition options, kept as given.

        Returns:
            The new transcription, usually ``queued``; see ``wait``.

        Raises:
            SonioxValidationError: The translation arguments do not fit, or another
                argument is invalid (nothing was sent).
            SonioxAPIError: The service refused.
            SonioxTransportError: The network failed after the retries allowed.
        """
        return self.transcribe(
            audio_url=audio_url,
            file_id=file_id,
            file=file,
            filename=filename,
            model=model,
            client_reference_id=client_reference_id,
            config=_translate.translate_config(to=to, source=source, between=between, config=config),
        )

    def translate_and_wait(
        self,
        *,
        to: str | None = None,
        source: str | None = None,
        between: tuple[str, str] | None = None,
        audio_url: str | None = None,
        file_id: str | None = None,
        file: FileInput | None = None,
        filename: str | None = None,
        model: str = DEFAULT_MODEL,
        client_reference_id: str | None = None,
        delete_after: bool = False,
        wait_interval_sec: float = 5.0,
        wait_timeout_sec: float | None = None,
        config: CreateTranscriptionConfig | None = None,
    ) -> Transcription:
        """Translate and wait until the transcription is done.

        Give exactly one of ``to`` (one-way, into that language) and ``between``
        (two-way, a pair of languages); ``source`` (only with ``to``) is a strict
        hint of the spoken language. Language identification is switched on; other
        ``config`` fields are kept.

        Args:
            to: Translate into this language (one-way), e.g. ``"de"``.
            source: With ``to``: the language spoken, as a strict hint.
            between: Translate both ways between these two languages, e.g. ``("en", "es")``.
            audio_url: A public URL the service fetches the audio from.
            file_id: ID of a file uploaded earlier (never deleted for you).
            file: A path, ``bytes`` or a binary file object to upload first.
            filename: Name for the upload; default: the path's name.
            model: Speech-to-text model, e.g. ``"stt-async-v5"``.
            client_reference_id: Your own label (up to 256 characters).
            config: Other recognition options, kept as given.
            delete_after: Delete the transcription, and the file this call uploaded,
                afterwards; also when waiting fails, times out or is cancelled.
            wait_interval_sec: Longest pause between polls (polling starts at 0.1 s).
            wait_timeout_sec: Give up waiting after this many seconds; ``None``
                waits forever.

        Returns:
            The finished transcription (``status`` ``"completed"`` or ``"error"``).

        Raises:
            SonioxValidationError: The translation arguments do not fit, or another
                argument is invalid (nothing was sent).
            SonioxAPIError: The service refused.
            SonioxTransportError: The network failed after the retries allowed.
            SonioxWaitTimeoutError: ``wait_timeout_sec`` passed; it names the
                transcription, which still runs.
        """
        return self.transcribe_and_wait(
            audio_url=audio_url,
            file_id=file_id,
            file=file,
            filename=filename,
            model=model,
            client_reference_id=client_reference_id,
            delete_after=delete_after,
            wait_interval_sec=wait_interval_sec,
            wait_timeout_sec=wait_timeout_sec,
            config=_translate.translate_config(to=to, source=source, between=between, config=config),
        )

    def translate_and_wait_with_tokens(
        self,
        *,
        to: str | None = None,
        source: str | None = None,
        between: tuple[str, str] | None = None,
        audio_url: str | None = None,
        file_id: str | None = None,
        file: FileInput | None = None,
        filename: str | None = None,
        model: str = DEFAULT_MODEL,
        client_reference_id: str | None = None,
        delete_after: bool = False,
        wait_interval_sec: float = 5.0,
        wait_timeout_sec: float | None = None,
        config: CreateTranscriptionConfig | None = None,
    ) -> TranscriptionTranscript:
        """Translate, wait, and return the transcript with its tokens.

        Give exactly one of ``to`` (one-way, into that language) and ``between``
        (two-way, a pair of languages); ``source`` (only with ``to``) is a strict
        hint of the spoken language. Language identification is switched on; other
        ``config`` fields are kept.

        Args:
            to: Translate into this language (one-way), e.g. ``"de"``.
            source: With ``to``: the language spoken, as a strict hint.
            between: Translate both ways between these two languages, e.g. ``("en", "es")``.
            audio_url: A public URL the service fetches the audio from.
            file_id: ID of a file uploaded earlier (never deleted for you).
            file: A path, ``bytes`` or a binary file object to upload first.
            filename: Name for the upload; default: the path's name.
            model: Speech-to-text model, e.g. ``"stt-async-v5"``.
            client_reference_id: Your own label (up to 256 characters).
            config: Other recognition options, kept as given.
            delete_after: Delete the transcription, and the file this call uploaded,
                afterwards; also when waiting fails, times out or is cancelled.
            wait_interval_sec: Longest pause between polls (polling starts at 0.1 s).
            wait_timeout_sec: Give up waiting after this many seconds; ``None``
                waits forever.

        Returns:
            The text and the tokens; translated tokens have
            ``translation_status == "translation"`` (see ``soniox_core.transcript.split_translation``).

        Raises:
            SonioxValidationError: The translation arguments do not fit, or another
                argument is invalid (nothing was sent).
            SonioxAPIError: The service refused.
            SonioxTransportError: The network failed after the retries allowed.
            SonioxWaitTimeoutError: ``wait_timeout_sec`` passed; it names the
                transcription, which still runs.
        """
        return self.transcribe_and_wait_with_tokens(
            audio_url=audio_url,
            file_id=file_id,
            file=file,
            filename=filename,
            model=model,
            client_reference_id=client_reference_id,
            delete_after=delete_after,
            wait_interval_sec=wait_interval_sec,
            wait_timeout_sec=wait_timeout_sec,
            config=_translate.translate_config(to=to, source=source, between=between, config=config),
        )


class ModelsAPI(_Namespace):
    """Models available to your account."""

    def list(self) -> GetModelsResponse:
        """List the models available to you (``GET /models``).

        Returns:
            Each model's ID, name, languages, translation targets and modes.

        Raises:
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(_misc.list_models(self._config))


class AuthAPI(_Namespace):
    """Temporary API keys for untrusted clients."""

    def create_temporary_api_key(
        self,
        usage_type: TemporaryApiKeyUsageType | str = TemporaryApiKeyUsageType.TRANSCRIBE_WEBSOCKET,
        expires_in_seconds: int = 300,
        client_reference_id: str | None = None,
        *,
        single_use: bool | None = None,
        max_session_duration_seconds: int | None = None,
    ) -> CreateTemporaryApiKeyResponse:
        """Create a short-lived API key for an untrusted client (a browser, a device).

        Args:
            usage_type: What the key may be used for: ``"transcribe_websocket"``
                (realtime speech-to-text) or ``"tts_rt"``.
            expires_in_seconds: Lifetime, 1 to 3600 seconds.
            client_reference_id: Your own label (up to 256 characters).
            single_use: The key works for one session only.
            max_session_duration_seconds: Longest session the key may open.

        Returns:
            The key (``api_key``) and when it expires (``expires_at``).

        Raises:
            SonioxValidationError: An argument is invalid; nothing was sent.
            SonioxAPIError: The API answered with an error status; the subclass says which
                (for example ``SonioxAuthenticationError`` for a bad key).
            SonioxTransportError: The network failed (refused, reset, timed out) after the
                retries allowed.
        """
        return self._run(
            _misc.create_temporary_api_key(
                self._config,
                usage_type=usage_type,
                expires_in_seconds=expires_in_seconds,
                client_reference_id=client_reference_id,
                single_use=single_use,
                max_session_duration_seconds=max_session_duration_seconds,
            )
        )


class SonioxWebhooksAPI(_WebhooksBase):
    """Webhook utilities (pure CPU helpers, identical in the sync client)."""
