"""What every REST handler receives, and the small helpers they share."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ._http import ApiErrorException, Receive, Response, ValidationError, invalid_request

if TYPE_CHECKING:
    from ._emulator import Emulator

_MAX_JSON_BODY = 1 << 20


@dataclass
class Context:
    """Everything a handler may look at for one request."""

    emulator: Emulator
    receive: Receive
    params: dict[str, str]
    query: dict[str, str]
    headers: dict[str, str]
    #: Every query parameter in order, repeats included.
    query_list: list[tuple[str, str]] = field(default_factory=list)

    async def body(self) -> bytes:
        """The whole (small, JSON) request body."""
        chunks = bytearray()
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                break
            chunks += message.get("body", b"")
            if len(chunks) > _MAX_JSON_BODY:
                raise invalid_request([ValidationError("value_error", "body", "Request body is too large")])
            if not message.get("more_body", False):
                break
        return bytes(chunks)


Handler = Callable[[Context], Awaitable[Response]]


def canonical_id(raw: str) -> str | None:
    """A path id in canonical UUID form, or None when it is not a UUID."""
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return None


def file_not_found() -> ApiErrorException:
    """The 404 for a missing file."""
    return ApiErrorException(404, "file_not_found", "File not found.")


def transcription_not_found() -> ApiErrorException:
    """The 404 for a missing transcription."""
    return ApiErrorException(404, "transcription_not_found", "Transcription not found.")


def cursor_param(query: dict[str, str]) -> str | None:
    """The ``cursor`` query parameter, if given."""
    # An empty ``cursor=`` means "from the start", like omitting it.
    return query.get("cursor") or None


def invalid_cursor() -> ApiErrorException:
    """The 400 for a cursor this emulator did not issue for this listing."""
    return ApiErrorException(
        400,
        "invalid_cursor",
        "The cursor is invalid. Omit it to start paginating from the beginning.",
    )
