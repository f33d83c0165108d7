"""The documentation site builds with ``mkdocs build --strict`` (what CI runs)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_docs_build_strictly_and_render_the_reference(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SONIOX_")}
    result = subprocess.run(
        ["sh", str(ROOT / "scripts" / "build_docs.sh"), str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    reference = (site / "reference" / "async" / "index.html").read_text(encoding="utf-8")
    # mkdocstrings rendered the docstrings, not just the page's own text.
    assert "transcribe_and_wait_with_tokens" in reference and "SonioxWaitTimeoutError" in reference
    for page in ("quickstart", "migration", "emulator", "cli", "reference/errors", "reference/emulator"):
        assert (site / page / "index.html").is_file(), page
