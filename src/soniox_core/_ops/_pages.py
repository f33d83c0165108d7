"""Walking cursor-paginated lists, written once for files and transcriptions."""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from typing import Any, Protocol, TypeVar

from .._effects import Effect, Emit, Op
from .._errors import SonioxPaginationError

__all__ = ["emit_items", "for_each_page"]

P = TypeVar("P", bound="_Page")
I = TypeVar("I")  # noqa: E741


class _Page(Protocol):
    @property
    def next_page_cursor(self) -> str | None: ...


def for_each_page(
    fetch_page: Callable[[str | None], Op[P]],
    on_page: Callable[[P], Generator[Any, Any, None]],
) -> Generator[Any, Any, None]:
    """Fetch pages from the first, handing each to ``on_page``, until the cursor runs out.

    A cursor the server already gave (repeated, or part of a cycle) raises
    ``SonioxPaginationError`` before its page is requested again: walking on
    would request the same pages forever.
    """
    cursor: str | None = None
    seen: set[str] = set()
    while True:
        page = yield from fetch_page(cursor)
        yield from on_page(page)
        cursor = page.next_page_cursor
        if not cursor:
            return
        if cursor in seen:
            raise SonioxPaginationError(
                f"The server repeated the page cursor {cursor!r}; stopping instead of "
                "requesting the same pages again",
                cursor=cursor,
            )
        seen.add(cursor)


def emit_items(items: Sequence[I]) -> Generator[Emit[I], Any, None]:
    """Give a page's items to the iterating caller (nothing for an empty page)."""
    if items:
        yield Emit(items)


def for_each_item(
    items: Sequence[I], action: Callable[[I], Generator[Effect, Any, None]]
) -> Generator[Effect, Any, None]:
    """Run ``action`` on each item in order; the first failure stops and raises."""
    for item in items:
        yield from action(item)
