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

from collections.abc import Generator, Sequence
from typing import Any

from ._config import ClientConfig
from ._effects import CloseBody, Effect, Emit, OpenStream, ReadChunk, ReadTrailers, ResponseHead, Sleep
from ._errors import SonioxAPIError, SonioxTransportError
from ._http import HttpRequest, HttpResponse, header_value
from ._responses import error_class_for, error_from_response
from ._retry import RetryPolicy
from ._transport import logger

__all__ = ["open_stream", "read_body", "stream_body", "trailer_error"]

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
            logger.debug(
                "%s %s failed (attempt %d): %s", http_request.method, http_request.path, attempt, exc
            )
            if not policy.should_retry(attempt, http_request.idempotent, exc):
                raise
            yield Sleep(policy.delay(attempt))
            continue
        logger.debug(
            "%s %s -> %d, body streaming (attempt %d, request_id=%s)",
            http_request.method,
            http_request.path,
            head.status,
            attempt,
            header_value(head.headers, "x-request-id"),
        )
        if head.status < 400:
            return head
        body = yield from _read_error_body(head)
        failure = error_from_response(
            HttpResponse(head.status, head.headers, body, head.reason), attempts=attempt
        )
        if not policy.should_retry(attempt, http_request.idempotent, failure):
            raise failure
        yield Sleep(policy.delay(attempt, failure.retry_after))


def trailer_error(head: ResponseHead, trailers: Sequence[tuple[bytes, bytes]]) -> SonioxAPIError | None:
    """The error a body's trailers report (``X-Tts-Error-Code``/``X-Tts-Error-Message``:
    the service failed after the audio started), or None."""
    code_text = header_value(trailers, "x-tts-error-code")
    if code_text is None:
        return None
    try:
        code = int(code_text.strip())
    except ValueError:
        code = 500
    message = header_value(trailers, "x-tts-error-message") or "the audio stream failed"
    cls = error_class_for(code)
    return cls(
        f"{message} (after the audio started)",
        status_code=code,
        error_type=None,
        request_id=header_value(head.headers, "x-request-id"),
        headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in (*head.headers, *trailers)],
    )


def _pump(head: ResponseHead, emit: bool) -> Generator[Any, Any, bytes]:
    """Read the body to its end, emitting each chunk (or collecting them when not
    ``emit``), check its trailers, and release it on every way out."""
    parts: list[bytes] = []
    try:
        while True:
            chunk: bytes = yield ReadChunk(head)
            if not chunk:
                break
            if emit:
                yield Emit((chunk,))
            else:
                parts.append(chunk)
        trailers: Sequence[tuple[bytes, bytes]] = yield ReadTrailers(head)
    except GeneratorExit:
        raise
    except BaseException:
        yield CloseBody(head)
        raise
    yield CloseBody(head)
    failure = trailer_error(head, trailers)
    if failure is not None:
        raise failure
    return b"".join(parts)


def stream_body(config: ClientConfig, http_request: HttpRequest) -> Generator[Any, Any, None]:
    """Emit the body of ``http_request``'s answer chunk by chunk, as it arrives.

    A failure once the body flows (cut short, or reported in trailers) is raised
    after the chunks that did arrive, never retried; the body is released on
    every way out.
    """
    head = yield from open_stream(config, http_request)
    yield from _pump(head, emit=True)


def read_body(config: ClientConfig, http_request: HttpRequest) -> Generator[Effect, Any, bytes]:
    """The whole body of ``http_request``'s answer, by the same rules as ``stream_body``."""
    head = yield from open_stream(config, http_request)
    return (yield from _pump(head, emit=False))
