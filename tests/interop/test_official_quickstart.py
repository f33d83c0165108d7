"""The official SDK's README quickstart runs on this SDK after changing only its imports.

The script is taken from the README shipped in the ``soniox==2.10.0`` package
(its metadata), not from a copy of ours, so this breaks if the quickstart grows
a call we do not support.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from test_official_sdk import official_python  # noqa: F401  (the fixture: a venv with soniox 2.10.0)

from soniox_emulator import Emulator

ROOT = Path(__file__).resolve().parents[2]
_README = "import importlib.metadata as m; print(m.metadata('soniox').get_payload())"
# The only edits allowed: the official package's imports become ours.
IMPORTS = {
    "from soniox import SonioxClient": "from soniox_sync import SonioxClient",
    "from soniox import AsyncSonioxClient": "from soniox_async import AsyncSonioxClient",
}


def _quickstart(official: Path) -> str:
    readme = subprocess.run([str(official), "-c", _README], capture_output=True, text=True, check=True).stdout
    section = readme.split("REST STT transcription", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match is not None, "the official README has no STT quickstart block"
    return match.group(1)


def _change_imports(script: str) -> str:
    changed = "\n".join(IMPORTS.get(line.strip(), line) for line in script.splitlines()) + "\n"
    edits = [
        line
        for line in difflib.unified_diff(script.splitlines(), changed.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    # Only import lines changed, and at least one did.
    assert edits and all(line[1:].startswith("from soniox") for line in edits), edits
    return changed


def test_official_readme_quickstart_runs_with_changed_imports(
    official_python: Path,  # noqa: F811
    emulator: Emulator,
    tmp_path: Path,
) -> None:
    script = _quickstart(official_python)
    assert "transcribe_and_wait_with_tokens" in script and "client.close()" in script
    ours = _change_imports(script)

    # The quickstart names a file of its own; give it one where it looks.
    paths = re.findall(r'file="([^"]+)"', script)
    assert paths, script
    for name in paths:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "samples" / "hello.wav", tmp_path / name)
        emulator.set_transcript("The quickstart works unchanged.", filename=Path(name).name)
    (tmp_path / "quickstart.py").write_text(ours, encoding="utf-8")

    env = {k: v for k, v in os.environ.items() if not k.startswith("SONIOX_")}
    env.update(
        SONIOX_API_KEY=emulator.api_key,
        SONIOX_API_BASE_URL=emulator.base_url,
        PYTHONPATH=str(ROOT / "src"),
    )
    result = subprocess.run(
        [sys.executable, "quickstart.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "The quickstart works unchanged.\n"
    # delete_after=True in the script: nothing is left on the service.
    assert emulator.request_count("DELETE", "/v1/transcriptions/{transcription_id}") == 1
    assert emulator.request_count("DELETE", "/v1/files/{file_id}") == 1
