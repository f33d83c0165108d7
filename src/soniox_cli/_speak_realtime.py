"""``soniox speak --realtime``: text over the realtime TTS socket, line by line from stdin."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import IO, TYPE_CHECKING, BinaryIO

from ._connect import Connection

if TYPE_CHECKING:
    from soniox_sync._realtime_tts import RealtimeTTSConnection

__all__ = ["speak_realtime", "stdin_lines"]

STREAM_ID = "soniox-cli"


def stdin_lines(stream: IO[str] | None = None) -> Iterator[str]:
    """Each line of stdin as soon as it is complete, joined to the previous by a space.

    ``readline`` returns as soon as a newline arrives (it does not wait for a
    full buffer), so text piped from a program that prints as it goes is
    spoken while that program is still running. Blank lines are skipped.
    """
    source = stream if stream is not None else sys.stdin
    first = True
    for line in iter(source.readline, ""):
        text = line.strip()
        if not text:
            continue
        yield text if first else " " + text
        first = False


class _Sender:
    """Sends the text from a daemon thread and keeps its failure for the main thread.

    When the service ends the stream with an error, sending fails too; that
    failure says less than the service's, so it is raised only when the audio
    ended cleanly (and never printed by the thread as a traceback).
    """

    def __init__(self, tts: RealtimeTTSConnection, chunks: str | Iterator[str]) -> None:
        self.error: BaseException | None = None
        self._tts, self._chunks = tts, chunks
        # A daemon: a reader still blocked on stdin must not keep the process alive.
        self.thread = threading.Thread(target=self._run, name="soniox-speak-text", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self._tts.send_text_chunks(self._chunks)
        except BaseException as exc:  # handed to the main thread, see raise_failure
            self.error = exc

    def raise_failure(self) -> None:
        self.thread.join(timeout=1.0)
        if self.error is not None:
            raise self.error


def speak_realtime(args: argparse.Namespace, conn: Connection, sink: AbstractContextManager[BinaryIO]) -> int:
    """Open one realtime stream, send the text (or stdin's lines as they come), and
    write the audio into ``sink`` as it arrives.

    Returns:
        The number of audio bytes written.

    Raises:
        SonioxRealtimeError: The service ended the stream with an error.
        SonioxTransportError: The connection failed.
    """
    from soniox_core.realtime.tts import RealtimeTTSConfig

    config = RealtimeTTSConfig(
        stream_id=STREAM_ID,
        model=args.model,
        language=args.language,
        voice=args.voice,
        audio_format=args.audio_format,
        sample_rate=args.sample_rate,
        bitrate=args.bitrate,
        speed=args.speed,
    )
    chunks = stdin_lines() if args.text == "-" else args.text
    written = 0
    with sink as out, conn.client.realtime.tts.connect(config=config) as tts:
        # Text goes out from a thread while this one writes audio, so the first
        # words are heard before the last ones are typed (or generated).
        sender = _Sender(tts, chunks)
        for audio in tts.receive_audio_chunks():
            out.write(audio)
            out.flush()
            written += len(audio)
        sender.raise_failure()
    return written
