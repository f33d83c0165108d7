"""Transcribe a file with the blocking client, and write subtitles beside it.

SONIOX_API_KEY=... python examples/transcribe_sync.py [AUDIO]
"""

from __future__ import annotations

import sys
from pathlib import Path

from soniox_core import CreateTranscriptionConfig
from soniox_core.transcript import to_srt
from soniox_sync import SonioxClient


def main(path: str) -> None:
    config = CreateTranscriptionConfig(enable_speaker_diarization=True)
    with SonioxClient() as client:
        transcript = client.stt.transcribe_and_wait_with_tokens(file=path, config=config, delete_after=True)
    print(transcript.text)
    subtitles = Path(path).with_suffix(".srt").name
    Path(subtitles).write_text(to_srt(transcript.tokens), encoding="utf-8")
    print(f"wrote {subtitles}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "samples/hello.wav")
