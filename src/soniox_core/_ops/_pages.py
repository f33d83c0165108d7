"""Walking cursor-paginated lists, written once for files and transcriptions."""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from typing import Any, Protocol, TypeVar

from .._effects import Effect, Emit, Op

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
    """Fetch pages from the first, handing each to ``on_page``, until the cursor runs out."""
    cursor: str | None = None
    while True:
        page = yield from fetch_page(cursor)
        yield from on_page(page)
        cursor = page.next_page_cursor
        if not cursor:
            return


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
