"""AsyncSonioxClient and its API namespaces: one-line facades over soniox_core operations.

This file is the source of ``soniox_sync/_client.py``, which
``scripts/unasync.py`` generates from it; edit this one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
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
from soniox_core._ops import files as _files
from soniox_core._ops import misc as _misc
from soniox_core._ops import transcriptions as _stt
from soniox_core._ops import translate as _translate
from soniox_core._ops import workflows as _flows
from soniox_core.webhooks import SonioxWebhooksAPI as _WebhooksBase

from ._runner import AsyncRunner

if TYPE_CHECKING:
    from ._client_account import AsyncConcurrencyLimitsAPI, AsyncUsageAPI, AsyncUsageLogsAPI
    from ._client_tts import AsyncTtsAPI, AsyncTtsModelsAPI, AsyncVoicesAPI
    from ._realtime import AsyncRealtimeAPI

__all__ = [
    "AsyncAuthAPI",
    "AsyncFilesAPI",
    "AsyncModelsAPI",
    "AsyncSonioxClient",
    "AsyncSonioxWebhooksAPI",
    "AsyncSttAPI",
]

DEFAULT_MODEL = _stt.DEFAULT_MODEL


class AsyncSonioxClient:
    """Asynchronous Soniox REST client exposing HTTP and realtime helpers.

    The API key comes from ``api_key`` or the ``SONIOX_API_KEY`` environment
    variable. ``timeout_sec`` (default 30) bounds each network phase (connect,
    read, write, pool); a ``soniox_core.Timeouts`` sets them one by one.
    ``client_kwargs`` go to the HTTP connection pool: ``max_connections``,
    ``max_keepalive_connections``, ``keepalive_expiry``, ``http2``, ``verify``,
    ``ssl_context``, ``local_address``, ``uds``; and for this SDK's
    retries ``max_retries`` (default 2), ``retry_base_delay`` (0.5 s) and
    ``retry_max_delay`` (8 s): exponential backoff with full jitter.

    ``region`` (``"us"``, the default, ``"eu"`` or ``"jp"``) picks the four
    base URLs of that data-residency region (``https://api.eu.soniox.com/v1``,
    ``wss://stt-rt.eu.soniox.com/transcribe-websocket``,
    ``https://tts-rt.eu.soniox.com``, ``wss://tts-rt.eu.soniox.com/tts-websocket``);
    a URL passed explicitly wins over the region's. Without a region, each URL
    may come from its environment variable (``SONIOX_API_BASE_URL``,
    ``SONIOX_WEBSOCKET_BASE_URL``, ``SONIOX_TTS_API_BASE_URL``,
    ``SONIOX_TTS_WEBSOCKET_BASE_URL``). An unknown region raises
    ``SonioxValidationError``.

    Proxies and CA certificates follow httpx: ``HTTPS_PROXY``, ``HTTP_PROXY``,
    ``ALL_PROXY`` and ``NO_PROXY`` (lowercase too), ``SSL_CERT_FILE`` and
    ``SSL_CERT_DIR`` are read at construction, for REST and realtime alike;
    ``trust_env=False`` ignores them. ``proxy="http://user:pass@host:port"``
    sets a proxy explicitly (the environment is then not consulted); its
    credentials are sent as ``Proxy-Authorization`` and never shown.
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
            transport_options=AsyncRunner.transport_options,
        )
        self._runner = AsyncRunner(self._config)

    @classmethod
    def _derived(cls, config: ClientConfig, runner: AsyncRunner) -> AsyncSonioxClient:
        client = cls.__new__(cls)
        client._config = config
        client._runner = runner
        return client

    def with_options(
        self, *, timeout_sec: float | Timeouts | None = None, max_retries: int | None = None
    ) -> AsyncSonioxClient:
        """A client sharing this one's connections, with other timeouts or retries.

        For a single call: ``await client.with_options(max_retries=0).files.get(id)``.
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
    def files(self) -> AsyncFilesAPI:
        """Uploaded files."""
        return AsyncFilesAPI(self)

    @cached_property
    def stt(self) -> AsyncSttAPI:
        """Speech-to-text API namespace."""
        return AsyncSttAPI(self)

    @cached_property
    def models(self) -> AsyncModelsAPI:
        """Available models."""
        return AsyncModelsAPI(self)

    @cached_property
    def auth(self) -> AsyncAuthAPI:
        """Authentication API namespace."""
        return AsyncAuthAPI(self)

    @cached_property
    def tts(self) -> AsyncTtsAPI:
        """Text-to-Speech over REST: ``generate``, ``generate_stream``, ``generate_to_file``."""
        from ._client_tts import AsyncTtsAPI

        return AsyncTtsAPI(self)

    @cached_property
    def tts_models(self) -> AsyncTtsModelsAPI:
        """Available Text-to-Speech models."""
        from ._client_tts import AsyncTtsModelsAPI

        return AsyncTtsModelsAPI(self)

    @cached_property
    def voices(self) -> AsyncVoicesAPI:
        """Cloned voices and the shared voices of Text-to-Speech models."""
        from ._client_tts import AsyncVoicesAPI

        return AsyncVoicesAPI(self)

    @cached_property
    def usage_logs(self) -> AsyncUsageLogsAPI:
        """Per-request usage logs."""
        from ._client_account import AsyncUsageLogsAPI

        return AsyncUsageLogsAPI(self)

    @cached_property
    def usage(self) -> AsyncUsageAPI:
        """Daily usage summary."""
        from ._client_account import AsyncUsageAPI

        return AsyncUsageAPI(self)

    @cached_property
    def concurrency_limits(self) -> AsyncConcurrencyLimitsAPI:
        """Concurrency limits and their history."""
        from ._client_account import AsyncConcurrencyLimitsAPI

        return AsyncConcurrencyLimitsAPI(self)

    @cached_property
    def webhooks(self) -> AsyncSonioxWebhooksAPI:
        """Webhook utilities API namespace."""
        return AsyncSonioxWebhooksAPI(
            webhook_secret=self._config.webhook_secret,
            webhook_header=self._config.webhook_signature_header,
        )

    @cached_property
    def realtime(self) -> AsyncRealtimeAPI:
        """Entry point for realtime speech-to-text: ``client.realtime.stt.connect(config=...)``."""
        from ._realtime import AsyncRealtimeAPI

        return AsyncRealtimeAPI(self._config)

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any | None = None,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
    ) -> Response:
        """Perform a request against the configured Soniox REST endpoint.

        Error statuses are returned, not raised (call ``raise_for_status()``);
        network failures raise ``SonioxTransportError``.
        """
        described = _misc.describe_raw_request(
            self._config, method, path, params=params, json=json, data=data, files=files
        )
        return await self._runner.run(_misc.raw_request(self._config, described))

    async def aclose(self) -> None:
        """Close any outstanding async HTTP connections."""
        await self._runner.aclose()

    async def __aenter__(self) -> AsyncSonioxClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


class _Namespace:
    def __init__(self, client: AsyncSonioxClient) -> None:
        """Bind the namespace to a client (``client.files`` does this for you)."""
        self._client = client
        self._config = client._config
        self._run = client._runner.run
        self._iterate_pages = client._runner.iterate_pages


class AsyncFilesAPI(_Namespace):
    """Upload, list, fetch and delete audio files."""

    async def list(self, limit: int = 100, cursor: str | None = None) -> GetFilesResponse:
        """List uploaded files: one page, ``GET /files``."""
        return await self._run(_files.list_page(self._config, limit, cursor))

    async def list_all(self, limit: int = 100) -> AsyncIterator[File]:
        """Iterate through all uploaded files across all pages."""
        async for page in self._iterate_pages(_files.list_all(self._config, limit)):
            for item in page:
                yield item

    async def count(self) -> GetFilesCountResponse:
        """How many files exist, ``GET /files/count``."""
        return await self._run(_files.count(self._config))

    async def get(self, file_id: str) -> File:
        """Retrieve a file by ID, ``GET /files/{file_id}``."""
        return await self._run(_files.get(self._config, file_id))

    async def get_or_none(self, file_id: str) -> File | None:
        """Retrieve a file by ID, or None if it does not exist."""
        return await self._run(_files.get_or_none(self._config, file_id))

    async def delete(self, file_id: str) -> None:
        """Delete a file by ID, ``DELETE /files/{file_id}``."""
        await self._run(_files.delete(self._config, file_id))

    async def delete_if_exists(self, file_id: str) -> None:
        """Delete a file by ID if it exists; missing files are ignored."""
        await self._run(_files.delete_if_exists(self._config, file_id))

    async def upload(
        self,
        file: FileInput,
        *,
        filename: str | None = None,
        client_reference_id: str | None = None,
    ) -> File:
        """Upload a file (bytes, a path, or a binary file object), streamed in chunks.

        A file object you opened is read from its current position and stays open.
        """
        return await self._run(_files.upload(self._config, file, filename, client_reference_id))

    async def delete_all(self, limit: int = 100) -> None:
        """Delete all files; stops and raises on the first failed deletion."""
        await self._run(_files.delete_all(self._config, limit))


class AsyncSttAPI(_Namespace):
    """Asynchronous (file) transcriptions: create, wait, fetch transcripts, clean up."""

    async def list(self, limit: int = 100, cursor: str | None = None) -> GetTranscriptionsResponse:
        """List transcriptions: one page, ``GET /transcriptions``."""
        return await self._run(_stt.list_page(self._config, limit, cursor))

    async def list_all(self, limit: int = 100) -> AsyncIterator[Transcription]:
        """Iterate through all transcriptions across all pages."""
        async for page in self._iterate_pages(_stt.list_all(self._config, limit)):
            for item in page:
                yield item

    async def count(self) -> GetTranscriptionsCountResponse:
        """How many transcriptions exist, ``GET /transcriptions/count``."""
        return await self._run(_stt.count(self._config))

    async def delete_all(self, limit: int = 100) -> None:
        """Delete all transcriptions; stops and raises on the first failed deletion."""
        await self._run(_stt.delete_all(self._config, limit))

    async def create(
        self,
        *,
        model: str = DEFAULT_MODEL,
        file_id: str | None = None,
        audio_url: str | None = None,
        client_reference_id: str | None = None,
        config: CreateTranscriptionConfig | None = None,
    ) -> Transcription:
        """Create a transcription, ``POST /transcriptions`` (never sent twice)."""
        return await self._run(
            _stt.create(
                self._config,
                model=model,
                file_id=file_id,
                audio_url=audio_url,
                client_reference_id=client_reference_id,
                transcription_config=config,
            )
        )

    async def get(self, transcription_id: str) -> Transcription:
        """Retrieve a transcription by ID."""
        return await self._run(_stt.get(self._config, transcription_id))

    async def get_or_none(self, transcription_id: str) -> Transcription | None:
        """Retrieve a transcription by ID, or None if it does not exist."""
        return await self._run(_stt.get_or_none(self._config, transcription_id))

    async def delete(self, transcription_id: str) -> None:
        """Delete a transcription by ID."""
        await self._run(_stt.delete(self._config, transcription_id))

    async def delete_if_exists(self, transcription_id: str) -> None:
        """Delete a transcription by ID if it exists; missing ones are ignored."""
        await self._run(_stt.delete_if_exists(self._config, transcription_id))

    async def destroy(self, transcription_id: str) -> None:
        """Delete a transcription and its associated uploaded file."""
        await self._run(_stt.destroy(self._config, transcription_id))

    async def destroy_all(self, limit: int = 100) -> None:
        """Delete all transcriptions and their files; stops on the first failure."""
        await self._run(_stt.destroy_all(self._config, limit))

    async def get_transcript(self, transcription_id: str) -> TranscriptionTranscript:
        """Retrieve the transcript of a completed transcription."""
        return await self._run(_stt.get_transcript(self._config, transcription_id))

    async def wait(
        self, transcription_id: str, interval_sec: float = 5.0, timeout_sec: float | None = None
    ) -> Transcription:
        """Poll until the transcription leaves the queued or processing state.

        Raises ``SonioxWaitTimeoutError`` (a ``TimeoutError``) past ``timeout_sec``.
        """
        return await self._run(_flows.wait(self._config, transcription_id, interval_sec, timeout_sec))

    async def transcribe_from_url(
        self,
        *,
        model: str = DEFAULT_MODEL,
        audio_url: str,
        client_reference_id: str | None = None,
        config: CreateTranscriptionConfig | None = None,
    ) -> Transcription:
        """Create a transcription from an audio URL."""
        return await self._run(
            _flows.transcribe_from_url(
                self._config,
                model=model,
                audio_url=audio_url,
                client_reference_id=client_reference_id,
                transcription_config=config,
            )
        )

    async def transcribe_from_file_id(
        self,
        *,
        model: str = DEFAULT_MODEL,
        file_id: str,
        client_reference_id: str | None = None,
        config: CreateTranscriptionConfig | None = None,
    ) -> Transcription:
        """Create a transcription from an existing uploaded file."""
        return await self._run(
            _flows.transcribe_from_file_id(
                self._config,
                model=model,
                file_id=file_id,
                client_reference_id=client_reference_id,
                transcription_config=config,
            )
        )

    async def transcribe_from_file(
        self,
        *,
        model: str = DEFAULT_MODEL,
        file: FileInput,
        filename: str | None = None,
        client_reference_id: str | None = None,
        config: CreateTranscriptionConfig | None = None,
    ) -> Transcription:
        """Upload a file and create a transcription from it (the upload is removed
        again if the transcription cannot be created)."""
        return await self._run(
            _flows.transcribe_from_file(
                self._config,
                model=model,
                file=file,
                filename=filename,
                client_reference_id=client_reference_id,
                transcription_config=config,
            )
        )

    async def transcribe(
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
        """Create a transcription from a file, file ID, or audio URL (exactly one)."""
        return await self._run(
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

    async def transcribe_file_with_webhook(
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
        """Upload a file, configure a webhook, and start transcription.

        The webhook's auth header is ``webhook_auth``, else the client's webhook secret.
        """
        return await self._run(
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

    async def transcribe_and_wait(
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
    ) -> Transcription:
        """Create a transcription and wait for completion.

        With ``delete_after`` the transcription and the file this call uploaded
        are deleted afterwards, also when waiting fails or is cancelled.
        """
        return await self._run(
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
            )
        )

    async def transcribe_and_wait_with_tokens(
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
    ) -> TranscriptionTranscript:
        """Create a transcription, wait for completion, and return the transcript."""
        return await self._run(
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
            )
        )

    async def translate_from_url(
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

        Raises:
            SonioxValidationError: The translation arguments do not fit (nothing was sent).
            SonioxAPIError: The service refused.
        """
        return await self.transcribe_from_url(
            audio_url=audio_url,
            model=model,
            client_reference_id=client_reference_id,
            config=_translate.translate_config(to=to, source=source, between=between, config=config),
        )

    async def translate_from_file_id(
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

        Raises:
            SonioxValidationError: The translation arguments do not fit (nothing was sent).
            SonioxAPIError: The service refused.
        """
        return await self.transcribe_from_file_id(
            file_id=file_id,
            model=model,
            client_reference_id=client_reference_id,
            config=_translate.translate_config(to=to, source=source, between=between, config=config),
        )

    async def translate_from_file(
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

        Raises:
            SonioxValidationError: The translation arguments do not fit (nothing was sent).
            SonioxAPIError: The service refused.
        """
        return await self.transcribe_from_file(
            file=file,
            filename=filename,
            model=model,
            client_reference_id=client_reference_id,
            config=_translate.translate_config(to=to, source=source, between=between, config=config),
        )

    async def translate(
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

        Raises:
            SonioxValidationError: The translation arguments do not fit (nothing was sent).
            SonioxAPIError: The service refused.
        """
        return await self.transcribe(
            audio_url=audio_url,
            file_id=file_id,
            file=file,
            filename=filename,
            model=model,
            client_reference_id=client_reference_id,
            config=_translate.translate_config(to=to, source=source, between=between, config=config),
        )

    async def translate_and_wait(
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

        Raises:
            SonioxValidationError: The translation arguments do not fit (nothing was sent).
            SonioxAPIError: The service refused.
        """
        return await self.transcribe_and_wait(
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

    async def translate_and_wait_with_tokens(
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

        Raises:
            SonioxValidationError: The translation arguments do not fit (nothing was sent).
            SonioxAPIError: The service refused.
        """
        return await self.transcribe_and_wait_with_tokens(
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


class AsyncModelsAPI(_Namespace):
    """Models available to your account."""

    async def list(self) -> GetModelsResponse:
        """List available models, ``GET /models``."""
        return await self._run(_misc.list_models(self._config))


class AsyncAuthAPI(_Namespace):
    """Temporary API keys for untrusted clients."""

    async def create_temporary_api_key(
        self,
        usage_type: TemporaryApiKeyUsageType | str = TemporaryApiKeyUsageType.TRANSCRIBE_WEBSOCKET,
        expires_in_seconds: int = 300,
        client_reference_id: str | None = None,
        *,
        single_use: bool | None = None,
        max_session_duration_seconds: int | None = None,
    ) -> CreateTemporaryApiKeyResponse:
        """Create a temporary API key, ``POST /auth/temporary-api-key``."""
        return await self._run(
            _misc.create_temporary_api_key(
                self._config,
                usage_type=usage_type,
                expires_in_seconds=expires_in_seconds,
                client_reference_id=client_reference_id,
                single_use=single_use,
                max_session_duration_seconds=max_session_duration_seconds,
            )
        )


class AsyncSonioxWebhooksAPI(_WebhooksBase):
    """Webhook utilities (pure CPU helpers, identical in the sync client)."""
