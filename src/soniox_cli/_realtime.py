"""``soniox realtime FILE``: stream a file as if it were live, show the text as it comes."""

from __future__ import annotations

import argparse
import os
import wave
from collections.abc import Iterator

from soniox_core.models import Token, TranslationConfig
from soniox_core.realtime import RealtimeSTTConfig, TranscriptAccumulator
from soniox_core.transcript import tokens_to_paragraphs

from ._connect import Connection, sidecar_transcript
from ._errors import EXIT_OK, EXIT_USAGE, CLIError
from ._live import LiveView, color_allowed, terminal_width
from ._output import Output

CHUNK_SEC = 0.1
# Compressed formats have no byte rate we can read cheaply; 128 kbit/s is typical.
FALLBACK_BYTES_PER_SEC = 16_000


def bytes_per_second(path: str) -> int:
    """The audio's byte rate: exact for WAV, a typical compressed rate otherwise."""
    try:
        with wave.open(path, "rb") as reader:
            return reader.getframerate() * reader.getsampwidth() * reader.getnchannels()
    except (wave.Error, EOFError, OSError):
        return FALLBACK_BYTES_PER_SEC


def paced_chunks(path: str, *, fast: bool) -> Iterator[bytes]:
    """The file in chunks of ``CHUNK_SEC`` of audio, each sent no sooner than it
    would have been spoken (unless ``fast``): the SDK's ``stream_audio``."""
    from soniox_sync import stream_audio

    rate = bytes_per_second(path)
    size = max(1, int(rate * CHUNK_SEC))
    return stream_audio(path, chunk_size_bytes=size, speed=None if fast else 1.0, bytes_per_second=rate)


def build_config(args: argparse.Namespace) -> RealtimeSTTConfig:
    """The session options the flags ask for."""
    translation = None
    if args.translate_to:
        translation = TranslationConfig(type="one_way", target_language=args.translate_to)
    return RealtimeSTTConfig(
        model=args.model,
        language_hints=list(args.language) or None,
        enable_speaker_diarization=True if args.diarize else None,
        enable_language_identification=True if args.language_id else None,
        translation=translation,
    )


class _Captioner:
    """Turns newly final tokens into caption text: a new line, labelled, at each
    change of speaker (diarized sessions only); translations are left for the end."""

    def __init__(self) -> None:
        self._speaker: str | None = None
        self._started = False

    def text(self, tokens: list[Token]) -> str:
        parts: list[str] = []
        for token in tokens:
            if token.translation_status == "translation":
                continue
            if token.speaker is not None and token.speaker != self._speaker:
                self._speaker = token.speaker
                prefix = "\n" if self._started else ""
                parts.append(f"{prefix}Speaker {token.speaker}: ")
                parts.append(token.text.lstrip())
            else:
                parts.append(token.text)
            self._started = True
        return "".join(parts)


def run(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    """Stream the file and show the transcript live; print translation at the end."""
    if not os.path.isfile(args.source):
        raise CLIError(f"no such file: {args.source}", exit_code=EXIT_USAGE)
    if conn.emulator is not None:
        text = sidecar_transcript(args.source)
        if text is not None:
            conn.emulator.realtime.queue_transcript(text)
    live = TranscriptAccumulator()
    captions = _Captioner()
    view = LiveView(
        output.stdout,
        terminal=output.stdout_is_tty,
        width=terminal_width(),
        color=color_allowed(),
    )
    session = conn.client.realtime.stt.connect(config=build_config(args))
    with session:
        # Audio goes out on a helper thread; its failure surfaces in receive_events.
        session.send_in_background(paced_chunks(args.source, fast=args.fast))
        try:
            for event in session.receive_events():
                added = live.add(event)
                spoken = (t for t in live.non_final_tokens if t.translation_status != "translation")
                partial = "".join(t.text for t in spoken)
                view.update(captions.text(added), partial)
        finally:
            view.close()
    if any(t.translation_status == "translation" for t in live.final_tokens):
        translated = tokens_to_paragraphs(live.final_tokens, translated=True)
        output.stdout.write(f"\nTranslation:\n{translated}\n")
    if output.path is not None:
        output.write(tokens_to_paragraphs(live.final_tokens) + "\n")
    return EXIT_OK
