"""HTTP/1.1 trailers of a streamed response, which httpcore reads but does not hand over.

The Text-to-Speech service reports a failure that happens after audio started
in trailers (``X-Tts-Error-Code``/``X-Tts-Error-Message``) after the last chunk.
h11 parses them into its ``EndOfMessage`` event, and httpcore 1.0 drops that
event. So, for one response at a time, the h11 connection's ``next_event`` is
wrapped to note the trailers as they pass, and unwrapped once the body ended
or was released (before the connection can serve another request).

This reaches into httpcore's internals (``PoolByteStream._stream``,
``HTTP11ConnectionByteStream._connection``, ``_h11_state``): where they are not
found (HTTP/2, another httpcore version) no trailers are seen, and a body that
ends early is still reported by h11 as an incomplete message. The driver tests
against the emulator, which sends such trailers, keep this honest.
Shared by the sync and async drivers: h11 is synchronous in both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import h11
import httpcore

__all__ = ["TrailerTap"]


class TrailerTap:
    """Notes the trailers of one HTTP/1.1 response while its body is read."""

    __slots__ = ("_h11", "trailers")

    def __init__(self, response: httpcore.Response) -> None:
        self.trailers: list[tuple[bytes, bytes]] = []
        self._h11: Any = None
        connection = getattr(getattr(response.stream, "_stream", None), "_connection", None)
        state = getattr(connection, "_h11_state", None)
        if not isinstance(state, h11.Connection) or "next_event" in vars(state):
            return
        original: Callable[[], Any] = state.next_event
        noted = self.trailers

        def next_event() -> Any:
            event = original()
            if type(event) is h11.EndOfMessage and event.headers:
                noted.extend(event.headers.raw_items())
            return event

        state.next_event = next_event  # type: ignore[method-assign]
        self._h11 = state

    @property
    def active(self) -> bool:
        """Whether trailers can be seen for this response."""
        return self._h11 is not None

    def detach(self) -> None:
        """Stop watching (safe to call more than once)."""
        state, self._h11 = self._h11, None
        if state is not None:
            vars(state).pop("next_event", None)
