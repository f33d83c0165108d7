"""Find the Python code blocks of Markdown files, and run one against an emulator.

A block opts out only with a marker on the line right above its fence, which
must give a reason::

    <!-- snippet: skip - needs a microphone -->
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from soniox_emulator import Emulator

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"

_FENCE = re.compile(r"^```(python|py|python3|pycon)[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
_SKIP = re.compile(r"<!--\s*snippet:\s*skip\b\s*(?:[-:\u2014]\s*)?(.*?)\s*-->")


@dataclass(frozen=True)
class Snippet:
    """One fenced Python block: where it is, its code, and its opt-out reason if any."""

    path: Path
    line: int
    code: str
    skip_reason: str | None

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def is_pytest_module(self) -> bool:
        """A block defining tests is run by pytest, so its tests really run."""
        return re.search(r"^def test_", self.code, re.M) is not None


def parse(path: Path, text: str) -> list[Snippet]:
    """Every Python block of ``text``; a marker with an empty reason is an error."""
    found = []
    for match in _FENCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        skip = _SKIP.search(before)
        reason = None
        if skip is not None:
            reason = skip.group(1).strip()
            if not reason:
                raise ValueError(f"{path}:{line}: a skipped snippet must say why")
        found.append(Snippet(path, line, match.group(2), reason))
    return found


def count_skip_markers(text: str) -> int:
    return len(_SKIP.findall(text))


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def emulator_env(emulator: Emulator) -> dict[str, str]:
    """This environment without the developer's SONIOX_* settings, pointed at ``emulator``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SONIOX_")}
    env.update(
        SONIOX_API_KEY=emulator.api_key,
        SONIOX_API_BASE_URL=emulator.base_url,
        SONIOX_WEBSOCKET_BASE_URL=emulator.websocket_url,
        SONIOX_TTS_API_BASE_URL=emulator.tts_api_base_url,
        SONIOX_TTS_WEBSOCKET_BASE_URL=emulator.tts_websocket_base_url,
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]),
    )
    return env


def run_python(
    code: str, workdir: Path, env: dict[str, str], *, as_pytest: bool, name: str = "snippet"
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in ``workdir`` (which gets a copy of ``samples/``), as a script or with pytest."""
    if not (workdir / "samples").exists():
        shutil.copytree(SAMPLES, workdir / "samples")
    script = workdir / (f"test_{name}.py" if as_pytest else f"{name}.py")
    script.write_text(code, encoding="utf-8")
    if as_pytest:
        command = [
            sys.executable, "-m", "pytest", "-q", "-p", "soniox_emulator.pytest_plugin",
            "-p", "no:cacheprovider", "--rootdir", str(workdir), str(script),
        ]  # fmt: skip
    else:
        command = [sys.executable, str(script)]
    return subprocess.run(
        command, cwd=workdir, env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )
