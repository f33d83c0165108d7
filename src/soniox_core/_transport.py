"""Sending one logical request: attempts, retries, error mapping and the debug log."""

from __future__ import annotations

import logging
from collections.abc import Generator
from typing import Any

from ._config import ClientConfig
from ._effects import Effect, Send, Sleep, now
from ._errors import SonioxTransportError
from ._http import HttpRequest, HttpResponse
from ._multipart import MultipartBody
from ._redact import guard_loggers
from ._responses import error_from_response
from ._retry import RetryPolicy

__all__ = ["logger", "request"]

logger = logging.getLogger("soniox")
# Every record of the SDK's logger passes through the redaction, whoever handles it.
guard_loggers("soniox")


def request(
    config: ClientConfig, http_request: HttpRequest, *, raise_for_status: bool = True
) -> Generator[Effect, Any, HttpResponse]:
    """Send ``http_request``, retrying what is safe to retry; return the response.

    Error statuses become typed ``SonioxAPIError``s (unless ``raise_for_status``
    is False, when the last response is returned as it is), network failures
    typed ``SonioxTransportError``s; both carry ``attempts``.
    """
    policy = RetryPolicy(
        max_retries=config.max_retries,
        base_delay=config.retry_base_delay,
        max_delay=config.retry_max_delay,
    )
    timeouts = config.timeouts
    debug = logger.isEnabledFor(logging.DEBUG)
    attempt = 0
    ambiguous_delete = False
    while True:
        attempt += 1
        started = (yield from now()) if debug else 0.0
        try:
            response: HttpResponse = yield Send(http_request, timeouts)
        except SonioxTransportError as exc:
            exc.attempts = attempt
            if debug:
                elapsed = (yield from now()) - started
                logger.debug(
                    "%s %s failed after %.3fs (attempt %d): %s",
                    http_request.method,
                    http_request.path,
                    elapsed,
                    attempt,
                    exc,
                )
            if not policy.should_retry(attempt, http_request.idempotent, exc):
                raise
            ambiguous_delete = ambiguous_delete or (http_request.method == "DELETE" and exc.request_sent)
            yield Sleep(policy.delay(attempt))
            continue
        if debug:
            elapsed = (yield from now()) - started
            logger.debug(
                "%s %s -> %d in %.3fs (attempt %d, request_id=%s)",
                http_request.method,
                http_request.path,
                response.status,
                elapsed,
                attempt,
                response.header("x-request-id"),
            )
        if 200 <= response.status < 300:
            return response
        if response.status < 400 and not raise_for_status:
            # The raw request() hands a redirect back as it came, never following it.
            return response
        if response.status == 404 and ambiguous_delete:
            # An earlier attempt of this DELETE may have been carried out before
            # its answer was lost; the resource being gone now is that success.
            return HttpResponse(204, response.headers, b"", "No Content")
        failure = error_from_response(response, attempts=attempt)
        # The body went out whole; one read from a stream that cannot seek back
        # cannot go out again.
        replayable = not isinstance(http_request.body, MultipartBody) or http_request.body.replayable
        if not replayable or not policy.should_retry(attempt, http_request.idempotent, failure):
            if not raise_for_status:
                return response
            raise failure
        yield Sleep(policy.delay(attempt, failure.retry_after))
