"""The command's manners: help, version, one emulator command, hints instead of tracebacks."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence

import pytest
from cli_helpers import ROOT, SAMPLE, Run, clean_env, run_in_terminal

from soniox_cli._args import build_parser
from soniox_emulator import Emulator

# Runs a module as a script with the emulator's web stack made unimportable, as on an
# install without the [emulator] extra.
WITHOUT_EXTRA = (
    "import runpy, sys\n"
    "for name in ('uvicorn', 'starlette', 'multipart'):\n"
    "    sys.modules[name] = None\n"
    "sys.argv = [sys.argv[1], *sys.argv[2:]]\n"
    "runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)\n"
)


def _without_extra(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_EXTRA, module, *args],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=ROOT,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )


def _all_parsers(
    parser: argparse.ArgumentParser, path: str = "soniox"
) -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _all_parsers(sub, f"{path} {name}")
    return found


def test_bare_soniox_prints_help(soniox: Run) -> None:
    result = soniox()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: soniox")
    assert "transcribe" in result.stdout and "emulator" in result.stdout
    assert result.stderr == ""


def test_version(soniox: Run) -> None:
    from soniox_core._version import __version__

    result = soniox("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"soniox {__version__}"


def test_every_option_of_every_command_has_help() -> None:
    undocumented = [
        f"{path} {action.option_strings or action.dest}"
        for path, parser in _all_parsers(build_parser())
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction) and not action.help
    ]
    assert undocumented == []
    assert len(_all_parsers(build_parser())) >= 12  # every command and action was walked


def _emulator_options(parser: argparse.ArgumentParser) -> set[str]:
    return {
        option
        for action in parser._actions
        for option in action.option_strings
        if option not in ("-h", "--help")
    }


def test_soniox_emulator_and_python_m_soniox_emulator_have_the_same_options() -> None:
    from soniox_emulator.__main__ import build_parser as module_parser

    soniox_emulator = dict(_all_parsers(build_parser()))["soniox emulator"]
    options = _emulator_options(soniox_emulator)
    assert options == _emulator_options(module_parser())
    assert {"--port", "--host", "--api-key"} <= options
    # Options that would be silently ignored are not offered.
    assert not options & {"--base-url", "--websocket-url", "--local"}


@pytest.mark.parametrize(
    "command",
    [["-m", "soniox_cli", "emulator"], ["-m", "soniox_emulator"]],
    ids=["soniox emulator", "python -m soniox_emulator"],
)
def test_both_emulator_commands_print_the_same_settings(command: Sequence[str]) -> None:
    import signal

    proc = subprocess.Popen(
        [sys.executable, *command, "--api-key", "same-key", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(PYTHONUNBUFFERED="1"),
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        settings = dict(proc.stdout.readline().strip().split("=", 1) for _ in range(5))
        assert settings["SONIOX_API_KEY"] == "same-key"
        assert settings["SONIOX_API_BASE_URL"].startswith("http://127.0.0.1:")
        assert settings["SONIOX_WEBSOCKET_BASE_URL"].startswith("ws://127.0.0.1:")
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "emulator stopped" in stderr


def test_emulator_command_rejects_connection_options(soniox: Run) -> None:
    result = soniox("--local", "emulator")
    assert result.returncode == 2
    assert "do not apply" in result.stderr


@pytest.mark.parametrize(
    ("module", "args"),
    [
        ("soniox_cli", ["transcribe", str(SAMPLE), "--local"]),
        ("soniox_cli", ["emulator"]),
        ("soniox_emulator", []),
    ],
    ids=["--local", "soniox emulator", "python -m soniox_emulator"],
)
def test_without_the_emulator_extra_an_install_hint_not_a_traceback(module: str, args: list[str]) -> None:
    result = _without_extra(module, *args)
    assert result.returncode in (1, 2), result.stderr
    assert "Traceback" not in result.stderr and "ModuleNotFoundError" not in result.stderr
    assert "pip install 'soniox-sansio[emulator]'" in result.stderr
    assert result.stdout == ""


def test_missing_file_fails_before_an_emulator_starts(soniox: Run) -> None:
    result = soniox("transcribe", "no/such/file.wav", "--local")
    assert result.returncode == 2
    assert "no such file" in result.stderr
    assert "local emulator" not in result.stderr  # nothing was started


def test_missing_realtime_file_fails_before_connecting(soniox: Run) -> None:
    # A port nothing listens on: a connection attempt would fail differently.
    result = soniox("--api-key", "k", "--websocket-url", "ws://127.0.0.1:9/x", "realtime", "no/such.wav")
    assert result.returncode == 2
    assert result.stderr.strip() == "soniox: error: no such file: no/such.wav"


def test_refused_connection_is_one_line_naming_the_host(soniox: Run) -> None:
    result = soniox("--api-key", "k", "--base-url", "http://127.0.0.1:9/v1", "transcribe", str(SAMPLE))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # no second warning about looking for leftovers
    assert lines[0].startswith("soniox: error: SonioxConnectionError")
    assert "127.0.0.1:9" in lines[0]


def test_refused_realtime_connection_names_the_host(soniox: Run) -> None:
    result = soniox("--api-key", "k", "--websocket-url", "ws://127.0.0.1:9/x", "realtime", str(SAMPLE))
    assert result.returncode == 1
    assert "127.0.0.1:9" in result.stderr


def test_no_color_turns_off_dimming(emulator: Emulator, against: Sequence[str]) -> None:
    emulator.realtime.queue_transcript("One two three four five six.")
    code, screen = run_in_terminal(["realtime", str(SAMPLE), "--fast", *against], env=clean_env(NO_COLOR="1"))
    assert code == 0, screen
    assert "\x1b[2m" not in screen and "\x1b[0m" not in screen
    assert screen.rstrip().endswith("One two three four five six.")


def test_the_named_host_never_carries_credentials_or_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    from soniox_cli._errors import target_of

    monkeypatch.delenv("SONIOX_API_BASE_URL", raising=False)
    monkeypatch.delenv("SONIOX_WEBSOCKET_BASE_URL", raising=False)
    args = build_parser().parse_args(["--base-url", "https://user:secret@api.example:8443/v1?k=s", "models"])
    assert target_of(args) == "api.example:8443"
    realtime = build_parser().parse_args(["realtime", "a.wav"])
    assert target_of(realtime) == "stt-rt.soniox.com"
    local = build_parser().parse_args(["models", "--local"])
    assert target_of(local) is None  # the emulator's address was printed when it started
