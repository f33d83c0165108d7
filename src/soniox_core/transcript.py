"""Turn recognised tokens into text, paragraphs, segments, SRT and WebVTT.

Everything here is a pure function of a ``Sequence[Token]`` (from an async
transcript or from the final tokens of a realtime session), so both clients and
the ``soniox`` command share it.

Conventions of the token stream that shape this module:

* Tokens are sub-words. A token whose text starts with whitespace begins a new
  word; otherwise it continues the previous one (``"Hel"``, ``"lo"``, ``" world"``).
  Scripts written without spaces (Chinese, Japanese) may break between any two
  tokens.
* When translation is on, the stream interleaves original tokens
  (``translation_status`` ``"original"``/``"none"``/absent) with translated ones
  (``"translation"``). The two are always kept apart: every function takes
  ``translated=`` to pick one of them and never mixes them.
* Realtime sessions add the markers ``<end>`` and ``<fin>``; they carry no text
  and are dropped. Translated realtime tokens come without timestamps; they take
  the time of the token before them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import msgspec

from ._dump import PydanticCompat
from .models import Token

__all__ = [
    "RealtimeTranscript",
    "Segment",
    "SubtitleOptions",
    "final_tokens",
    "format_srt_timestamp",
    "format_vtt_timestamp",
    "split_translation",
    "to_srt",
    "to_webvtt",
    "tokens_to_paragraphs",
    "tokens_to_segments",
    "tokens_to_subtitle_cues",
    "tokens_to_text",
]

# Control markers of realtime sessions (endpoint detected, manual finalize done);
# the same strings as soniox_core.realtime.TOKEN_TEXT_END / TOKEN_TEXT_FIN.
_MARKERS = frozenset({"<end>", "<fin>"})

# Punctuation that ends a sentence, in the scripts Soniox commonly returns.
_SENTENCE_END = frozenset(".?!\u2026\u3002\uff1f\uff01\u061f\u0964")


class Segment(msgspec.Struct, PydanticCompat, frozen=True, kw_only=True):
    """A stretch of speech by one speaker in one language, with its time span.

    ``speaker`` and ``language`` are ``None`` when diarization or language
    identification were off.
    """

    start_ms: int
    end_ms: int
    text: str
    speaker: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class SubtitleOptions:
    """Layout rules for SRT and WebVTT cues.

    The defaults follow common broadcast guidance: at most two lines of 42
    characters, each cue on screen between 0.7 and 7 seconds, and a new cue after
    a silence of more than one second.
    """

    max_line_chars: int = 42
    max_lines: int = 2
    min_cue_ms: int = 700
    max_cue_ms: int = 7000
    max_gap_ms: int = 1000
    split_sentences: bool = True
    #: Prefix a cue with "Speaker N:" when the speaker changes (diarized audio only).
    speaker_labels: bool = True

    def __post_init__(self) -> None:
        if self.max_line_chars < 1 or self.max_lines < 1:
            raise ValueError("max_line_chars and max_lines must be at least 1")
        if self.min_cue_ms < 1 or self.max_cue_ms < self.min_cue_ms:
            raise ValueError("need 1 <= min_cue_ms <= max_cue_ms")
        if self.max_gap_ms < 0:
            raise ValueError("max_gap_ms must be >= 0")


# --- Selecting tokens -----------------------------------------------------------


def _is_translation(token: Token) -> bool:
    return token.translation_status == "translation"


def split_translation(tokens: Iterable[Token]) -> tuple[list[Token], list[Token]]:
    """Split tokens into the spoken ones and the translated ones, keeping order.

    Args:
        tokens: Tokens of a transcript or of a realtime session.

    Returns:
        ``(original, translation)``.
    """
    original: list[Token] = []
    translation: list[Token] = []
    for token in tokens:
        (translation if _is_translation(token) else original).append(token)
    return original, translation


def final_tokens(tokens: Iterable[Token]) -> list[Token]:
    """The final tokens of a realtime stream, without ``<end>``/``<fin>`` markers.

    Args:
        tokens: Tokens of a transcript or of a realtime session. Tokens of an async transcript have no
            ``is_final`` and are all kept.

    Returns:
        The kept tokens, in order.
    """
    return [t for t in tokens if t.is_final is not False and t.text not in _MARKERS]


def _select(tokens: Iterable[Token], translated: bool) -> list[Token]:
    return [t for t in tokens if _is_translation(t) == translated and t.text not in _MARKERS]


# --- Plain text and paragraphs --------------------------------------------------


def tokens_to_text(tokens: Iterable[Token], *, translated: bool = False) -> str:
    """The text of the tokens, as spoken (or as translated).

    Token texts carry their own spaces and are joined as they are.

    Args:
        tokens: Tokens of a transcript or of a realtime session.
        translated: Use the translated tokens instead of the spoken ones.

    Returns:
        The text, stripped of leading and trailing whitespace.
    """
    return "".join(t.text for t in _select(tokens, translated)).strip()


def _speaker_label(speaker: str) -> str:
    return f"Speaker {speaker}:"


def tokens_to_paragraphs(
    tokens: Iterable[Token], *, translated: bool = False, show_language: bool = False
) -> str:
    """Text with a paragraph per speaker turn, each labelled ``Speaker N:``.

    Tokens without a speaker (no diarization) give unlabelled paragraphs, so
    for undiarized audio this equals ``tokens_to_text``.

    Args:
        tokens: Tokens of a transcript or of a realtime session.
        translated: Use the translated tokens instead of the spoken ones.
        show_language: Also start a paragraph at each change of language,
            tagged ``[xx]``.

    Returns:
        The paragraphs, separated by a blank line.
    """
    paragraphs: list[str] = []
    current: list[str] = []
    key: tuple[str | None, str | None] | None = None
    label = ""

    def flush() -> None:
        text = "".join(current).strip()
        if text:
            paragraphs.append(f"{label} {text}" if label else text)

    for token in _select(tokens, translated):
        token_key = (token.speaker, token.language if show_language else None)
        if token_key != key:
            flush()
            current = []
            key = token_key
            parts = []
            if token.speaker is not None:
                parts.append(_speaker_label(token.speaker))
            if show_language and token.language:
                parts.append(f"[{token.language}]")
            label = " ".join(parts)
        current.append(token.text)
    flush()
    return "\n\n".join(paragraphs)


# --- Words and segments -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Word:
    """The unit of line breaking: whole words, or single characters of CJK text."""

    text: str  # without the leading space
    space_before: bool
    start_ms: int
    end_ms: int
    speaker: str | None
    language: str | None


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _timed(tokens: Iterable[Token], translated: bool) -> list[tuple[Token, int, int]]:
    """The selected tokens with a time span each.

    Times are tracked over the whole stream, before selecting, so a translated
    realtime token (sent without timestamps) borrows the end of the original
    speech just before it. Spans never start before 0 or end before they start.
    """
    timed: list[tuple[Token, int, int]] = []
    clock = 0
    for token in tokens:
        start = max(token.start_ms if token.start_ms is not None else clock, 0)
        end = max(token.end_ms if token.end_ms is not None else start, start)
        clock = max(clock, end)
        if _is_translation(token) == translated and token.text not in _MARKERS:
            timed.append((token, start, end))
    return timed


def _words(tokens: Iterable[Token], translated: bool) -> list[_Word]:
    """Group the selected tokens into words, each with its time span."""
    words: list[_Word] = []
    for token, start, end in _timed(tokens, translated):
        # str.split() also folds newlines and tabs, which would end an SRT cue early.
        parts = token.text.split()
        if not parts:
            continue
        for index, part in enumerate(parts):
            space_before = index > 0 or token.text[0].isspace()
            if words and not space_before and _joins(words[-1], part, token):
                prev = words[-1]
                words[-1] = _Word(
                    prev.text + part,
                    prev.space_before,
                    prev.start_ms,
                    max(prev.end_ms, end),
                    prev.speaker,
                    prev.language,
                )
            else:
                words.append(
                    _Word(part, space_before or not words, start, end, token.speaker, token.language)
                )
    return words


def _joins(prev: _Word, text: str, token: Token) -> bool:
    """Whether a token without leading space continues the previous word."""
    return (
        not _is_wide(text[0])
        and not _is_wide(prev.text[-1])
        and prev.speaker == token.speaker
        and prev.language == token.language
    )


def _ends_sentence(word: _Word) -> bool:
    return word.text[-1] in _SENTENCE_END


def _group_words(words: Sequence[_Word], *, max_gap_ms: int, split_sentences: bool) -> list[list[_Word]]:
    """Split words at speaker or language changes, pauses and sentence ends."""
    groups: list[list[_Word]] = []
    for word in words:
        if groups:
            prev = groups[-1][-1]
            same = (
                word.speaker == prev.speaker
                and word.language == prev.language
                and word.start_ms - prev.end_ms <= max_gap_ms
                and not (split_sentences and _ends_sentence(prev) and word.space_before)
            )
            if same:
                groups[-1].append(word)
                continue
        groups.append([word])
    return groups


def _join(words: Iterable[_Word]) -> str:
    parts: list[str] = []
    for word in words:
        if parts and word.space_before:
            parts.append(" ")
        parts.append(word.text)
    return "".join(parts)


def tokens_to_segments(
    tokens: Iterable[Token],
    *,
    translated: bool = False,
    max_gap_ms: int = 1000,
    split_sentences: bool = True,
) -> list[Segment]:
    """Timed segments of text, for captions, search or alignment.

    A segment ends at a change of speaker or language, at a pause longer than
    ``max_gap_ms``, and (with ``split_sentences``) after each sentence.

    Args:
        tokens: Tokens of a transcript or of a realtime session.
        translated: Use the translated tokens instead of the spoken ones.
        max_gap_ms: A longer pause between words starts a new segment.
        split_sentences: End a segment after each sentence.

    Returns:
        Segments with start and end in milliseconds, text, speaker and language.
    """
    words = _words(tokens, translated)
    return [
        Segment(
            start_ms=group[0].start_ms,
            end_ms=max(w.end_ms for w in group),
            text=_join(group),
            speaker=group[0].speaker,
            language=group[0].language,
        )
        for group in _group_words(words, max_gap_ms=max_gap_ms, split_sentences=split_sentences)
    ]


# --- Subtitle cues ----------------------------------------------------------------


def _greedy_lines(words: Sequence[_Word], width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in words:
        candidate = f"{line} {word.text}" if line and word.space_before else line + word.text
        if line and len(candidate) > width:
            lines.append(line)
            line = word.text
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def _layout(words: Sequence[_Word], width: int, max_lines: int) -> list[str] | None:
    """Lines of at most ``width`` chars, as even in length as possible, or None.

    The narrowest width whose greedy wrap still fits ``max_lines`` gives balanced
    lines (a 40 + 4 split reads worse than 22 + 22).
    """
    total = len(_join(words))
    if total <= width:
        return [_join(words)]
    for trial in range(max(1, -(-total // max_lines)), width + 1):
        lines = _greedy_lines(words, trial)
        if len(lines) <= max_lines and all(len(line) <= width for line in lines):
            return lines
    return None


def _chop(word: _Word, width: int) -> list[_Word]:
    """Hard-split a word too long for any line; the pieces share its time span."""
    if len(word.text) <= width:
        return [word]
    pieces = [word.text[i : i + width] for i in range(0, len(word.text), width)]
    return [
        _Word(p, word.space_before and i == 0, word.start_ms, word.end_ms, word.speaker, word.language)
        for i, p in enumerate(pieces)
    ]


@dataclass(frozen=True, slots=True)
class _Cue:
    start_ms: int
    end_ms: int
    lines: list[str]


def _cues_of_group(group: Sequence[_Word], options: SubtitleOptions) -> list[_Cue]:
    """Fill cues word by word; close one when the next word would not fit its lines
    or would make it last longer than ``max_cue_ms``."""
    cues: list[_Cue] = []
    current: list[_Word] = []
    lines: list[str] = []
    for word in group:
        if current:
            trial = _layout([*current, word], options.max_line_chars, options.max_lines)
            too_long = word.end_ms - current[0].start_ms > options.max_cue_ms
            if trial is not None and not too_long:
                current.append(word)
                lines = trial
                continue
            cues.append(_Cue(current[0].start_ms, max(w.end_ms for w in current), lines))
        current = [word]
        lines = [word.text]  # a chopped word always fits one line
    if current:
        cues.append(_Cue(current[0].start_ms, max(w.end_ms for w in current), lines))
    return cues


def _label_words(group: Sequence[_Word], width: int) -> list[_Word]:
    first = group[0]
    label = _Word(
        " ".join(_speaker_label(first.speaker or "").split()),
        True,
        first.start_ms,
        first.start_ms,
        first.speaker,
        first.language,
    )
    return _chop(label, width)


def _retime(cues: Sequence[_Cue], options: SubtitleOptions) -> list[_Cue]:
    """Make cue times readable and well-formed.

    Each cue starts no earlier than the previous one ends, lasts at least
    ``min_cue_ms`` when the next cue leaves room (staying in sync with the
    speech wins over reading time), never more than ``max_cue_ms``, and always
    ends strictly after it starts.
    """
    timed: list[_Cue] = []
    prev_end = 0
    for i, cue in enumerate(cues):
        start = max(cue.start_ms, prev_end)
        end = max(cue.end_ms, start + options.min_cue_ms)
        if i + 1 < len(cues) and cues[i + 1].start_ms > start:
            end = min(end, max(cues[i + 1].start_ms, cue.end_ms))
        end = max(start + 1, min(end, start + options.max_cue_ms))
        timed.append(_Cue(start, end, cue.lines))
        prev_end = end
    return timed


def _build_cues(tokens: Iterable[Token], translated: bool, options: SubtitleOptions | None) -> list[_Cue]:
    opts = options or SubtitleOptions()
    words = [piece for word in _words(tokens, translated) for piece in _chop(word, opts.max_line_chars)]
    groups = _group_words(words, max_gap_ms=opts.max_gap_ms, split_sentences=opts.split_sentences)
    cues: list[_Cue] = []
    last_speaker: str | None = None
    for group in groups:
        speaker = group[0].speaker
        if opts.speaker_labels and speaker is not None and speaker != last_speaker:
            # The label is its own word: keep a space after it even when the
            # speaker's first token has none.
            first = replace(group[0], space_before=True)
            group = [*_label_words(group, opts.max_line_chars), first, *group[1:]]
        last_speaker = speaker
        cues.extend(_cues_of_group(group, opts))
    return _retime(cues, opts)


def tokens_to_subtitle_cues(
    tokens: Iterable[Token],
    *,
    translated: bool = False,
    options: SubtitleOptions | None = None,
) -> list[Segment]:
    """The cues ``to_srt`` and ``to_webvtt`` write, as segments.

    Args:
        tokens: Tokens of a transcript or of a realtime session.
        translated: Use the translated tokens instead of the spoken ones.
        options: Line length, lines per cue and timing rules; default
            ``SubtitleOptions()``.

    Returns:
        One segment per cue; its text holds the cue's lines joined by
        ``"\\n"``, its times are already adjusted for reading.
    """
    return [
        Segment(start_ms=c.start_ms, end_ms=c.end_ms, text="\n".join(c.lines))
        for c in _build_cues(tokens, translated, options)
    ]


def _clock(ms: int, separator: str) -> str:
    ms = max(ms, 0)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def format_srt_timestamp(ms: int) -> str:
    """A time as SubRip writes it.

    Args:
        ms: Milliseconds from the start (negative counts as 0).

    Returns:
        ``HH:MM:SS,mmm``.
    """
    return _clock(ms, ",")


def format_vtt_timestamp(ms: int) -> str:
    """A time as WebVTT writes it.

    Args:
        ms: Milliseconds from the start (negative counts as 0).

    Returns:
        ``HH:MM:SS.mmm``.
    """
    return _clock(ms, ".")


def to_srt(
    tokens: Iterable[Token],
    *,
    translated: bool = False,
    options: SubtitleOptions | None = None,
) -> str:
    """SubRip (``.srt``) subtitles for the tokens.

    Args:
        tokens: Tokens of a transcript or of a realtime session.
        translated: Use the translated tokens instead of the spoken ones.
        options: Line length, lines per cue and timing rules; default
            ``SubtitleOptions()``.

    Returns:
        The file's text; ``""`` when there is nothing to show.
    """
    blocks = []
    for number, cue in enumerate(_build_cues(tokens, translated, options), start=1):
        # "-->" inside cue text would read as a timing line to some players.
        text = "\n".join(line.replace("-->", "->") for line in cue.lines)
        blocks.append(
            f"{number}\n{format_srt_timestamp(cue.start_ms)} --> {format_srt_timestamp(cue.end_ms)}\n{text}\n"
        )
    return "\n".join(blocks)


def _escape_vtt(line: str) -> str:
    # WebVTT cue text is markup: "&" and "<" start entities and tags.
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_webvtt(
    tokens: Iterable[Token],
    *,
    translated: bool = False,
    options: SubtitleOptions | None = None,
) -> str:
    """WebVTT (``.vtt``) subtitles for the tokens.

    Args:
        tokens: Tokens of a transcript or of a realtime session.
        translated: Use the translated tokens instead of the spoken ones.
        options: Line length, lines per cue and timing rules; default
            ``SubtitleOptions()``.

    Returns:
        The file's text; it always starts with the ``WEBVTT`` header, even with
        no cues.
    """
    blocks = ["WEBVTT\n"]
    for cue in _build_cues(tokens, translated, options):
        text = "\n".join(_escape_vtt(line) for line in cue.lines)
        blocks.append(
            f"{format_vtt_timestamp(cue.start_ms)} --> {format_vtt_timestamp(cue.end_ms)}\n{text}\n"
        )
    return "\n".join(blocks)


# --- Realtime ---------------------------------------------------------------------


class RealtimeTranscript:
    """Collects the tokens of a realtime session as its results arrive.

    Feed it each result's tokens with ``add``: final tokens are appended once and
    for all, while the non-final tail is replaced on every result (the server
    re-sends it until it becomes final). Every function of this module then
    works on ``final_tokens``.
    """

    def __init__(self) -> None:
        self.final_tokens: list[Token] = []
        self.non_final_tokens: list[Token] = []

    def add(self, tokens: Iterable[Token]) -> list[Token]:
        """Take in one result's tokens.

        Final tokens are appended for good; the non-final ones replace the
        previous non-final tail.

        Args:
            tokens: The tokens of one realtime event.

        Returns:
            The final tokens this result added (markers left out).
        """
        new_final: list[Token] = []
        non_final: list[Token] = []
        for token in tokens:
            if token.is_final:
                if token.text not in _MARKERS:
                    new_final.append(token)
            else:
                non_final.append(token)
        self.final_tokens.extend(new_final)
        self.non_final_tokens = non_final
        return new_final

    def final_text(self, *, translated: bool = False) -> str:
        """The text that can no longer change."""
        return tokens_to_text(self.final_tokens, translated=translated)

    def partial_text(self, *, translated: bool = False) -> str:
        """The provisional text after the final text; may still change."""
        return "".join(t.text for t in _select(self.non_final_tokens, translated))

    def text(self, *, translated: bool = False) -> str:
        """Final and provisional text together, as a live caption shows it."""
        everything = [*self.final_tokens, *self.non_final_tokens]
        return tokens_to_text(everything, translated=translated)
