"""Splitting long text into chunks the service accepts, at places where speech may pause."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from ._models import MAX_TTS_TEXT_CHUNK_CHARS

__all__ = ["split_text"]

# Latin and CJK sentence punctuation (the CJK marks written as escapes).
_SENTENCE_ENDS = frozenset(".!?;:\n\u3002\uff01\uff1f")


def _safe_cut(text: str, limit: int) -> int:
    """Where to cut ``text`` (longer than ``limit``) so the first piece has at most ``limit`` chars.

    Prefers the end of a sentence, then a space, then any place that does not
    separate a character from the combining marks that follow it.
    """
    window = text[:limit]
    half = limit // 2
    for i in range(len(window) - 1, half, -1):
        if window[i] in _SENTENCE_ENDS:
            return i + 1
    for i in range(len(window) - 1, half, -1):
        if window[i].isspace():
            return i + 1
    cut = limit
    while cut > 1 and unicodedata.combining(text[cut]):
        cut -= 1
    return cut


def split_text(text: str, limit: int = MAX_TTS_TEXT_CHUNK_CHARS) -> Iterator[str]:
    """``text`` in pieces of at most ``limit`` characters that join back to ``text``.

    Text that fits is yielded as it is (an empty string too).
    """
    if len(text) <= limit:
        yield text
        return
    while len(text) > limit:
        cut = _safe_cut(text, limit)
        yield text[:cut]
        text = text[cut:]
    if text:
        yield text
