"""Entry point of the ``soniox`` console script (also ``python -m soniox_cli``)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from ._args import build_parser
from ._connect import Connection, connect
from ._errors import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, CLIError, describe, target_of
from ._logging import setup_logging
from ._output import Output
from ._preflight import check_before_connecting, explain_missing_key
from ._tts_commands import prepare

Handler = Callable[[argparse.Namespace, Connection, Output], int]


def _handler(args: argparse.Namespace) -> Handler:
    from . import _realtime, _resources, _transcribe

    if args.command == "transcribe":
        return _transcribe.run
    if args.command == "realtime":
        return _realtime.run
    if args.command == "models":
        return _resources.models
    if args.command == "temp-key":
        return _resources.temp_key
    table: dict[tuple[str, str], Handler] = {
        ("files", "list"): _resources.files_list,
        ("files", "delete"): _resources.files_delete,
        ("transcriptions", "list"): _resources.transcriptions_list,
        ("transcriptions", "get"): _resources.transcriptions_get,
        ("transcriptions", "delete"): _resources.transcriptions_delete,
    }
    return table[(args.command, args.action)]


def run(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, run the command and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    redact = setup_logging(args.verbose, [args.api_key or "", os.environ.get("SONIOX_API_KEY", "")])
    output = Output(path=getattr(args, "output", None))
    try:
        if args.command == "emulator":
            from . import _emulator_cmd

            if args.local or args.base_url or args.websocket_url or args.tts_url or args.tts_websocket_url:
                raise CLIError(
                    "`soniox emulator` serves; --local and the URL options do not apply",
                    exit_code=EXIT_USAGE,
                )
            return _emulator_cmd.run(args, output)
        if args.local and (args.base_url or args.websocket_url or args.tts_url or args.tts_websocket_url):
            raise CLIError("--local cannot be combined with the URL options", exit_code=EXIT_USAGE)
        # Bad input fails here, before an emulator starts or anything is sent.
        check_before_connecting(args)
        handler = prepare(args) or _handler(args)
        with explain_missing_key(), connect(args, redact) as conn:
            return handler(args, conn, output)
    except KeyboardInterrupt:
        # Cleanup already ran in the commands' finally blocks.
        print("soniox: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except CLIError as exc:
        print(describe(exc), file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); that is not an error of ours.
        _silence_stdout()
        return EXIT_ERROR
    except Exception as exc:  # every failure ends as one line, never a traceback
        if args.verbose:
            import logging

            logging.getLogger("soniox_cli").debug("failure", exc_info=True)
        print(describe(exc, target=target_of(args)), file=sys.stderr)
        return EXIT_ERROR


def _silence_stdout() -> None:
    # Python would report the broken pipe again when flushing stdout at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main() -> None:
    """Console-script entry point: run and exit with the command's status."""
    sys.exit(run())


if __name__ == "__main__":
    main()
