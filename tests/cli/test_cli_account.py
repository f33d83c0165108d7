"""``soniox voices``, ``usage`` and ``limits`` on the emulator."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from cli_helpers import SAMPLE, Run, RunMany

from soniox_cli._args import build_parser
from soniox_core.models_tts import CreateTtsConfig
from soniox_emulator import Emulator
from soniox_sync import SonioxClient


def test_voices_create_list_delete(
    soniox: Run, soniox_parallel: RunMany, against: Sequence[str], client: SonioxClient
) -> None:
    created = soniox("voices", "create", str(SAMPLE), "--name", "Narrator", *against)
    assert created.returncode == 0, created.stderr
    voice_id = created.stdout.strip()
    assert client.voices.get(voice_id).name == "Narrator"
    assert "created voice 'Narrator'" in created.stderr and "tts-rt-v2" in created.stderr
    table, as_json = soniox_parallel(["voices", "list", *against], ["voices", "list", "--json", *against])
    assert table.returncode == 0, table.stderr
    header, row = table.stdout.splitlines()
    assert header.split() == ["ID", "NAME", "CREATED", "MODELS"]
    assert row.startswith(voice_id) and "Narrator" in row and "tts-rt-v2: " in row
    (listed,) = json.loads(as_json.stdout)
    assert listed["id"] == voice_id and listed["models"][0]["model"] == "tts-rt-v2"
    deleted = soniox("voices", "delete", voice_id, *against)
    assert deleted.returncode == 0, deleted.stderr
    assert list(client.voices.list_all()) == []
    again = soniox("voices", "delete", voice_id, *against)
    assert again.returncode == 1 and "SonioxNotFoundError" in again.stderr


def test_voices_input_errors(soniox_parallel: RunMany, tmp_path: Path) -> None:
    missing, blank, no_name = soniox_parallel(
        ["voices", "create", str(tmp_path / "none.wav"), "--name", "x", "--local"],
        ["voices", "create", str(SAMPLE), "--name", " ", "--local"],
        ["voices", "create", str(SAMPLE), "--local"],
    )
    assert (missing.returncode, blank.returncode, no_name.returncode) == (2, 2, 2)
    assert "no such file" in missing.stderr and "--name" in blank.stderr and "--name" in no_name.stderr
    assert "local emulator" not in missing.stderr + blank.stderr


def _speak_once(emulator: Emulator) -> None:
    with SonioxClient(
        api_key=emulator.api_key, api_base_url=emulator.base_url, tts_api_base_url=emulator.tts_api_base_url
    ) as sdk:
        sdk.tts.generate(
            text="counted", voice="Adrian", language="en", config=CreateTtsConfig(audio_format="wav")
        )


def test_usage_summary_logs_and_json(
    soniox_parallel: RunMany, against: Sequence[str], emulator: Emulator
) -> None:
    _speak_once(emulator)
    text, as_json, empty = soniox_parallel(
        ["usage", "--logs", *against],
        ["usage", "--logs", "--format", "json", "--since", "2h", *against],
        ["usage", "--since", "3d", "--until", "2d", "--format", "json", *against],
    )
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].startswith("Usage from ") and lines[1].split()[:2] == ["MODEL", "REQUESTS"]
    assert lines[2].split()[:2] == ["tts-rt-v2", "1"] and lines[3].split()[:2] == ["total", "1"]
    assert any(line.split()[2:3] == ["tts-rt-v2"] for line in lines[4:])  # the log entry
    document = json.loads(as_json.stdout)
    assert document["summary"]["total"]["total_num_requests"] == 1
    (log,) = document["logs"]
    assert log["model"] == "tts-rt-v2" and log["start_time"] >= document["start_time"]
    assert json.loads(empty.stdout)["summary"]["total"]["total_num_requests"] == 0


def test_usage_window_errors(soniox_parallel: RunMany) -> None:
    bogus, backwards = soniox_parallel(
        ["usage", "--since", "yesterday", "--local"],
        ["usage", "--since", "1h", "--until", "2h", "--local"],
    )
    assert (bogus.returncode, backwards.returncode) == (2, 2)
    assert "--since: 'yesterday' is not an ISO time" in bogus.stderr
    assert "must be before --until" in backwards.stderr
    assert "local emulator" not in bogus.stderr + backwards.stderr


def test_limits_now_and_history(soniox_parallel: RunMany, against: Sequence[str], emulator: Emulator) -> None:
    emulator.usage.limits["project"]["tts_concurrent"] = 3
    table, as_json, history, history_json = soniox_parallel(
        ["limits", *against],
        ["limits", "--format", "json", *against],
        ["limits", "--history", "--kind", "tts", "--period", "60", "--since", "5m", *against],
        ["limits", "--history", "--period", "86400", "--since", "3d", "--format", "json", *against],
    )
    assert table.returncode == 0, table.stderr
    rows = [line.split() for line in table.stdout.splitlines()]
    assert rows == [
        ["SCOPE", "STT", "NOW", "STT", "CAP", "TTS", "NOW", "TTS", "CAP"],
        ["project", "0", "none", "0", "3"],
        ["organization", "0", "none", "0", "none"],
    ]
    found = json.loads(as_json.stdout)
    assert found["project"]["limits"] == {"transcribe_concurrent": None, "tts_concurrent": 3}
    assert history.returncode == 0, history.stderr
    periods = history.stdout.splitlines()
    assert periods[0].startswith("Concurrent tts streams from ")
    assert periods[1].split() == ["PERIOD", "START", "MIN", "MAX", "AVERAGE"]
    assert 5 <= len(periods[2:]) <= 6  # a minute each over five minutes (partial minutes count)
    days = json.loads(history_json.stdout)
    assert days["kind"] == "stt" and all(e["period_sec"] == 86400 for e in days["entries"])
    assert 3 <= len(days["entries"]) <= 4


def _actions(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _actions(child, (*path, name))
        else:
            yield path, action


def test_help_on_every_option_of_the_new_commands() -> None:
    checked = 0
    for path, action in _actions(build_parser(), ()):
        if path[:1] in {("speak",), ("voices",), ("usage",), ("limits",)}:
            assert action.help and action.help != argparse.SUPPRESS, (path, action.dest)
            checked += 1
    assert checked > 40


def test_history_options_need_history(soniox: Run) -> None:
    result = soniox("limits", "--since", "2h", "--kind", "tts", "--local")
    assert result.returncode == 2
    assert "--since, --kind: only with --history" in result.stderr and "local emulator" not in result.stderr
