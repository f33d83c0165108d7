"""Run the real ``soniox`` console script in a subprocess.

The emulator under test is the session one from ``soniox_emulator.pytest_plugin``
(reset before each test); ``--local`` runs start their own inside the command.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from cli_helpers import ROOT, Run, clean_env, soniox_command

from soniox_emulator import Emulator
from soniox_sync import SonioxClient


@pytest.fixture
def soniox() -> Run:
    """``soniox(*args, env=None, timeout=30)``: run the command with pipes, as text."""

    def run(
        *args: str, env: dict[str, str] | None = None, timeout: float = 30, cwd: Path = ROOT
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*soniox_command(), *args],
            capture_output=True,
            text=True,
            env=env or clean_env(),
            timeout=timeout,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
        )

    return run


@pytest.fixture
def soniox_parallel() -> Callable[..., list[subprocess.CompletedProcess[str]]]:
    """``soniox_parallel([args...], [args...])``: independent commands run at once,
    to keep the suite fast (each run pays for a Python start-up)."""

    def run(*commands: Sequence[str], timeout: float = 30) -> list[subprocess.CompletedProcess[str]]:
        procs = [
            subprocess.Popen(
                [*soniox_command(), *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                text=True,
                env=clean_env(),
                cwd=ROOT,
            )
            for args in commands
        ]
        results = []
        for args, proc in zip(commands, procs, strict=True):
            stdout, stderr = proc.communicate(timeout=timeout)
            results.append(subprocess.CompletedProcess(args, proc.returncode, stdout, stderr))
        return results

    return run


@pytest.fixture
def against(emulator: Emulator) -> Sequence[str]:
    """The connection flags that point the command at the test's emulator."""
    return [
        "--api-key",
        emulator.api_key,
        "--base-url",
        emulator.base_url,
        "--websocket-url",
        emulator.websocket_url,
    ]


@pytest.fixture
def client(emulator: Emulator) -> Iterator[SonioxClient]:
    """An SDK client on the test's emulator, to look at what the command left."""
    with SonioxClient(api_key=emulator.api_key, api_base_url=emulator.base_url) as sdk:
        yield sdk
