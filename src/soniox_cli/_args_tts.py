"""Arguments of ``speak``, ``voices``, ``usage`` and ``limits`` (registered by ``_args``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from ._times import DEFAULT_SINCE

__all__ = ["register", "speed"]

Command = Callable[[str, str], argparse.ArgumentParser]
Action = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]", str, str], argparse.ArgumentParser]

DEFAULT_TTS_MODEL = "tts-rt-v2"
DEFAULT_TTS_VOICE = "Adrian"
DEFAULT_TTS_LANGUAGE = "en"
AUDIO_FORMATS = ("wav", "mp3", "flac", "opus", "aac", "pcm_s16le", "pcm_f32le", "pcm_mulaw", "pcm_alaw")
SAMPLE_RATES = (8000, 16000, 24000, 44100, 48000)
BITRATES = (32000, 64000, 96000, 128000, 192000, 256000, 320000)
SPEED_MIN, SPEED_MAX = 0.7, 1.3


def speed(value: str) -> float:
    """``--speed``: a number in the range the service accepts (checked before connecting)."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not SPEED_MIN <= number <= SPEED_MAX:
        raise argparse.ArgumentTypeError(f"{value} is outside {SPEED_MIN}-{SPEED_MAX}")
    return number


def _speak(speak: argparse.ArgumentParser) -> None:
    speak.add_argument(
        "text",
        metavar="TEXT|-",
        help="what to say; - reads it from stdin (with --realtime, line by line as it comes)",
    )
    speak.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write the audio here (complete files only: written beside it, then renamed); "
        "default: stdout, which must not be a terminal",
    )
    speak.add_argument(
        "--voice",
        default=DEFAULT_TTS_VOICE,
        help=f"voice name or cloned voice id (default: {DEFAULT_TTS_VOICE})",
    )
    speak.add_argument("--model", default=DEFAULT_TTS_MODEL, help=f"TTS model (default: {DEFAULT_TTS_MODEL})")
    speak.add_argument(
        "--language",
        default=DEFAULT_TTS_LANGUAGE,
        metavar="CODE",
        help=f"language of the text (default: {DEFAULT_TTS_LANGUAGE})",
    )
    speak.add_argument(
        "-f",
        "--format",
        choices=AUDIO_FORMATS,
        help="audio format (default: from the --output extension, e.g. .mp3, .flac, .opus; else wav)",
    )
    speak.add_argument(
        "--sample-rate",
        type=int,
        choices=SAMPLE_RATES,
        metavar="HZ",
        help="sample rate: " + ", ".join(map(str, SAMPLE_RATES)),
    )
    speak.add_argument(
        "--bitrate",
        type=int,
        choices=BITRATES,
        metavar="BPS",
        help="bitrate of compressed formats, e.g. 128000",
    )
    speak.add_argument(
        "--speed", type=speed, metavar="X", help=f"speaking rate, {SPEED_MIN} to {SPEED_MAX} (1.0 is normal)"
    )
    speak.add_argument(
        "--realtime",
        action="store_true",
        help="speak over the realtime TTS socket: with -, each stdin line is sent as it is read "
        "(pipe an LLM's output in) and the audio is written as it arrives",
    )
    speak.add_argument(
        "--force", action="store_true", help="write audio to stdout even when it is a terminal"
    )


def _window(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--since",
        metavar="WHEN",
        help="start of the window: ISO time (2026-01-31T08:00:00Z; no zone means UTC) "
        f"or an age such as 30m, 24h, 7d (default: {DEFAULT_SINCE})",
    )
    parser.add_argument("--until", metavar="WHEN", help="end of the window, in the same forms (default: now)")


def _format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-f", "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )


def register(command: Command, action: Action) -> None:
    """Add the text-to-speech and account commands to the ``soniox`` parser."""
    _speak(command("speak", "turn text into speech (a file, or audio on stdout)"))

    voices = command("voices", "list, clone or delete your cloned voices")
    voice_commands = voices.add_subparsers(dest="action", metavar="ACTION", required=True)
    voices_list = action(voice_commands, "list", "list cloned voices and their readiness per model")
    voices_list.add_argument("--json", action="store_true", help="print JSON")
    voices_create = action(voice_commands, "create", "clone a voice from a short reference clip")
    voices_create.add_argument("clip", metavar="FILE", help="reference recording (about 20 seconds at most)")
    voices_create.add_argument("--name", required=True, help="the voice's name, unique in the project")
    voices_create.add_argument(
        "--json", action="store_true", help="print the new voice as JSON, not just its id"
    )
    voices_delete = action(voice_commands, "delete", "delete cloned voices")
    voices_delete.add_argument("ids", nargs="+", metavar="ID", help="voice id (as listed by `voices list`)")

    usage = command("usage", "cost and activity over a time window (default: the last 24 h)")
    _window(usage)
    usage.add_argument("--logs", action="store_true", help="also list every request of the window")
    _format(usage)

    limits = command("limits", "concurrent streams now, and the caps, of the project and organization")
    limits.add_argument(
        "--history", action="store_true", help="concurrent streams per period over a window instead"
    )
    limits.add_argument(
        "--period",
        type=int,
        choices=(60, 3600, 86400),
        metavar="SEC",
        help="with --history: 60, 3600 (default) or 86400 seconds per entry",
    )
    limits.add_argument("--kind", choices=("stt", "tts"), help="with --history: stt (default) or tts streams")
    _window(limits)
    _format(limits)
