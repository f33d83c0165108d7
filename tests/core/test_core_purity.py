"""soniox_core is sans-IO: importing it loads no event loop, HTTP, socket, TLS, thread or clock module."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import soniox_core

BANNED = ("asyncio", "anyio", "trio", "sniffio", "httpcore", "httpx", "socket", "ssl", "threading", "time")
CORE_DIR = Path(soniox_core.__file__).parent

_PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])  # the soniox_core this test process imported
import logging  # the one stdlib module the core may log through; it loads threading and time itself
before = set(sys.modules)
import soniox_core, soniox_core.webhooks, soniox_core.transcript, soniox_core.realtime
import soniox_core._ops.workflows
new = set(sys.modules) - before
print(json.dumps(sorted(new)))
"""


def _newly_imported() -> set[str]:
    result = subprocess.run(
        [sys.executable, "-I", "-c", _PROBE, str(CORE_DIR.parent)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return set(json.loads(result.stdout))


def test_importing_the_core_loads_no_io_module() -> None:
    new = _newly_imported()
    assert "soniox_core" in new
    # ``_socket`` alone is not checked: typing_extensions (via msgspec) loads that C
    # module for a capsule lookup, without the ``socket`` module or any I/O.
    loaded = sorted(m for m in new if m.split(".")[0] in (*BANNED, "_ssl"))
    assert loaded == [], f"soniox_core pulls in {loaded}"


def test_core_sources_import_no_io_module() -> None:
    offenders: list[str] = []
    for path in sorted(CORE_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in BANNED:
                    offenders.append(f"{path.relative_to(CORE_DIR)}:{node.lineno} imports {name}")
    assert offenders == []
