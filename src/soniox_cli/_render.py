"""Render a transcript in the formats of ``soniox transcribe --format``."""

from __future__ import annotations

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


def render(transcript: TranscriptionTranscript, fmt: str) -> str:
    """The transcript as ``text``, ``json``, ``srt`` or ``vtt``.

    Subtitles show the translation when the transcript has one (that is why one
    asks for a translation), else the original speech; plain text shows both.
    """
    if fmt == "json":
        return msgspec.json.format(msgspec.json.encode(transcript), indent=2).decode() + "\n"
    if fmt == "text":
        return _text(transcript)
    translated = any(t.translation_status == "translation" for t in transcript.tokens)
    if fmt == "srt":
        return to_srt(transcript.tokens, translated=translated)
    if fmt == "vtt":
        return to_webvtt(transcript.tokens, translated=translated)
    raise ValueError(f"unknown format {fmt!r}")
