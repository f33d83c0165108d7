"""Collects a realtime session's tokens into a transcript you can show as it grows."""

from __future__ import annotations

from collections.abc import Iterable

from soniox_core.models import Token

from ._events import TOKEN_TEXT_END, TOKEN_TEXT_FIN, RealtimeEvent

__all__ = ["TranscriptAccumulator", "render_tokens"]

_MARKERS = frozenset({TOKEN_TEXT_END, TOKEN_TEXT_FIN})


class TranscriptAccumulator:
    """Keeps every final token and the latest non-final ones.

    Feed it each event (``add(event)``); ``text`` is the transcript so far,
    ``final_text`` only the part that will not change, and ``render()`` adds
    speaker and language labels when the session reports them. The ``<end>``
    and ``<fin>`` markers are counted (``endpoints``, ``finalizations``) but kept
    out of the text.
    """

    def __init__(self) -> None:
        self.final_tokens: list[Token] = []
        self.non_final_tokens: list[Token] = []
        self.endpoints = 0
        self.finalizations = 0
        self.finished = False

    def add(self, event: RealtimeEvent) -> list[Token]:
        """Take in one event: append its final tokens, replace the non-final ones.

        Args:
            event: One event of the session, in the order received.

        Returns:
            The final tokens this event added (markers left out), e.g. to print
            captions as they become final.
        """
        new_final: list[Token] = []
        non_final: list[Token] = []
        for token in event.tokens:
            if token.text == TOKEN_TEXT_END:
                self.endpoints += 1
            elif token.text == TOKEN_TEXT_FIN:
                self.finalizations += 1
            elif token.is_final:
                new_final.append(token)
            else:
                non_final.append(token)
        self.final_tokens.extend(new_final)
        self.non_final_tokens = non_final
        if event.finished:
            self.finished = True
        return new_final

    @property
    def final_text(self) -> str:
        """The text of the final tokens only."""
        return "".join(t.text for t in self.final_tokens)

    @property
    def text(self) -> str:
        """The final text followed by the current non-final guess."""
        return self.final_text + "".join(t.text for t in self.non_final_tokens)

    def render(self) -> str:
        """The transcript with ``Speaker N:`` and ``[lang]`` labels where present."""
        return render_tokens(self.final_tokens, self.non_final_tokens)

    def reset(self) -> None:
        """Forget everything (e.g. to start a new paragraph after an endpoint)."""
        self.__init__()  # type: ignore[misc]


def render_tokens(final_tokens: Iterable[Token], non_final_tokens: Iterable[Token] = ()) -> str:
    """Render tokens as readable text.

    A new speaker starts a paragraph headed ``Speaker N:``; a change of
    language inserts a ``[xx]`` tag (``[Translation] [xx]`` for translated
    tokens). Endpoint and finalization markers are left out.
    """
    parts: list[str] = []
    speaker: str | None = None
    language: str | None = None
    for token in [*final_tokens, *non_final_tokens]:
        if token.text in _MARKERS:
            continue
        text = token.text
        if token.speaker is not None and token.speaker != speaker:
            if speaker is not None:
                parts.append("\n\n")
            speaker = token.speaker
            language = None
            parts.append(f"Speaker {speaker}:")
            text = " " + text.lstrip()
        if token.language is not None and token.language != language:
            language = token.language
            label = "[Translation] " if token.translation_status == "translation" else ""
            parts.append(f"\n{label}[{language}] ")
            text = text.lstrip()
        parts.append(text)
    return "".join(parts)
