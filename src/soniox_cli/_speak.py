"""``soniox speak TEXT|-``: text in, audio out, written as it arrives."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from typing import BinaryIO

from soniox_core import SonioxRealtimeError, SonioxTransportError, SonioxValidationError
from soniox_core.models_tts import CreateTtsConfig

from ._audio import format_for_path, seal_wav
from ._connect import Connection
from ._errors import EXIT_OK, EXIT_USAGE, CLIError, describe
from ._output import Output

__all__ = ["check", "run"]

# The most text one POST /tts takes; the realtime socket splits longer text itself.
MAX_REST_TEXT = 5000


def _output_path(args: argparse.Namespace) -> str | None:
    return None if args.output in (None, "-") else str(args.output)


def check(args: argparse.Namespace) -> None:
    """Settle the format and the text, and refuse what cannot work, before connecting.

    Sets ``args.audio_format`` and, unless stdin is read line by line
    (``--realtime``), ``args.text`` to the text itself.

    Raises:
        CLIError: The text is empty or too long for one request, stdout is a
            terminal (without ``--force``), or the output's folder does not exist.
    """
    path = _output_path(args)
    args.audio_format = _settle_format(args.format, path)
    if path is None and _isatty(sys.stdout) and not args.force:
        raise CLIError(
            "refusing to write audio to a terminal: pass -o FILE, pipe it (| aplay), or add --force",
            exit_code=EXIT_USAGE,
        )
    if path is not None:
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise CLIError(f"--output: no such folder: {folder}", exit_code=EXIT_USAGE)
        if os.path.isdir(path):
            raise CLIError(f"--output: {path} is a folder", exit_code=EXIT_USAGE)
    _settle_text(args)


def _settle_format(chosen: str | None, path: str | None) -> str:
    """``--format``, else the extension's format; a note on stderr when they disagree."""
    implied, known = format_for_path(path)
    if chosen is None:
        if path is not None and not known and os.path.splitext(path)[1]:
            note = f"soniox: writing {implied} audio to {path} (choose with --format)"
            print(note, file=sys.stderr)
        return implied
    if known and implied != chosen:
        print(f"soniox: note: writing {chosen} audio to {path}", file=sys.stderr)
    return chosen


def _settle_text(args: argparse.Namespace) -> None:
    """The text to say into ``args.text``; stdin is left for ``--realtime`` to read line by line."""
    if args.text == "-" and _isatty(sys.stdin):
        how = "each line is spoken as you end it; " if args.realtime else ""
        print(f"soniox: reading the text from stdin ({how}Ctrl-D ends it)", file=sys.stderr)
    if args.text == "-" and args.realtime:
        return  # read line by line while speaking
    if args.text == "-":
        args.text = sys.stdin.read()
    args.text = args.text.strip()
    if not args.text:
        raise CLIError("nothing to say: the text is empty", exit_code=EXIT_USAGE)
    if len(args.text) > MAX_REST_TEXT and not args.realtime:
        raise CLIError(
            f"the text has {len(args.text)} characters; one request takes at most {MAX_REST_TEXT} "
            "(--realtime streams longer text)",
            exit_code=EXIT_USAGE,
        )


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


def run(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    """Speak the text into ``--output`` or onto stdout.

    Returns:
        The exit code (0).

    Raises:
        CLIError: The settings were refused before anything was sent, or the
            network failed (naming the TTS host it tried).
    """
    realtime = bool(args.realtime)
    url = conn.client.tts_websocket_base_url if realtime else conn.client.tts_api_base_url
    with _explained(url, local=conn.emulator is not None):
        if realtime:
            from ._speak_realtime import speak_realtime

            written = speak_realtime(args, conn, _sink(args, output))
        else:
            written = _speak_rest(args, conn, output)
    path = _output_path(args)
    if path is not None:
        print(f"soniox: wrote {path} ({written} bytes of {args.audio_format})", file=sys.stderr)
    return EXIT_OK


def _config(args: argparse.Namespace) -> CreateTtsConfig:
    return CreateTtsConfig(
        audio_format=args.audio_format,
        sample_rate=args.sample_rate,
        bitrate=args.bitrate,
        speed=args.speed,
    )


def _speak_rest(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    tts = conn.client.tts
    path = _output_path(args)
    common = {"text": args.text, "voice": args.voice, "model": args.model, "language": args.language}
    if path is not None:
        written = tts.generate_to_file(path, config=_config(args), **common)
        if args.audio_format == "wav":
            with open(path, "r+b") as handle:
                seal_wav(handle)
        return written
    sink = _stdout(output)
    written = 0
    chunks = tts.generate_stream(config=_config(args), **common)
    try:
        for chunk in chunks:
            sink.write(chunk)
            sink.flush()  # a player reading the pipe starts at once
            written += len(chunk)
    finally:
        # Closes the connection at once when the reader went away (| head).
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    return written


def _stdout(output: Output) -> BinaryIO:
    binary = getattr(output.stdout, "buffer", None)
    if binary is None:
        raise CLIError("stdout takes no bytes here; pass -o FILE")
    return binary  # type: ignore[no-any-return]


@contextlib.contextmanager
def _sink(args: argparse.Namespace, output: Output) -> Iterator[BinaryIO]:
    """Where realtime audio goes: stdout, or a file that appears only when complete."""
    path = _output_path(args)
    if path is None:
        yield _stdout(output)
        return
    temporary = f"{path}.part"
    try:
        with open(temporary, "w+b") as handle:
            yield handle
            if args.audio_format == "wav":
                seal_wav(handle)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


@contextlib.contextmanager
def _explained(url: str, *, local: bool) -> Iterator[None]:
    """Turn SDK errors into the command's terms: bad settings are usage errors, and a
    network failure names the TTS host (not the REST API's, which ``soniox`` would name)."""
    try:
        yield
    except SonioxValidationError as exc:
        field = (exc.field or "").replace("_", "-")
        message = " ".join(exc.message.split())
        raise CLIError(f"--{field}: {message}" if field else message, exit_code=EXIT_USAGE) from None
    except (SonioxTransportError, SonioxRealtimeError) as exc:
        if local or (isinstance(exc, SonioxRealtimeError) and exc.code is not None):
            raise
        line = describe(exc, target=_host(url))
        raise CLIError(line.removeprefix("soniox: error: ")) from None


def _host(url: str) -> str | None:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host:
        return None
    return f"{host}:{port}" if port else host
