"""The public names of the three packages, all from the one table in ``soniox_core._exports``."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from soniox_core import _exports

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["soniox_core", "soniox_async", "soniox_sync"]


@pytest.fixture(params=PACKAGES)
def package(request: pytest.FixtureRequest) -> ModuleType:
    return importlib.import_module(request.param)


def test_every_name_in_all_is_importable(package: ModuleType) -> None:
    missing = [name for name in package.__all__ if not hasattr(package, name)]
    assert missing == []
    assert len(set(package.__all__)) == len(package.__all__)


def test_dir_is_exactly_all(package: ModuleType) -> None:
    assert dir(package) == sorted(package.__all__)


def test_nothing_private_is_exported(package: ModuleType) -> None:
    private = [n for n in package.__all__ if n.startswith("_") and n != "__version__"]
    assert private == []
    # Helpers of the package itself are not reachable as public attributes.
    with pytest.raises(AttributeError):
        package.__getattr__("lazy_getattr_unknown_name")


def test_the_clients_export_the_same_names_modulo_async() -> None:
    import soniox_async
    import soniox_sync

    renamed = sorted(n.removeprefix("Async") for n in soniox_async.__all__)
    assert renamed == sorted(soniox_sync.__all__)


def test_plumbing_is_core_only() -> None:
    import soniox_async
    import soniox_core
    import soniox_sync

    assert set(soniox_core.__all__) >= _exports.PLUMBING
    for client in (soniox_async, soniox_sync):
        assert _exports.PLUMBING.isdisjoint(client.__all__), client.__name__
        for name in _exports.PLUMBING:
            assert not hasattr(client, name), (client.__name__, name)


def test_the_table_is_what_the_packages_export() -> None:
    import soniox_async
    import soniox_core

    whole = [
        importlib.import_module("soniox_core" + m) for m in _exports.CORE_MODULES + _exports.CORE_LAZY_MODULES
    ]
    table = {*_exports.CORE, *_exports.CORE_LAZY, *(n for m in whole for n in m.__all__)}
    assert set(soniox_core.__all__) == table
    assert {*_exports.CLIENT, *_exports.CLIENT_LAZY} <= set(soniox_async.__all__)
    # The realtime and TTS/voices/usage names are public in every package.
    for name in ("RealtimeSTTConfig", "ReconnectPolicy", "TtsVoice", "GetUsageLogsResponse"):
        for pkg in PACKAGES:
            assert name in importlib.import_module(pkg).__all__, (pkg, name)


def test_lazy_names_stay_out_of_a_plain_import() -> None:
    code = (
        "import sys, soniox_async, soniox_sync; "
        "assert 'soniox_core.realtime' not in sys.modules; "
        "assert 'soniox_async._realtime' not in sys.modules; "
        "soniox_async.RealtimeSTTConfig; soniox_sync.RealtimeSTTSession; "
        "assert 'soniox_core.realtime' in sys.modules"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_the_generated_export_blocks_are_current() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts/gen_exports.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
