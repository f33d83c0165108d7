"""``python -m soniox_emulator``: the same command as ``soniox emulator``."""

from __future__ import annotations

import argparse
import sys

from ._command import add_arguments, serve


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m soniox_emulator``."""
    parser = argparse.ArgumentParser(
        prog="python -m soniox_emulator",
        description="Run a local Soniox service emulator (the same as `soniox emulator`).",
    )
    add_arguments(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv``, then start the emulator, print its settings and serve until Ctrl-C."""
    return serve(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
