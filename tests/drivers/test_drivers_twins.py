"""The two clients are twins, not a pair that leans on each other."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SYNC_DIR = ROOT / "src" / "soniox_sync"
GENERATED_MARK = "# Generated from src/soniox_async/"


@pytest.mark.parametrize(
    ("imported", "absent"),
    [("soniox_async", "soniox_sync"), ("soniox_sync", "soniox_async")],
)
def test_neither_twin_imports_the_other(imported: str, absent: str) -> None:
    # Every module of the package, realtime included, not only its __init__.
    probe = (
        f"import sys, {imported}, {imported}._realtime, {imported}._runner, {imported}._ws_driver; "
        f"assert {absent!r} not in sys.modules, sorted(m for m in sys.modules if m.startswith({absent!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


def test_every_sync_module_but_the_backend_is_generated() -> None:
    # Every file of the package (modules, lint rules, the py.typed marker), not only modules.
    hand_written = {
        path.name: len(path.read_text().splitlines())
        for path in SYNC_DIR.iterdir()
        if path.is_file() and not path.read_text().startswith(GENERATED_MARK)
    }
    assert sorted(hand_written) == ["_backend.py", "py.typed", "ruff.toml"]
    assert sum(hand_written.values()) < 200, f"soniox_sync's hand-written lines: {hand_written}"
