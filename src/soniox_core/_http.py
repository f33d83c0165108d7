"""Plain descriptions of an HTTP request and of the response that came back."""

from __future__ import annotations

import json as _json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

if TYPE_CHECKING:
    from ._multipart import MultipartBody

__all__ = ["Headers", "HttpRequest", "HttpResponse", "Response", "header_value"]

RawHeaders = Sequence[tuple[bytes, bytes]]


def header_value(headers: RawHeaders, name: str) -> str | None:
    """The value of header ``name`` (case-insensitive) among raw headers, or None."""
    wanted = name.lower().encode("latin-1")
    for key, value in headers:
        if key.lower() == wanted:
            return value.decode("latin-1")
    return None


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """One request as the core wants it sent.

    ``target`` is the path and query relative to the API base URL's origin
    (``/v1/files/abc?x=1``); ``body`` is bytes, a streaming multipart body, or None.
    ``idempotent`` says whether repeating it can have no extra effect, which is
    what decides retries once the request may have reached the server.
    """

    method: str
    target: str
    headers: RawHeaders = field(default=(), repr=False)
    body: bytes | MultipartBody | None = field(default=None, repr=False)
    idempotent: bool = True
    origin: str | None = None
    """A base URL on another host (the Text-to-Speech one) whose scheme, host and
    port the request goes to; None means the API base URL's."""

    @property
    def path(self) -> str:
        """The target without its query string (what logs show)."""
        return self.target.split("?", 1)[0]


class Headers(Mapping[str, str]):
    """Response headers, looked up case-insensitively (the last value wins)."""

    __slots__ = ("_index", "_items")

    def __init__(self, items: RawHeaders) -> None:
        self._items = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in items]
        self._index = {k.lower(): v for k, v in self._items}

    def __getitem__(self, key: str) -> str:
        return self._index[key.lower()]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def items_raw(self) -> list[tuple[str, str]]:
        """Every header in arrival order, repeats included."""
        return list(self._items)

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"


@dataclass(slots=True)
class HttpResponse:
    """A whole response: status, raw headers and the body bytes."""

    status: int
    headers: RawHeaders
    body: bytes
    reason: str = ""

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (case-insensitive), or None."""
        return header_value(self.headers, name)


@dataclass(slots=True)
class Response:
    """What ``client.request()`` returns: the raw answer of the REST API.

    It mirrors the parts of ``httpx.Response`` that callers of the official SDK
    use: ``status_code``, ``headers``, ``content``, ``text``, ``json()``,
    ``is_success`` and ``raise_for_status()``.
    """

    status_code: int
    headers: Headers
    content: bytes
    reason_phrase: str = ""
    request_method: str = ""
    request_path: str = ""
    _raw: HttpResponse | None = field(default=None, repr=False)

    @classmethod
    def from_http(cls, response: HttpResponse, request: HttpRequest) -> Response:
        """Wrap a raw response for the caller."""
        return cls(
            status_code=response.status,
            headers=Headers(response.headers),
            content=response.body,
            reason_phrase=response.reason,
            request_method=request.method,
            request_path=request.path,
            _raw=response,
        )

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (undecodable bytes replaced)."""
        return self.content.decode("utf-8", errors="replace")

    @property
    def is_success(self) -> bool:
        """True for a 2xx status."""
        return 200 <= self.status_code < 300

    def json(self) -> Any:
        """The body parsed as JSON."""
        return _json.loads(self.content)

    def raise_for_status(self) -> Response:
        """Raise the typed ``SonioxAPIError`` for an error status; return self otherwise."""
        if self.status_code >= 400:
            from ._responses import error_from_response

            raw = self._raw or HttpResponse(self.status_code, [], self.content, self.reason_phrase)
            raise error_from_response(raw)
        return self


def build_target(base_path: str, path: str, query: Mapping[str, Any] | None = None) -> str:
    """Join the API base path and an operation path, with an encoded query string.

    ``None`` query values are left out; lists become repeated parameters.
    """
    path, _, existing_query = path.partition("?")
    # Quote what is not allowed in a path (spaces, non-ASCII) but keep what is already escaped.
    target = base_path + "/" + quote(path.lstrip("/"), safe="/%:@!$&'()*+,;=-._~")
    if existing_query:
        target += "?" + quote(existing_query, safe="=&%+:/,;@!$'()*-._~")
    if query:
        pairs: list[tuple[str, str]] = []
        for key, value in query.items():
            if value is None:
                continue
            values = value if isinstance(value, (list, tuple)) else [value]
            for item in values:
                if isinstance(item, bool):
                    item = "true" if item else "false"
                pairs.append((key, str(item)))
        if pairs:
            target += ("&" if existing_query else "?") + urlencode(pairs)
    return target
