"""Helpers for the CLI tests: where the script is, a clean environment, leftovers."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from soniox_sync import SonioxClient

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "hello.wav"
SAMPLE_TEXT = (ROOT / "samples" / "hello.txt").read_text(encoding="utf-8").strip()


def soniox_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m``."""
    script = Path(sys.executable).with_name("soniox")
    found = str(script) if script.exists() else shutil.which("soniox")
    return [found] if found else [sys.executable, "-m", "soniox_cli"]


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without any SONIOX_* setting of the developer's, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SONIOX_")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    env.pop("COLUMNS", None)
    env.update(extra)
    return env


Run = Callable[..., subprocess.CompletedProcess[str]]
RunMany = Callable[..., list[subprocess.CompletedProcess[str]]]


def leftovers(client: SonioxClient) -> tuple[int, int]:
    """How many files and transcriptions exist on the emulator."""
    return len(list(client.files.list_all())), len(list(client.stt.list_all()))


def run_in_terminal(
    args: Sequence[str], timeout: float = 30, env: dict[str, str] | None = None
) -> tuple[int, str]:
    """Run the command with stdin, stdout and stderr on a pseudo-terminal."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [*soniox_command(), *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env or clean_env(),
        cwd=ROOT,
        close_fds=True,
    )
    os.close(slave)
    output = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: the child closed its end
                    break
                if not data:
                    break
                output += data
            elif proc.poll() is not None:
                break
        return proc.wait(timeout=5), output.decode("utf-8", "replace")
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
