"""The ASGI application: auth, request accounting, fault injection and response delivery."""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from starlette.routing import Router, WebSocketRoute
from starlette.websockets import WebSocket

from . import _realtime_usage, _routes, _transport, _tts_rest, _tts_ws, realtime
from ._context import Context
from ._faults import Fault
from ._http import (
    ApiErrorException,
    Receive,
    Response,
    Scope,
    Send,
    error_response,
)
from ._state import RecordedRequest
from ._uploads import ClientDisconnected

if TYPE_CHECKING:
    from ._emulator import Emulator

logger = logging.getLogger("soniox_emulator")

_STATUS_FAULT_ERRORS = {
    400: ("invalid_request", "Injected bad request."),
    401: ("unauthenticated", "Injected authentication failure."),
    402: ("organization_balance_exhausted", "Injected: organization balance exhausted."),
    403: ("temp_api_key_session_expired", "Injected: temporary key session expired."),
    404: ("invalid_request", "Injected: not found."),
    408: ("request_timeout", "Injected: the request timed out."),
    409: ("transcription_invalid_state", "Injected: invalid state."),
    429: ("limit_exceeded", "Injected: requests per minute limit exceeded."),
    500: ("internal_error", "Injected: the server encountered an error. Please try again."),
    503: ("service_unavailable", "Injected: cannot continue request (code 1). Please retry."),
}

_BAD_GATEWAY_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>emulator</center>"
    b"</body></html>\n"
)


def _fault_response(fault: Fault, request_id: str) -> Response:
    """The reply for an injected ``status`` fault."""
    status = int(fault.params["status"])
    if status == 502:
        # Gateways in front of the real API answer with HTML, not ApiError JSON.
        return Response(502, _BAD_GATEWAY_PAGE, content_type="text/html")
    default_type, default_message = _STATUS_FAULT_ERRORS.get(
        status, ("internal_error" if status >= 500 else "invalid_request", "Injected error.")
    )
    retry_after = fault.params["retry_after"]
    if retry_after is None and status == 429:
        retry_after = 1
    headers = [] if retry_after is None else [("Retry-After", str(retry_after))]
    exc = ApiErrorException(
        status,
        fault.params["error_type"] or default_type,
        fault.params["message"] or default_message,
        headers=headers,
    )
    return error_response(exc, request_id)


class EmulatorApp:
    """ASGI entry point. ``registry`` maps connections to transports for socket faults."""

    def __init__(self, emulator: Emulator, registry: _transport.TransportRegistry) -> None:
        self.emulator = emulator
        self.registry = registry
        self._websockets = Router(
            routes=[
                WebSocketRoute("/transcribe-websocket", self._realtime),
                WebSocketRoute("/tts-websocket", self._tts_realtime),
            ]
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._websockets(scope, receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)

    async def _realtime(self, websocket: WebSocket) -> None:
        emulator = self.emulator
        await _realtime_usage.serve_stt(
            websocket,
            emulator,
            realtime.websocket_endpoint(websocket, emulator.realtime, emulator.authenticate_realtime),
        )

    async def _tts_realtime(self, websocket: WebSocket) -> None:
        await _tts_ws.tts_websocket_endpoint(websocket, self.emulator)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        emulator = self.emulator
        request_id = str(uuid.uuid4())
        method: str = scope["method"]
        path: str = scope["path"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        found = _routes.match(path)
        emulator._state.record_request(
            RecordedRequest(method, path, found.template if found else path, headers)
        )
        fault = emulator.faults.take(method, path)
        kind = fault.kind if fault else None
        transport = self.registry.get(scope.get("client"))
        if kind in ("reset_before_read", "reset_after_read", "truncated_body") and not transport:
            logger.error("no transport for %s; %s fault not applied", scope.get("client"), kind)
            kind = None

        if path == "/tts":  # TTS has its own error body and streams its answer
            await _tts_rest.serve(emulator, method, headers, receive, send, fault, request_id, transport)
            return
        if kind == "reset_before_read" and transport is not None:
            await _transport.reset(transport, receive)
            return
        if kind == "latency" and fault is not None:
            await asyncio.sleep(float(fault.params["seconds"]))

        response: Response | None
        if kind == "status" and fault is not None:
            response = _fault_response(fault, request_id)
        else:
            response = await self._handle(found, method, scope, receive, headers, request_id)
        if response is None:
            return  # the client went away mid-request; there is nobody to answer

        if kind == "reset_after_read" and transport is not None:
            await _transport.reset(transport, receive)
        elif kind == "truncated_body" and transport is not None:
            await _transport.truncate(transport, response, request_id, receive)
        elif kind == "slow_body" and fault is not None:
            await _send_slowly(
                send,
                response,
                request_id,
                int(fault.params["chunk_size"]),
                float(fault.params["interval"]),
            )
        else:
            await _send(send, response, request_id)

    async def _handle(
        self,
        found: _routes.Match | None,
        method: str,
        scope: Scope,
        receive: Receive,
        headers: dict[str, str],
        request_id: str,
    ) -> Response | None:
        try:
            if found is None:
                raise ApiErrorException(404, "invalid_request", "No such endpoint.")
            handler = found.methods.get(method)
            if handler is None:
                raise ApiErrorException(405, "invalid_request", f"Method {method} is not allowed here.")
            self.emulator._authenticate_rest(headers.get("authorization"))
            self.emulator.limits.check_rate(found.template)
            pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"))
            ctx = Context(self.emulator, receive, found.params, dict(pairs), headers, pairs)
            return await handler(ctx)
        except ApiErrorException as exc:
            return error_response(exc, request_id)
        except ClientDisconnected:
            return None
        except Exception:
            logger.exception("emulator handler failed")
            internal = ApiErrorException(500, "internal_error", "The emulator hit an internal error.")
            return error_response(internal, request_id)


async def _send(send: Send, response: Response, request_id: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": response.status,
            "headers": response.raw_headers(request_id),
        }
    )
    await send({"type": "http.response.body", "body": response.body, "more_body": False})


async def _send_slowly(
    send: Send, response: Response, request_id: str, chunk_size: int, interval: float
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": response.status,
            "headers": response.raw_headers(request_id),
        }
    )
    body = response.body
    chunk_size = max(1, chunk_size)
    for start in range(0, len(body), chunk_size):
        await send(
            {
                "type": "http.response.body",
                "body": body[start : start + chunk_size],
                "more_body": True,
            }
        )
        await asyncio.sleep(interval)
    await send({"type": "http.response.body", "body": b"", "more_body": False})
