"""``POST /tts``: speech generation over HTTP, streamed as a chunked body.

Errors before any audio use the ``TTSApiError`` body (not ``ApiError``). Faults from
``emulator.faults`` apply as on every route; ``tts_stream_error`` fails the stream
after audio has started, with ``X-Tts-Error-Code``/``X-Tts-Error-Message`` HTTP
trailers (uvicorn cannot send trailers, so that response is written on the socket).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from . import _transport
from ._faults import Fault
from ._http import Receive, Send
from ._pcm import bytes_per_sample
from ._tts_common import TtsError, TtsSettings, authenticate_tts, bearer_token, check_settings, invalid
from ._tts_engine import CONTENT_TYPES, synthesize
from ._uploads import ClientDisconnected
from ._usage import ConcurrencyLimitExceeded, tts_entry

if TYPE_CHECKING:
    import asyncio as _asyncio

    from ._emulator import Emulator

CHUNK_BYTES = 16 * 1024
_MAX_BODY = 1 << 20
_STATUS_DEFAULTS = {
    400: ("invalid_request", "Injected bad request."),
    401: (
        "unauthenticated",
        "Incorrect API key provided. You can get an API key at https://console.soniox.com",
    ),
    402: (
        "organization_balance_exhausted",
        "Organization balance exhausted. Please either add funds manually or enable autopay.",
    ),
    403: (
        "temp_api_key_session_expired",
        "Temporary API key session duration limit exceeded. Create a new temporary API key "
        "to start a new session.",
    ),
    408: ("request_timeout", "Request timeout."),
    429: (
        "limit_exceeded",
        "Requests per minute limit for text-to-speech has been exceeded for your organization.",
    ),
    500: (
        "internal_error",
        "The server had an error processing your request. Sorry about that! You can retry your "
        "request, or contact us through our support email support@soniox.com if you keep seeing "
        "this error.",
    ),
    503: (
        "service_unavailable",
        "Cannot continue request (code 1). Please restart the request. Refer to: "
        "https://soniox.com/url/cannot-continue-request",
    ),
}


def _error_for_status(status: int, error_type: str | None, message: str | None) -> TtsError:
    default_type, default_message = _STATUS_DEFAULTS.get(
        status, ("internal_error" if status >= 500 else "invalid_request", "Injected error.")
    )
    return TtsError(status, error_type or default_type, message or default_message)


async def _send_error(send: Send, error: TtsError, request_id: str, extra: list[tuple[str, str]]) -> None:
    body = json.dumps(error.body(request_id), separators=(",", ":")).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"x-request-id", request_id.encode()),
    ] + [(k.lower().encode(), v.encode()) for k, v in extra]
    await send({"type": "http.response.start", "status": error.code, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def _read_body(receive: Receive) -> bytes:
    chunks = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnected
        chunks += message.get("body", b"")
        if len(chunks) > _MAX_BODY:
            raise invalid("Invalid JSON body")
        if not message.get("more_body", False):
            return bytes(chunks)


def _parse(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise invalid("Invalid JSON body")
    return payload


async def serve(
    emulator: Emulator,
    method: str,
    headers: dict[str, str],
    receive: Receive,
    send: Send,
    fault: Fault | None,
    request_id: str,
    transport: _asyncio.Transport | None,
) -> None:
    """Answer one request to ``/tts``."""
    request_id = headers.get("x-request-id") or request_id
    kind = fault.kind if fault else None
    if (
        kind in ("reset_before_read", "reset_after_read", "truncated_body", "tts_stream_error")
        and not transport
    ):
        kind = None
    if kind == "reset_before_read" and transport is not None:
        await _transport.reset(transport, receive)
        return
    if kind == "latency" and fault is not None:
        await asyncio.sleep(float(fault.params["seconds"]))
    if kind == "status" and fault is not None:
        status = int(fault.params["status"])
        retry_after = fault.params["retry_after"]
        if retry_after is None and status == 429:
            retry_after = 1
        extra = [] if retry_after is None else [("Retry-After", str(retry_after))]
        error = _error_for_status(status, fault.params["error_type"], fault.params["message"])
        await _send_error(send, error, request_id, extra)
        return
    try:
        if method != "POST":
            raise TtsError(405, "invalid_request", f"Method {method} is not allowed here.")
        temporary = authenticate_tts(emulator, bearer_token(headers.get("authorization")))
        rate_message = emulator.limits.rate_message("/tts")
        if rate_message is not None:
            raise TtsError(429, "limit_exceeded", rate_message)
        payload = _parse(await _read_body(receive))
        settings = check_settings(emulator, payload, streaming=False)
        text: str = payload["text"]
        if temporary is not None and temporary.client_reference_id is not None:
            # A reference id bound to the temporary key wins over the request's.
            settings = replace(settings, client_reference_id=temporary.client_reference_id)
        try:
            emulator.usage.open_stream("tts")
        except ConcurrencyLimitExceeded as exc:
            raise TtsError(
                429,
                "limit_exceeded",
                f"Concurrent requests limit for text-to-speech has been exceeded for your {exc.tier}.",
            ) from None
    except TtsError as error:
        await _send_error(send, error, request_id, [])
        return
    except ClientDisconnected:
        return
    try:
        await _stream(emulator, settings, text, send, receive, fault, kind, request_id, transport)
    finally:
        emulator.usage.close_stream("tts")


async def _stream(
    emulator: Emulator,
    settings: TtsSettings,
    text: str,
    send: Send,
    receive: Receive,
    fault: Fault | None,
    kind: str | None,
    request_id: str,
    transport: _asyncio.Transport | None,
) -> None:
    started = datetime.now(timezone.utc)
    audio, _ = synthesize(text, settings.audio_format, settings.sample_rate, settings.speed)
    content_type = CONTENT_TYPES[settings.audio_format]
    if kind == "reset_after_read" and transport is not None:
        await _transport.reset(transport, receive)
        return
    if kind in ("truncated_body", "tts_stream_error") and transport is not None and fault is not None:
        if kind == "truncated_body":
            cut, trailers = len(audio) // 2, None
        else:
            cut = min(len(audio), int(fault.params["after_bytes"]))
            error = _error_for_status(int(fault.params["error_code"]), None, fault.params["message"])
            trailers = (error.code, error.message) if fault.params["trailers"] else None
        await _write_failing_stream(transport, receive, audio[:cut], content_type, request_id, trailers)
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", content_type.encode()), (b"x-request-id", request_id.encode())],
        }
    )
    chunk_size, interval = CHUNK_BYTES, 0.0
    if kind == "slow_body" and fault is not None:
        chunk_size, interval = max(1, int(fault.params["chunk_size"])), float(fault.params["interval"])
    for start in range(0, len(audio), chunk_size):
        await send(
            {"type": "http.response.body", "body": audio[start : start + chunk_size], "more_body": True}
        )
        await asyncio.sleep(interval)  # also lets other requests run between chunks
    await send({"type": "http.response.body", "body": b"", "more_body": False})
    spoken_ms = len(audio) * 1000 // (settings.sample_rate * bytes_per_sample(settings.audio_format))
    emulator.usage.add(
        tts_entry(
            settings.model,
            text,
            spoken_ms,
            started,
            datetime.now(timezone.utc),
            emulator._state.clock(),
            settings.client_reference_id,
        )
    )


async def _write_failing_stream(
    transport: _asyncio.Transport,
    receive: Receive,
    audio: bytes,
    content_type: str,
    request_id: str,
    trailers: tuple[int, str] | None,
) -> None:
    head = (
        "HTTP/1.1 200 OK\r\n"
        f"content-type: {content_type}\r\n"
        f"x-request-id: {request_id}\r\n"
        "transfer-encoding: chunked\r\n"
        "trailer: X-Tts-Error-Code, X-Tts-Error-Message\r\n"
        "connection: close\r\n\r\n"
    ).encode("latin-1")
    out = bytearray(head)
    for start in range(0, len(audio), CHUNK_BYTES):
        piece = audio[start : start + CHUNK_BYTES]
        out += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    if trailers is not None:
        code, message = trailers
        out += f"0\r\nX-Tts-Error-Code: {code}\r\nX-Tts-Error-Message: {message}\r\n\r\n".encode("latin-1")
    transport.write(bytes(out))
    transport.close()
    while (await receive())["type"] != "http.disconnect":
        pass
