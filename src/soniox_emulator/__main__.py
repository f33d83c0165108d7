"""``python -m soniox_emulator``: run the emulator until interrupted."""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading

from ._emulator import Emulator


def main(argv: list[str] | None = None) -> int:
    """Start the emulator, print its URLs, and serve until Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog="python -m soniox_emulator", description="Run a local Soniox service emulator."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--api-key", default="test-key")
    parser.add_argument("--queued-sec", type=float, default=0.05)
    parser.add_argument("--processing-sec", type=float, default=0.1)
    args = parser.parse_args(argv)
    emulator = Emulator(
        api_key=args.api_key,
        queued_sec=args.queued_sec,
        processing_sec=args.processing_sec,
        host=args.host,
        port=args.port,
    )
    with emulator:
        print(f"base_url: {emulator.base_url}", flush=True)
        print(f"websocket_url: {emulator.websocket_url}", flush=True)
        print(f"tts_api_base_url: {emulator.tts_api_base_url}", flush=True)
        print(f"tts_websocket_base_url: {emulator.tts_websocket_base_url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
