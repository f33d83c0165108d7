"""Realtime text-to-speech, the STT session extras and ``soniox.utils`` keep the official names.

The official classes (``soniox.realtime.tts``/``async_tts``, the realtime STT
sessions) and ``soniox.utils`` functions are read with ``inspect`` in the
official package's venv and compared with ours by the same rules as
``test_official_signatures.py``: every official parameter exists with the same
name, default and way of passing, extras are optional, coroutines stay
coroutines. Constructors are left out: ours take a checked plan, and
``client.realtime.tts.connect()`` is how both SDKs make them.
"""

from __future__ import annotations

import inspect
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from test_official_sdk import official_python  # noqa: F401  (the fixture)
from test_official_signatures import _mismatches

from soniox_async import _realtime as async_realtime
from soniox_async import _realtime_tts as async_tts
from soniox_async import utils as async_utils
from soniox_sync import _realtime as sync_realtime
from soniox_sync import _realtime_tts as sync_tts
from soniox_sync import utils as sync_utils

_EXTRACT = r"""
import inspect, json
from soniox.realtime import tts, async_tts, stt, async_stt
from soniox import utils


def describe(function):
    params = []
    for p in inspect.signature(function).parameters.values():
        if p.name == "self":
            continue
        default = None if p.default is p.empty else ["default", repr(p.default)]
        params.append([p.name, p.kind.name, default])
    kind = "asyncgen" if inspect.isasyncgenfunction(function) else (
        "coroutine" if inspect.iscoroutinefunction(function) else "plain")
    return {"params": params, "kind": kind}


out = {"methods": {}, "properties": {}, "functions": {}}
classes = [getattr(tts, n) for n in ("RealtimeTTSClient", "RealtimeTTSConnection",
           "RealtimeTTSMultiplexedConnection", "RealtimeTTSStream")]
classes += [getattr(async_tts, "Async" + c.__name__) for c in classes]
for cls in classes:
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(member, property):
            out["properties"].setdefault(cls.__name__, []).append(name)
        elif inspect.isfunction(member):
            out["methods"][cls.__name__ + "." + name] = describe(member)
for cls in (stt.RealtimeSTTSession, async_stt.AsyncRealtimeSTTSession):
    for name in ("send_control_message", "recv_bytes", "parse_event"):
        out["methods"][cls.__name__ + "." + name] = describe(getattr(cls, name))
for name in ("output_file_for_audio_format", "throttle_audio", "throttle_audio_async",
             "stream_audio_async", "start_audio_thread", "start_text_thread"):
    out["functions"][name] = describe(getattr(utils, name))
print(json.dumps(out))
"""

_MODULES = {
    "RealtimeTTS": sync_tts,
    "AsyncRealtimeTTS": async_tts,
    "RealtimeSTTSession": sync_realtime,
    "AsyncRealtimeSTTSession": async_realtime,
}


@pytest.fixture(scope="module")
def official(official_python: Path) -> dict[str, Any]:  # noqa: F811
    run = subprocess.run(
        [str(official_python), "-c", _EXTRACT], capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result: dict[str, Any] = json.loads(run.stdout)
    return result


def _class(name: str) -> type:
    for prefix in sorted(_MODULES, key=len, reverse=True):
        if name.startswith(prefix):
            cls: type = getattr(_MODULES[prefix], name)
            return cls
    raise LookupError(name)


def test_every_official_realtime_tts_method_exists_with_the_same_parameters(official: dict[str, Any]) -> None:
    methods = official["methods"]
    assert len(methods) >= 60  # 8 classes and the 6 STT extras: the extraction found them
    problems: dict[str, list[str]] = {}
    for dotted, described in methods.items():
        class_name, method = dotted.split(".")
        ours = getattr(_class(class_name), method, None)
        if ours is None:
            problems[dotted] = ["missing"]
        elif found := _mismatches(described, ours):
            problems[dotted] = found
    assert problems == {}


def test_every_official_property_exists(official: dict[str, Any]) -> None:
    missing = [
        f"{cls}.{name}"
        for cls, names in official["properties"].items()
        for name in names
        if not isinstance(inspect.getattr_static(_class(cls), name, None), property)
    ]
    assert official["properties"] and missing == []


def test_the_official_utils_exist_with_the_same_parameters(official: dict[str, Any]) -> None:
    problems: dict[str, list[str]] = {}
    for name, described in official["functions"].items():
        module = async_utils if name.endswith("_async") else sync_utils
        ours = getattr(module, name, None)
        if ours is None:
            problems[name] = ["missing"]
        elif found := _mismatches(described, ours):
            problems[name] = found
    assert len(official["functions"]) == 6 and problems == {}
