"""Render a transcript in the formats of ``soniox transcribe --format``."""

from __future__ import annotations

from typing import Any

import msgspec

from soniox_core.models import TranscriptionTranscript
from soniox_core.transcript import (
    split_translation,
    to_srt,
    to_webvtt,
    tokens_to_paragraphs,
    tokens_to_text,
)

FORMATS = ("text", "json", "srt", "vtt")


def _text(transcript: TranscriptionTranscript) -> str:
    tokens = transcript.tokens
    original, translation = split_translation(tokens)
    diarized = any(t.speaker is not None for t in original)
    body = tokens_to_paragraphs(original) if diarized else tokens_to_text(original)
    if translation:
        # Original first, translation after, each under its own heading.
        languages = sorted({t.language for t in translation if t.language})
        heading = f"Translation ({', '.join(languages)}):" if languages else "Translation:"
        translated = (
            tokens_to_paragraphs(tokens, translated=True)
            if diarized
            else tokens_to_text(tokens, translated=True)
        )
        body = f"{body}\n\n{heading}\n{translated}"
    return body + "\n" if body else ""


def _drop_none(value: Any) -> Any:
    # Token fields the API did not send come back as None; leaving them out
    # makes the JSON look like the API's own transcript.
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def to_json(value: Any) -> str:
    """Indented JSON of a model (or list of models), without null fields."""
    encoded = msgspec.json.encode(_drop_none(msgspec.to_builtins(value)))
    return msgspec.json.format(encoded, indent=2).decode() + "\n"


def render(transcript: TranscriptionTranscript, fmt: str) -> str:
    """The transcript as ``text``, ``json``, ``srt`` or ``vtt``.

    Subtitles show the translation when the transcript has one (that is why one
    asks for a translation), else the original speech; plain text shows both.
    """
    if fmt == "json":
        return to_json(transcript)
    if fmt == "text":
        return _text(transcript)
    translated = any(t.translation_status == "translation" for t in transcript.tokens)
    if fmt == "srt":
        return to_srt(transcript.tokens, translated=translated)
    if fmt == "vtt":
        return to_webvtt(transcript.tokens, translated=translated)
    raise ValueError(f"unknown format {fmt!r}")
