"""Pieces of ``speak``, ``usage`` and ``limits`` that need no process: times, WAV sizes, stdin lines."""

from __future__ import annotations

import io
import struct
import wave
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soniox_cli._audio import format_for_path, seal_wav
from soniox_cli._errors import CLIError
from soniox_cli._speak import _settle_format
from soniox_cli._speak_realtime import stdin_lines
from soniox_cli._times import api_time, parse_when, window

NOW = datetime(2026, 3, 1, 12, 0, 0, 250000, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("24h", "2026-02-28T12:00:00Z"),
        ("7d", "2026-02-22T12:00:00Z"),
        ("90m", "2026-03-01T10:30:00Z"),
        ("2w", "2026-02-15T12:00:00Z"),
        ("2026-01-31", "2026-01-31T00:00:00Z"),
        ("2026-01-31T08:00:00Z", "2026-01-31T08:00:00Z"),
        ("2026-01-31T08:00:00", "2026-01-31T08:00:00Z"),  # no zone: UTC
        ("2026-01-31T10:00:00+02:00", "2026-01-31T08:00:00Z"),
    ],
)
def test_when_forms(value: str, expected: str) -> None:
    assert api_time(parse_when(value, NOW, option="--since")) == expected


@given(st.integers(min_value=0, max_value=10**5), st.sampled_from("smhdw"))
def test_ages_count_back_from_now(amount: int, unit: str) -> None:
    seconds = amount * {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[unit]
    assert parse_when(f"{amount}{unit}", NOW, option="--since") == NOW - timedelta(seconds=seconds)


@pytest.mark.parametrize("value", ["yesterday", "", "24", "h24", "2026-13-01", "999999w"])
def test_unreadable_times_are_usage_errors(value: str) -> None:
    with pytest.raises(CLIError) as caught:
        parse_when(value, NOW, option="--until")
    assert caught.value.exit_code == 2 and caught.value.message.startswith("--until: ")


def test_window_defaults_to_now_rounded_up_and_refuses_empty_windows() -> None:
    assert window("1h", None, NOW) == ("2026-03-01T11:00:00Z", "2026-03-01T12:00:01Z")
    with pytest.raises(CLIError, match="must be before"):
        window("1h", "2h", NOW)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (None, ("wav", False)),
        ("a.WAV", ("wav", True)),
        ("a.mp3", ("mp3", True)),
        ("dir.d/a.ogg", ("opus", True)),
        ("a.pcm", ("pcm_s16le", True)),
        ("a.ulaw", ("pcm_mulaw", True)),
        ("a.txt", ("wav", False)),
        ("noext", ("wav", False)),
    ],
)
def test_format_from_extension(path: str | None, expected: tuple[str, bool]) -> None:
    assert format_for_path(path) == expected


def _streamed_wav(data: bytes, extra_chunk: bytes = b"") -> bytes:
    """A WAV as a stream starts it: placeholder sizes (unknown length)."""
    fmt = struct.pack("<HHIIHH", 1, 1, 16000, 32000, 2, 16)
    return (
        b"RIFF" + struct.pack("<I", 0xFFFFFFFF) + b"WAVE"
        + b"fmt " + struct.pack("<I", len(fmt)) + fmt
        + extra_chunk
        + b"data" + struct.pack("<I", 0xFFFFFFFF) + data
    )  # fmt: skip


@given(st.binary(max_size=4000).map(lambda b: b[: len(b) // 2 * 2]), st.booleans())
def test_seal_wav_makes_streamed_wav_readable(data: bytes, with_list_chunk: bool) -> None:
    extra = b"LIST" + struct.pack("<I", 3) + b"abc\x00" if with_list_chunk else b""
    handle = io.BytesIO(_streamed_wav(data, extra))
    assert seal_wav(handle) is True
    assert seal_wav(handle) is False  # already right
    handle.seek(0)
    with wave.open(handle, "rb") as audio:
        assert audio.getnframes() == len(data) // 2
        assert audio.readframes(audio.getnframes()) == data


def test_seal_wav_leaves_other_files_alone() -> None:
    handle = io.BytesIO(b"ID3 not a wav file at all")
    assert seal_wav(handle) is False
    assert handle.getvalue() == b"ID3 not a wav file at all"


def test_stdin_lines_joins_lines_with_one_space_and_skips_blank_ones() -> None:
    source = io.StringIO("Hello there.\n\n  How are you?  \r\nFine\n")
    assert list(stdin_lines(source)) == ["Hello there.", " How are you?", " Fine"]
    assert list(stdin_lines(io.StringIO(""))) == []


def test_format_choice_and_its_notes(capsys: pytest.CaptureFixture[str]) -> None:
    assert _settle_format(None, "a.flac") == "flac"
    assert _settle_format("mp3", None) == "mp3"
    assert capsys.readouterr().err == ""
    assert _settle_format("mp3", "a.wav") == "mp3"
    assert "writing mp3 audio to a.wav" in capsys.readouterr().err
    assert _settle_format(None, "a.xyz") == "wav"
    assert "choose with --format" in capsys.readouterr().err
