"""``soniox realtime FILE``: stream a file as if it were live, show the text as it comes."""

from __future__ import annotations

import argparse
import os
import shutil
import threading
import time
import wave
from collections.abc import Iterator
from typing import Any

from soniox_core.models import Token, TranslationConfig
from soniox_core.realtime._config import RealtimeSTTConfig
from soniox_core.transcript import RealtimeTranscript, tokens_to_paragraphs

from ._connect import Connection
from ._errors import EXIT_OK, EXIT_USAGE, CLIError
from ._live import LiveView
from ._output import Output

DEFAULT_MODEL = "stt-rt-v5"
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
    would have been spoken (unless ``fast``)."""
    size = max(1, int(bytes_per_second(path) * CHUNK_SEC))
    started = time.monotonic()
    sent_sec = 0.0
    with open(path, "rb") as handle:
        while chunk := handle.read(size):
            if not fast:
                # Sleep to the chunk's due time (not a fixed step) so drift cannot build up.
                delay = started + sent_sec - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            yield chunk
            sent_sec += CHUNK_SEC


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


class _Sender(threading.Thread):
    """Streams the audio on its own thread while the main thread reads results."""

    def __init__(self, session: Any, path: str, fast: bool) -> None:
        super().__init__(name="soniox-audio", daemon=True)
        self._session = session
        self._path = path
        self._fast = fast
        self._stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            for chunk in paced_chunks(self._path, fast=self._fast):
                if self._stop.is_set():
                    return
                self._session.send_bytes(chunk)
            self._session.finish()
        except BaseException as exc:  # reported by the main thread
            self.error = exc

    def stop(self) -> None:
        self._stop.set()


def _text(tokens: list[Token], translated: bool = False) -> str:
    return "".join(t.text for t in tokens if (t.translation_status == "translation") == translated)


def run(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    """Stream the file and show the transcript live; print translation at the end."""
    if not os.path.isfile(args.source):
        raise CLIError(f"no such file: {args.source}", exit_code=EXIT_USAGE)
    if conn.emulator is not None:
        from ._connect import sidecar_transcript

        text = sidecar_transcript(args.source)
        if text is not None:
            conn.emulator.realtime.queue_transcript(text)
    live = RealtimeTranscript()
    view = LiveView(
        output.stdout,
        terminal=output.stdout_is_tty,
        width=shutil.get_terminal_size().columns,
    )
    session = conn.client.realtime.stt.connect(config=build_config(args))
    with session:
        sender = _Sender(session, args.source, args.fast)
        sender.start()
        try:
            for event in session.receive_events():
                added = live.add(event.tokens)
                view.update(_text(added), live.partial_text())
        finally:
            sender.stop()
            view.close()
        sender.join(timeout=5)
    if sender.error is not None:
        raise sender.error
    if any(t.translation_status == "translation" for t in live.final_tokens):
        translated = tokens_to_paragraphs(live.final_tokens, translated=True)
        output.stdout.write(f"\nTranslation:\n{translated}\n")
    if output.path is not None:
        output.write(tokens_to_paragraphs(live.final_tokens) + "\n")
    return EXIT_OK
