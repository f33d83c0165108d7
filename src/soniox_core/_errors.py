"""The SDK's error tree.

Every failure the public API raises is a ``SonioxError``; raw exceptions of the
HTTP, WebSocket, async or JSON libraries never escape. Names follow the official
``soniox`` SDK where it has one, so that ``except`` clauses carry over.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ._redact import redact, redact_bytes

if TYPE_CHECKING:
    from .models import ApiError, ApiErrorValidationError

__all__ = [
    "InvalidWebhookPayloadError",
    "InvalidWebhookSignatureError",
    "SonioxAPIError",
    "SonioxAuthenticationError",
    "SonioxConflictError",
    "SonioxConnectTimeoutError",
    "SonioxConnectionError",
    "SonioxError",
    "SonioxInvalidRequestError",
    "SonioxNotFoundError",
    "SonioxPaginationError",
    "SonioxPaymentRequiredError",
    "SonioxPermissionDeniedError",
    "SonioxPoolTimeoutError",
    "SonioxRateLimitError",
    "SonioxReadTimeoutError",
    "SonioxRealtimeError",
    "SonioxRealtimeReconnectError",
    "SonioxRealtimeTimeoutError",
    "SonioxRedirectError",
    "SonioxRequestTimeoutError",
    "SonioxServerError",
    "SonioxTTSAudioError",
    "SonioxTTSStreamLimitError",
    "SonioxTimeoutError",
    "SonioxTransportError",
    "SonioxUnexpectedResponseError",
    "SonioxValidationError",
    "SonioxWaitTimeoutError",
    "SonioxWriteTimeoutError",
]


class SonioxError(Exception):
    """Root of every error raised by this SDK.

    The message passes through the SDK's redaction: API keys, webhook secrets and
    ``Authorization`` values are masked, also when the text came from a server.

    Attributes:
        message: What went wrong, in one sentence.
    """

    def __init__(self, message: str) -> None:
        message = redact(message)
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        # Masked again: a key registered after this error was made is hidden too.
        return redact(super().__str__())


class SonioxValidationError(SonioxError, ValueError):
    """Input was rejected on the client side, before any request was sent.

    Also a ``ValueError``.

    Attributes:
        field: The offending argument or payload field (a dotted path such as
            ``"translation.target_language"``) when one can be named, else ``None``.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message if field is None else f"{field}: {message}")
        self.field = field


class SonioxAPIError(SonioxError):
    """The REST API answered with an error status.

    Catch a subclass for one meaning (``SonioxNotFoundError``...), or this class
    for all of them.

    Attributes:
        status_code: The HTTP status.
        error_type: The API's error type, e.g. ``"invalid_request"``, when given.
        request_id: The request's ID; Soniox support needs it to find the request.
        validation_errors: Per-field problems of a 400 answer (``location``,
            ``message``).
        api_error: The parsed error body, when it was a structured one.
        body: The raw response body.
        headers: The response headers, as ``(name, value)`` pairs.
        retry_after: The server's ``Retry-After`` hint in seconds, if any.
        attempts: Requests made, retries included.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        error_type: str | None = None,
        request_id: str | None = None,
        validation_errors: Sequence[ApiErrorValidationError] = (),
        api_error: ApiError | None = None,
        body: bytes = b"",
        headers: Sequence[tuple[str, str]] = (),
        retry_after: float | None = None,
        attempts: int = 1,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.error_type = error_type
        self.request_id = redact(request_id) if request_id is not None else None
        self.validation_errors = list(validation_errors)
        self.api_error = api_error
        self.body = redact_bytes(body)
        self.headers = [(name, redact(value)) for name, value in headers]
        self.retry_after = retry_after
        self.attempts = attempts

    @property
    def more_info(self) -> str | None:
        """The documentation link the service gave for this error type, if any."""
        return self.api_error.more_info if self.api_error is not None else None

    def __str__(self) -> str:
        return redact(self._text())

    def _text(self) -> str:
        text = f"{self.message} (HTTP {self.status_code}"
        if self.error_type:
            text += f", {self.error_type}"
        if self.request_id:
            text += f", request_id={self.request_id}"
        text += ")"
        if self.validation_errors:
            details = ", ".join(f"{e.location}: {e.message}" for e in self.validation_errors)
            text += f" Validation errors: {details}"
        return text

    def __repr__(self) -> str:
        return redact(
            f"{type(self).__name__}(status_code={self.status_code}, "
            f"error_type={self.error_type!r}, message={self.message!r}, "
            f"request_id={self.request_id!r})"
        )


class SonioxInvalidRequestError(SonioxAPIError):
    """400: the request was malformed or failed the server's validation."""


class SonioxAuthenticationError(SonioxAPIError):
    """401 or 403: the API key is missing, wrong, expired or not allowed here."""


class SonioxPermissionDeniedError(SonioxAPIError):
    """403 with ``error_type`` ``permission_denied``."""


class SonioxPaymentRequiredError(SonioxAPIError):
    """402: the organisation's balance or a monthly budget is exhausted."""


class SonioxNotFoundError(SonioxAPIError):
    """404: the file or transcription does not exist (or no longer does)."""


class SonioxRequestTimeoutError(SonioxAPIError):
    """408: the server gave up waiting for the request."""


class SonioxConflictError(SonioxAPIError):
    """409: the resource is in the wrong state (e.g. a transcription still processing)."""


class SonioxRateLimitError(SonioxAPIError):
    """429: a rate or quota limit was hit; ``retry_after`` is the server's hint in seconds."""


class SonioxServerError(SonioxAPIError):
    """5xx: the service (or a proxy in front of it) failed."""


class SonioxRedirectError(SonioxAPIError):
    """3xx: the server answered with a redirect, which this SDK never follows.

    A redirect from the API is not a result: following it could send the API key
    to another host. Usually ``api_base_url`` points at the wrong place.

    Attributes:
        location: The ``Location`` header (secrets masked), or None without one.
    """

    def __init__(self, message: str, *, location: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.location = redact(location) if location is not None else None


class SonioxUnexpectedResponseError(SonioxAPIError):
    """A success status with a body that is not what the API sends.

    The body was malformed, of the wrong shape, nested deeper than the decoder
    goes, or longer than the SDK reads (512 MiB). ``status_code`` is the success
    status the server gave; ``body`` holds the start of what it sent.
    """


class SonioxPaginationError(SonioxError):
    """A list did not make progress: the server repeated a page cursor.

    Following it would request the same pages forever, so ``list_all``,
    ``delete_all`` and ``destroy_all`` stop instead.

    Attributes:
        cursor: The cursor the server gave a second time.
    """

    def __init__(self, message: str, *, cursor: str) -> None:
        super().__init__(message)
        self.cursor = cursor


class SonioxTransportError(SonioxError):
    """The request could not be completed on the network.

    Attributes:
        request_sent: False only when the request provably never reached the
            server (the connection was never made): then nothing happened
            there, and a POST is safe to repeat.
        attempts: Requests made, retries included.
    """

    def __init__(self, message: str, *, request_sent: bool = True, attempts: int = 1) -> None:
        super().__init__(message)
        self.request_sent = request_sent
        self.attempts = attempts


class SonioxConnectionError(SonioxTransportError):
    """The connection could not be made, or broke during the exchange."""


class SonioxTimeoutError(SonioxTransportError, TimeoutError):
    """A network phase took longer than its timeout."""


class SonioxConnectTimeoutError(SonioxTimeoutError):
    """Connecting to the server took too long."""


class SonioxReadTimeoutError(SonioxTimeoutError):
    """The server took too long to answer."""


class SonioxWriteTimeoutError(SonioxTimeoutError):
    """Sending the request took too long."""


class SonioxPoolTimeoutError(SonioxTimeoutError):
    """No connection of the pool became free in time."""


class SonioxWaitTimeoutError(SonioxError, TimeoutError):
    """``wait()`` gave up before the transcription finished.

    The transcription goes on on the server, so no work is lost. Also a
    ``TimeoutError``.

    Attributes:
        transcription_id: The transcription that was still running; wait for
            it again, or delete it once it stops.
        timeout_sec: The limit that passed, in seconds.
    """

    def __init__(self, transcription_id: str, timeout_sec: float) -> None:
        super().__init__(f"Transcription {transcription_id} did not finish within {timeout_sec:g} s")
        self.transcription_id = transcription_id
        self.timeout_sec = timeout_sec


class InvalidWebhookSignatureError(SonioxError):
    """A webhook request did not carry the expected authentication header."""


class InvalidWebhookPayloadError(SonioxError):
    """A webhook body was not JSON, or not the shape of a webhook event."""


class SonioxRealtimeError(SonioxError):
    """A realtime session failed: a server error message, a lost connection, or a
    failed handshake.

    Attributes:
        code: The server's error code when it sent one (e.g. 400, 401), else ``None``.
    """

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class SonioxRealtimeTimeoutError(SonioxRealtimeError, TimeoutError):
    """A realtime session waited too long: to connect, or for the server to answer."""


class SonioxRealtimeReconnectError(SonioxRealtimeError):
    """The connection dropped and every reconnection the policy allowed failed.

    ``attempts`` is how many were made; the message ends with the last failure.
    """

    def __init__(self, message: str, *, code: int | None = None, attempts: int = 0) -> None:
        super().__init__(message, code=code)
        self.attempts = attempts


class SonioxTTSAudioError(SonioxRealtimeError, ValueError):
    """An audio payload from the service was not valid base64."""


class SonioxTTSStreamLimitError(SonioxRealtimeError):
    """A stream could not be opened: its id is in use, or five streams are already open."""
