"""``soniox speak --realtime``: text over the realtime TTS socket, line by line from stdin."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import IO, BinaryIO

from ._connect import Connection

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
    from soniox_sync.utils import start_text_thread

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
        sender = start_text_thread(tts, chunks, name="soniox-speak-text")
        for audio in tts.receive_audio_chunks():
            out.write(audio)
            out.flush()
            written += len(audio)
        sender.join(timeout=1.0)
    return written
