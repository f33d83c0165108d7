"""``soniox emulator``: run the local emulator until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
import time

from ._connect import LOCAL_API_KEY
from ._errors import EXIT_OK, CLIError
from ._output import Output


def run(args: argparse.Namespace, output: Output) -> int:
    """Start the emulator, print how to point the SDK at it, and serve."""
    try:
        from soniox_emulator import Emulator
    except ImportError as exc:
        raise CLIError(
            f"the emulator needs its extra: pip install 'soniox-sansio[emulator]' ({exc})"
        ) from None
    emulator = Emulator(api_key=args.emulator_key or LOCAL_API_KEY)
    emulator.start()
    try:
        output.write(
            f"SONIOX_API_BASE_URL={emulator.base_url}\n"
            f"SONIOX_WEBSOCKET_BASE_URL={emulator.websocket_url}\n"
            f"SONIOX_API_KEY={emulator.api_key}\n"
        )
        print(
            "soniox: emulator running; export the lines above (or pass them to the client). "
            "Press Ctrl-C to stop.",
            file=sys.stderr,
        )
        while True:  # Ctrl-C is the normal way to stop, so it exits 0
            time.sleep(3600)
    except KeyboardInterrupt:
        print("soniox: emulator stopped", file=sys.stderr)
    finally:
        emulator.stop()
    return EXIT_OK
