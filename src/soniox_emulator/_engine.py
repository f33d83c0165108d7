"""The deterministic "recogniser": text in, Soniox-shaped tokens out.

Nothing here listens to audio. Tests choose the words; the engine only makes them
look like real output (sub-word tokens with leading spaces, even timestamps over the
audio's duration, stable confidences) so that client code is exercised realistically.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass
from typing import Any

DEFAULT_TEXT = "Hello world. This is the Soniox emulator speaking."

# Compressed audio of unknown format is assumed to run at 128 kbit/s; only used to
# give non-WAV uploads a plausible duration.
_FALLBACK_BYTES_PER_SECOND = 16_000
_MIN_FALLBACK_MS = 1_000
_DEFAULT_URL_DURATION_MS = 5_000
_PUNCTUATION = ".,!?;:"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class TranscriptOptions:
    """The parts of a transcription request that change the transcript's shape."""

    enable_speaker_diarization: bool = False
    enable_language_identification: bool = False
    language_hints: tuple[str, ...] = ()
    translation: dict[str, Any] | None = None


def wav_duration_ms(head: bytes, total_size: int) -> int | None:
    """Duration of a RIFF/WAVE file from its first bytes, or None if it is not one."""
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    pos = 12
    byte_rate = 0
    while pos + 8 <= len(head):
        chunk_id = head[pos : pos + 4]
        (size,) = struct.unpack_from("<I", head, pos + 4)
        body = pos + 8
        if chunk_id == b"fmt " and body + 12 <= len(head):
            (byte_rate,) = struct.unpack_from("<I", head, body + 8)
        elif chunk_id == b"data":
            if byte_rate <= 0:
                return None
            # Streamed WAVs often carry a placeholder size; trust the upload's length.
            available = total_size - body
            data_size = size if 0 < size <= available else available
            return max(0, data_size) * 1000 // byte_rate
        pos = body + size + (size & 1)
    return None


def estimate_duration_ms(head: bytes, total_size: int) -> int:
    """Audio duration for an upload: exact for WAV, a size-based guess otherwise."""
    exact = wav_duration_ms(head, total_size)
    if exact is not None:
        return exact
    return max(_MIN_FALLBACK_MS, total_size * 1000 // _FALLBACK_BYTES_PER_SECOND)


def url_duration_ms() -> int:
    """Audio fetched by URL is never downloaded, so it gets a fixed duration."""
    return _DEFAULT_URL_DURATION_MS


def _word_pieces(word: str) -> list[str]:
    core = word.rstrip(_PUNCTUATION)
    tail = word[len(core) :]
    pieces: list[str] = []
    if len(core) <= 4:
        if core:
            pieces.append(core)
    else:
        # Mimic sub-word tokens: a three-letter head, then chunks of up to four.
        pieces.append(core[:3])
        rest = core[3:]
        pieces.extend(rest[i : i + 4] for i in range(0, len(rest), 4))
    pieces.extend(tail)
    return pieces or [word]


def split_tokens(text: str, *, leading_space: bool = False) -> list[str]:
    """Split text into Soniox-like token strings: ``"Hello world"`` -> ``Hel, lo, " wor", ld``.

    Joining the result gives back the text with whitespace normalised to single spaces.
    """
    out: list[str] = []
    for index, word in enumerate(text.split()):
        pieces = _word_pieces(word)
        if index > 0 or leading_space:
            pieces[0] = " " + pieces[0]
        out.extend(pieces)
    return out


def _confidence(text: str, index: int) -> float:
    # A stable pseudo-random value in [0.80, 0.99] so repeated runs compare equal.
    return round(0.80 + (zlib.crc32(f"{index}:{text}".encode()) % 20) / 100, 2)


def _translation_target(options: TranscriptOptions, source: str) -> str | None:
    config = options.translation
    if not config:
        return None
    if config.get("type") == "two_way":
        a, b = config.get("language_a"), config.get("language_b")
        target = b if source == a else a
        return str(target) if target else None
    target = config.get("target_language")
    return str(target) if target else None


def build_transcript(
    transcription_id: str,
    text: str,
    duration_ms: int,
    options: TranscriptOptions,
    char_times: list[tuple[int, int]] | None = None,
) -> dict[str, Any]:
    """The TranscriptionTranscript body for ``text`` spread over ``duration_ms``, or timed
    by ``char_times`` (start and end ms of each character of ``text``) when given."""
    source_language = options.language_hints[0] if options.language_hints else "en"
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s] or [""]
    word_tokens = [split_tokens(s, leading_space=i > 0) for i, s in enumerate(sentences)]
    total = sum(len(t) for t in word_tokens) or 1
    slot = duration_ms / total
    target = _translation_target(options, source_language)

    if char_times is not None and (
        not char_times or sum(len(p) for t in word_tokens for p in t) != len(char_times)
    ):
        char_times = None  # only text the decoder heard verbatim can use its timing
    tokens: list[dict[str, Any]] = []
    position = 0
    offset = 0  # characters of ``text`` covered so far
    for sentence_index, pieces in enumerate(word_tokens):
        sentence_start = round(position * slot) if char_times is None else char_times[offset][0]
        for piece in pieces:
            start = round(position * slot)
            end = max(start, round(position * slot + slot * 0.8))
            if char_times is not None:
                first = offset + len(piece) - len(piece.lstrip())
                start = char_times[min(first, offset + len(piece) - 1)][0]
                end = char_times[offset + len(piece) - 1][1]
            offset += len(piece)
            token: dict[str, Any] = {
                "text": piece,
                "start_ms": start,
                "end_ms": end,
                "confidence": _confidence(piece, position),
            }
            if options.enable_speaker_diarization:
                token["speaker"] = str(sentence_index % 2 + 1)
            if options.enable_language_identification or target is not None:
                token["language"] = source_language
            if target is not None:
                token["translation_status"] = "original"
            tokens.append(token)
            position += 1
        if target is not None:
            sentence_end = round(position * slot) if char_times is None else char_times[offset - 1][1]
            translated = f"[{target}] {sentences[sentence_index]}"
            for offset, piece in enumerate(split_tokens(translated, leading_space=True)):
                tokens.append(
                    {
                        "text": piece,
                        "start_ms": sentence_start,
                        "end_ms": sentence_end,
                        "confidence": _confidence(piece, offset),
                        "language": target,
                        "translation_status": "translation",
                        **(
                            {"speaker": str(sentence_index % 2 + 1)}
                            if options.enable_speaker_diarization
                            else {}
                        ),
                    }
                )
    return {
        "id": transcription_id,
        "text": "".join(t["text"] for t in tokens),
        "tokens": tokens,
    }
