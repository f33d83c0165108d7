"""The command line: global options and one sub-parser per command."""

from __future__ import annotations

import argparse

from soniox_core._version import __version__
from soniox_emulator._command import add_arguments as add_emulator_arguments

from ._render import FORMATS


def _global_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    # Accepted before and after the command name ("soniox --local transcribe x"
    # and "soniox transcribe x --local"). The sub-parsers use SUPPRESS as default
    # so they do not overwrite a value given before the command.
    default = None if defaults else argparse.SUPPRESS
    flag_default = False if defaults else argparse.SUPPRESS
    group = parser.add_argument_group("connection")
    group.add_argument("--api-key", default=default, metavar="KEY", help="API key (default: $SONIOX_API_KEY)")
    group.add_argument(
        "--base-url",
        default=default,
        metavar="URL",
        help="REST API base URL (default: $SONIOX_API_BASE_URL or https://api.soniox.com/v1)",
    )
    group.add_argument(
        "--websocket-url",
        default=default,
        metavar="URL",
        help="realtime WebSocket URL (default: $SONIOX_WEBSOCKET_BASE_URL or Soniox's)",
    )
    group.add_argument(
        "--tts-url",
        default=default,
        metavar="URL",
        help="text-to-speech REST base URL (default: $SONIOX_TTS_API_BASE_URL or Soniox's)",
    )
    group.add_argument(
        "--tts-websocket-url",
        default=default,
        metavar="URL",
        help="realtime text-to-speech WebSocket URL (default: $SONIOX_TTS_WEBSOCKET_BASE_URL or Soniox's)",
    )
    group.add_argument(
        "--local",
        action="store_true",
        default=flag_default,
        help="run against a local emulator started for this command: no key, no network; "
        "the text is scripted, not recognised",
    )
    group.add_argument(
        "-v", "--verbose", action="store_true", default=flag_default, help="log at DEBUG level"
    )


def _recognition_options(parser: argparse.ArgumentParser, default_model: str) -> None:
    parser.add_argument("--model", default=default_model, help=f"model (default: {default_model})")
    parser.add_argument(
        "--language",
        action="append",
        default=[],
        metavar="CODE",
        help="expected language, e.g. en; repeat for several",
    )
    parser.add_argument("--diarize", action="store_true", help="label speakers")
    parser.add_argument("--language-id", action="store_true", help="tag each token with its language")
    parser.add_argument("--translate-to", metavar="CODE", help="also translate into this language")


def build_parser() -> argparse.ArgumentParser:
    """The ``soniox`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="soniox",
        description="Soniox speech-to-text and text-to-speech from the command line.",
        epilog="Try it without a key: soniox transcribe samples/hello.wav --local",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _global_options(parser, defaults=True)
    # Not ``required``: bare ``soniox`` prints this help instead of an error.
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str, *, connects: bool = True) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        if connects:
            _global_options(sub, defaults=False)
        return sub

    transcribe = command("transcribe", "transcribe an audio file or URL")
    transcribe.add_argument("source", metavar="FILE|URL", help="audio file, or http(s) URL")
    transcribe.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default; speaker paragraphs with --diarize), json (the API's transcript), "
        "srt or vtt (subtitles; of the translation when --translate-to is given)",
    )
    transcribe.add_argument("-o", "--output", metavar="PATH", help="write here, not to stdout")
    _recognition_options(transcribe, "stt-async-v5")
    transcribe.add_argument(
        "--keep",
        action="store_true",
        help="keep the upload and the transcription (deleted by default, also on failure)",
    )
    transcribe.add_argument("--timeout", type=float, metavar="SEC", help="give up waiting after SEC seconds")

    realtime = command("realtime", "stream an audio file and show the text live")
    realtime.add_argument("source", metavar="FILE", help="audio file to stream")
    realtime.add_argument("-o", "--output", metavar="PATH", help="also write the final text here")
    _recognition_options(realtime, "stt-rt-v5")
    realtime.add_argument(
        "--fast", action="store_true", help="send as fast as possible, not at real-time pace"
    )

    def action(
        group: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help_text: str
    ) -> argparse.ArgumentParser:
        sub = group.add_parser(name, help=help_text, description=help_text)
        _global_options(sub, defaults=False)
        return sub

    from ._args_tts import register

    register(command, action)  # speak, voices, usage, limits

    files = command("files", "list or delete uploaded files")
    files_commands = files.add_subparsers(dest="action", metavar="ACTION", required=True)
    files_list = action(files_commands, "list", "list uploaded files")
    files_list.add_argument("--json", action="store_true", help="print JSON")
    files_delete = action(files_commands, "delete", "delete files")
    files_delete.add_argument("ids", nargs="+", metavar="ID", help="file id (as listed by `files list`)")

    jobs = command("transcriptions", "list, show or delete transcriptions")
    jobs_commands = jobs.add_subparsers(dest="action", metavar="ACTION", required=True)
    jobs_list = action(jobs_commands, "list", "list transcriptions")
    jobs_list.add_argument("--json", action="store_true", help="print JSON")
    jobs_get = action(jobs_commands, "get", "show a transcription or its transcript")
    jobs_get.add_argument("id", metavar="ID", help="transcription id")
    jobs_get.add_argument("-f", "--format", choices=FORMATS, help="print the transcript in this format")
    jobs_get.add_argument("-o", "--output", metavar="PATH", help="write here, not to stdout")
    jobs_delete = action(jobs_commands, "delete", "delete transcriptions")
    jobs_delete.add_argument(
        "ids", nargs="+", metavar="ID", help="transcription id (as listed by `transcriptions list`)"
    )
    jobs_delete.add_argument("--with-file", action="store_true", help="also delete each one's uploaded file")

    models = command("models", "list the available models")
    models.add_argument("--json", action="store_true", help="print JSON")

    temp_key = command("temp-key", "create a temporary API key (printed on stdout)")
    temp_key.add_argument(
        "--usage-type",
        default="transcribe_websocket",
        choices=("transcribe_websocket", "tts_rt"),
        help="what the key may be used for (default: transcribe_websocket)",
    )
    temp_key.add_argument(
        "--expires-in", type=int, default=300, metavar="SEC", help="lifetime in seconds (default: 300)"
    )
    temp_key.add_argument("--client-reference-id", metavar="TEXT", help="your own label, kept with the key")
    temp_key.add_argument("--json", action="store_true", help="print JSON with the expiry")

    from . import _batch, _cleanup

    _batch.add_parser(command, lambda sub: _recognition_options(sub, "stt-async-v5"), FORMATS)
    _cleanup.add_parser(command)

    # The same options and output as `python -m soniox_emulator`. It serves rather
    # than connects, so the connection options do not apply to it.
    emulator = command(
        "emulator",
        "run the local emulator and print its settings (also python -m soniox_emulator)",
        connects=False,
    )
    add_emulator_arguments(emulator)
    # A key given before the command (`soniox --api-key K emulator`) must not be
    # overwritten by this parser's default; `run` applies the default instead.
    # (On the option itself: a parser-level SUPPRESS default would be taken literally.)
    for option in emulator._actions:
        if option.dest == "api_key":
            option.default = argparse.SUPPRESS
    return parser
