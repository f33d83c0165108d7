"""Build the client a command talks through: the real API, or ``--local`` emulator."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ._logging import RedactFilter

if TYPE_CHECKING:
    from soniox_emulator import Emulator
    from soniox_sync import SonioxClient

# The emulator accepts any key it is started with; this one is not a secret.
LOCAL_API_KEY = "local-emulator-key"


@dataclass
class Connection:
    """The client, and the emulator behind it when running ``--local``."""

    client: SonioxClient
    emulator: Emulator | None = None


def sidecar_transcript(audio: str) -> str | None:
    """The expected text of a local audio file: ``NAME.txt`` beside ``NAME.wav``.

    ``--local`` hands it to the emulator so the sample prints its real words; the
    emulator itself never listens to the audio.
    """
    path = Path(audio)
    if not path.is_file():
        return None
    text_file = path.with_suffix(".txt")
    if text_file == path or not text_file.is_file():
        return None
    text = text_file.read_text(encoding="utf-8").strip()
    return text or None


@contextmanager
def _local_emulator(args: argparse.Namespace) -> Iterator[Emulator]:
    try:
        from soniox_emulator import Emulator
    except ImportError as exc:  # the emulator's web stack is an optional extra
        from ._errors import CLIError

        raise CLIError(
            f"--local needs the emulator extra: pip install 'soniox-sansio[emulator]' ({exc})"
        ) from None
    emulator = Emulator(api_key=LOCAL_API_KEY)
    emulator.start()
    try:
        source = getattr(args, "source", None)
        origin = ""
        if isinstance(source, str) and (text := sidecar_transcript(source)) is not None:
            emulator.set_transcript(text, filename=os.path.basename(source))
            origin = f" (from {Path(source).with_suffix('.txt')})"
        note = ""
        if args.command in ("transcribe", "realtime"):
            # Only speech it spoke itself (`soniox speak --local`) is read back.
            note = (
                f" Its text is scripted{origin}, not recognised from the audio "
                "(except audio made by `soniox speak --local`)."
            )
        print(
            f"soniox: --local: talking to a local emulator at {emulator.base_url}.{note}",
            file=sys.stderr,
        )
        yield emulator
    finally:
        emulator.stop()


@contextmanager
def connect(args: argparse.Namespace, redact: RedactFilter) -> Iterator[Connection]:
    """Open the client for a command; closes it (and any emulator) afterwards.

    Flags win over the environment (``SONIOX_API_KEY``, ``SONIOX_API_BASE_URL``,
    ``SONIOX_WEBSOCKET_BASE_URL``), which the SDK reads itself.
    """
    from soniox_sync import SonioxClient

    if args.local:
        with _local_emulator(args) as emulator:
            redact.add(emulator.api_key)
            with SonioxClient(
                api_key=emulator.api_key,
                api_base_url=emulator.base_url,
                websocket_base_url=emulator.websocket_url,
                tts_api_base_url=emulator.tts_api_base_url,
                tts_websocket_base_url=emulator.tts_websocket_base_url,
            ) as client:
                yield Connection(client, emulator)
        return
    with SonioxClient(
        api_key=args.api_key,
        api_base_url=args.base_url,
        websocket_base_url=args.websocket_url,
        tts_api_base_url=getattr(args, "tts_url", None),
        tts_websocket_base_url=getattr(args, "tts_websocket_url", None),
    ) as client:
        yield Connection(client)
