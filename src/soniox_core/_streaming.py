"""Responses read as a stream: opening one with retries, reading it, releasing it.

For answers too big to hold (generated speech). Until the head of a successful
answer has arrived nothing has reached the caller, so failures are retried as
``_transport.request`` retries them; once the body is flowing a failure is
raised, never retried (the caller already has part of the body).

A body must always be released: the operations here ask for ``CloseBody`` on
every exit but one, ``GeneratorExit`` (a generator cannot yield while it is
being closed), and for that one the runner closes what it opened.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from ._config import ClientConfig
from ._effects import CloseBody, Effect, Emit, OpenStream, ReadChunk, ResponseHead, Sleep
from ._errors import SonioxTransportError
from ._http import HttpRequest, HttpResponse
from ._responses import error_from_response
from ._retry import RetryPolicy

__all__ = ["open_stream", "stream_body"]

# An error answer is JSON of a few hundred bytes; more than this is not read.
MAX_ERROR_BODY = 64 * 1024


def _read_error_body(head: ResponseHead) -> Generator[Effect, Any, bytes]:
    parts: list[bytes] = []
    size = 0
    try:
        while size < MAX_ERROR_BODY:
            chunk: bytes = yield ReadChunk(head)
            if not chunk:
                break
            parts.append(chunk)
            size += len(chunk)
    except SonioxTransportError:
        pass  # what arrived still says what went wrong
    except GeneratorExit:
        raise
    except BaseException:
        yield CloseBody(head)
        raise
    yield CloseBody(head)
    return b"".join(parts)[:MAX_ERROR_BODY]


def open_stream(config: ClientConfig, http_request: HttpRequest) -> Generator[Effect, Any, ResponseHead]:
    """Send ``http_request`` and return the head of its successful answer, body unread.

    Error statuses become typed ``SonioxAPIError``s (their body read and
    released), network failures ``SonioxTransportError``s; what is safe to
    retry is retried first, as for any request.
    """
    policy = RetryPolicy(
        max_retries=config.max_retries,
        base_delay=config.retry_base_delay,
        max_delay=config.retry_max_delay,
    )
    attempt = 0
    while True:
        attempt += 1
        try:
            head: ResponseHead = yield OpenStream(http_request, config.timeouts)
        except SonioxTransportError as exc:
            exc.attempts = attempt
            if not policy.should_retry(attempt, http_request.idempotent, exc):
                raise
            yield Sleep(policy.delay(attempt))
            continue
        if head.status < 400:
            return head
        body = yield from _read_error_body(head)
        failure = error_from_response(
            HttpResponse(head.status, head.headers, body, head.reason), attempts=attempt
        )
        if not policy.should_retry(attempt, http_request.idempotent, failure):
            raise failure
        yield Sleep(policy.delay(attempt, failure.retry_after))


def stream_body(config: ClientConfig, http_request: HttpRequest) -> Generator[Any, Any, None]:
    """Emit the body of ``http_request``'s answer chunk by chunk, as it arrives.

    A body cut short raises the runner's ``SonioxConnectionError`` after the
    chunks that did arrive; the body is released on every way out.
    """
    head = yield from open_stream(config, http_request)
    try:
        while True:
            chunk: bytes = yield ReadChunk(head)
            if not chunk:
                break
            yield Emit((chunk,))
    except GeneratorExit:
        raise
    except BaseException:
        yield CloseBody(head)
        raise
    yield CloseBody(head)
