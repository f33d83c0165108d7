"""The emulator as a command: ``soniox emulator`` and ``python -m soniox_emulator``.

Both spellings share these options and this output, so a script written for one
works with the other. The web stack (uvicorn, Starlette) is an optional extra;
without it the command prints how to install it instead of a traceback.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import threading
from typing import IO

__all__ = ["DEFAULT_API_KEY", "add_arguments", "missing_extra", "serve"]

DEFAULT_API_KEY = "test-key"
"""The key the emulator accepts unless told otherwise; it guards nothing real."""

INSTALL_HINT = "pip install 'soniox-sansio[emulator]'"
_EXTRA_MODULES = ("uvicorn", "starlette", "multipart")


def missing_extra() -> str | None:
    """A one-line install hint when the ``[emulator]`` extra is not installed, else None."""
    missing = [name for name in _EXTRA_MODULES if importlib.util.find_spec(name) is None]
    if not missing:
        return None
    return f"the emulator needs its extra ({', '.join(missing)} not installed): {INSTALL_HINT}"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the emulator's options to ``parser`` (both commands call this)."""
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, loopback only)"
    )
    parser.add_argument(
        "--port", type=int, default=0, help="port to listen on (default: 0, a free port chosen for you)"
    )
    parser.add_argument(
        "--api-key",
        default=DEFAULT_API_KEY,
        metavar="KEY",
        help=f"the API key the emulator accepts (default: {DEFAULT_API_KEY})",
    )
    parser.add_argument(
        "--queued-sec",
        type=float,
        default=0.05,
        metavar="SEC",
        help="seconds a new transcription stays queued (default: 0.05)",
    )
    parser.add_argument(
        "--processing-sec",
        type=float,
        default=0.1,
        metavar="SEC",
        help="seconds a transcription then stays processing (default: 0.1)",
    )


def serve(args: argparse.Namespace, *, out: IO[str] | None = None, err: IO[str] | None = None) -> int:
    """Start the emulator, print its settings, and serve until Ctrl-C; return the exit code.

    Standard output gets five ``NAME=value`` lines a shell can ``export`` (the
    variables the SDK reads); the notes go to standard error.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    hint = missing_extra()
    if hint is not None:
        print(f"soniox: error: {hint}", file=err)
        return 1
    from ._emulator import Emulator

    emulator = Emulator(
        api_key=args.api_key,
        queued_sec=args.queued_sec,
        processing_sec=args.processing_sec,
        host=args.host,
        port=args.port,
    )
    emulator.start()
    try:
        out.write(
            f"SONIOX_API_BASE_URL={emulator.base_url}\n"
            f"SONIOX_WEBSOCKET_BASE_URL={emulator.websocket_url}\n"
            f"SONIOX_TTS_API_BASE_URL={emulator.tts_api_base_url}\n"
            f"SONIOX_TTS_WEBSOCKET_BASE_URL={emulator.tts_websocket_base_url}\n"
            f"SONIOX_API_KEY={emulator.api_key}\n"
        )
        out.flush()
        print(
            "soniox: emulator running; export the lines above (or pass them to the client). "
            "Press Ctrl-C to stop.",
            file=err,
            flush=True,
        )
        threading.Event().wait()  # Ctrl-C is the normal way to stop, so it exits 0
    except KeyboardInterrupt:
        print("soniox: emulator stopped", file=err)
    finally:
        emulator.stop()
    return 0
