"""``soniox realtime``: live text on a terminal, final text down a pipe."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cli_helpers import SAMPLE, SAMPLE_TEXT, Run, run_in_terminal

from soniox_emulator import Emulator


def test_realtime_local_prints_final_text(soniox: Run, tmp_path: Path) -> None:
    out = tmp_path / "live.txt"
    result = soniox("realtime", str(SAMPLE), "--local", "--fast", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == SAMPLE_TEXT + "\n"
    assert "\x1b" not in result.stdout and "\r" not in result.stdout
    assert out.read_text(encoding="utf-8") == SAMPLE_TEXT + "\n"
    assert "local emulator" in result.stderr


def test_realtime_terminal_shows_partial_text_dimmed(emulator: Emulator, against: Sequence[str]) -> None:
    emulator.realtime.queue_transcript("One two three four five six.")
    code, screen = run_in_terminal(["realtime", str(SAMPLE), "--fast", *against])
    assert code == 0, screen
    assert "\x1b[2m" in screen  # provisional words are drawn dimmed...
    assert screen.rstrip().endswith("One two three four five six.")  # ...then final


def test_realtime_server_error_is_one_line(soniox: Run, emulator: Emulator, against: Sequence[str]) -> None:
    emulator.realtime.send_error(400, "Invalid audio format.")
    result = soniox("realtime", str(SAMPLE), "--fast", *against)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("soniox: error: SonioxRealtimeError [code 400]: ")
    assert "Invalid audio format" in line


def test_realtime_bad_key(soniox: Run, emulator: Emulator) -> None:
    result = soniox(
        "realtime",
        str(SAMPLE),
        "--fast",
        "--api-key",
        "wrong-key",
        "--websocket-url",
        emulator.websocket_url,
    )
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("soniox: error: ")
