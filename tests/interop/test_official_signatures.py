"""Moving over from the official ``soniox`` 2.10 SDK needs only new imports.

Every public method of the official namespaces beyond file STT (``tts``,
``tts_models``, ``voices``, ``usage_logs``, ``usage``, ``concurrency_limits``,
``auth.create_temporary_api_key``, the ``stt.translate*`` helpers) and both
client constructors are read with ``inspect`` inside the official package's own
venv, and compared with ours, sync and async: each official parameter must exist
here with the same name, default and way of passing (a keyword-only one may be
positional here, not the reverse), and any extra parameter of ours must be
optional. Coroutines stay coroutines and async generators stay async generators.
"""

from __future__ import annotations

import inspect
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from test_official_sdk import official_python  # noqa: F401  (the fixture)

import soniox_async
import soniox_sync

_EXTRACT = r"""
import inspect, json
import soniox

NAMESPACES = ["tts", "tts_models", "voices", "usage_logs", "usage", "concurrency_limits", "auth", "stt"]
ONLY = {"auth": ("create_temporary_api_key",), "stt": ("translate",)}


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


out = {}
for flavour, cls in (("sync", soniox.SonioxClient), ("async", soniox.AsyncSonioxClient)):
    client = cls(api_key="x")
    out[flavour] = {"__init__": describe(cls.__init__)}
    for namespace in NAMESPACES:
        api = type(getattr(client, namespace))
        wanted = ONLY.get(namespace)
        for name, function in inspect.getmembers(api, inspect.isfunction):
            if name.startswith("_") or (wanted and not name.startswith(wanted)):
                continue
            out[flavour][namespace + "." + name] = describe(function)
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def official(official_python: Path) -> dict[str, Any]:  # noqa: F811
    run = subprocess.run(
        [str(official_python), "-c", _EXTRACT], capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result: dict[str, Any] = json.loads(run.stdout)
    return result


def _ours(flavour: str, dotted: str) -> Any:
    client_cls = soniox_sync.SonioxClient if flavour == "sync" else soniox_async.AsyncSonioxClient
    if dotted == "__init__":
        return client_cls.__init__
    namespace, method = dotted.split(".")
    client = client_cls(api_key="x")
    return getattr(type(getattr(client, namespace)), method)


def _kind(function: Any) -> str:
    if inspect.isasyncgenfunction(function):
        return "asyncgen"
    return "coroutine" if inspect.iscoroutinefunction(function) else "plain"


def _mismatches(official: dict[str, Any], ours: Any) -> list[str]:
    problems: list[str] = []
    mine = {name: p for name, p in inspect.signature(ours).parameters.items() if name != "self"}
    order = [name for name, p in mine.items() if p.kind is p.POSITIONAL_OR_KEYWORD]
    official_order = [name for name, kind, _ in official["params"] if kind == "POSITIONAL_OR_KEYWORD"]
    for name, kind, default in official["params"]:
        if kind == "VAR_KEYWORD":
            if not any(p.kind is p.VAR_KEYWORD for p in mine.values()):
                problems.append(f"no **{name}")
            continue
        if name not in mine:
            problems.append(f"missing parameter {name}")
            continue
        here = mine[name]
        if kind == "POSITIONAL_OR_KEYWORD" and here.kind is not here.POSITIONAL_OR_KEYWORD:
            problems.append(f"{name} must be passable by position")
        if kind == "KEYWORD_ONLY" and here.kind not in (here.KEYWORD_ONLY, here.POSITIONAL_OR_KEYWORD):
            problems.append(f"{name} must be passable by keyword")
        if default is None and here.default is not here.empty:
            continue  # required there, optional here: still accepts every call
        if default is not None:
            if here.default is here.empty:
                problems.append(f"{name} has no default (official: {default[1]})")
            elif repr(here.default) != default[1] and str(here.default) != default[1].strip("'"):
                problems.append(f"{name} default {here.default!r} != official {default[1]}")
    if order[: len(official_order)] != official_order:
        problems.append(f"positional order {order} != official {official_order}")
    official_names = {name for name, _, _ in official["params"]}
    for name, here in mine.items():
        if name in official_names or here.kind in (here.VAR_KEYWORD, here.VAR_POSITIONAL):
            continue
        if here.default is here.empty:
            problems.append(f"extra parameter {name} must be optional")
    if _kind(ours) != official["kind"]:
        problems.append(f"is {_kind(ours)}, official is {official['kind']}")
    return problems


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_every_official_method_exists_with_the_same_parameters(
    official: dict[str, Any], flavour: str
) -> None:
    methods = official[flavour]
    # The namespaces of the issue are all there (a broken extraction would make this vacuous).
    prefixes = {name.split(".")[0] for name in methods}
    assert prefixes >= {"tts", "tts_models", "voices", "usage_logs", "usage", "concurrency_limits", "auth"}
    assert "stt" in prefixes
    assert len([n for n in methods if n.startswith("stt.translate")]) == 6
    # __init__, tts 2, tts_models 1, voices 11, usage_logs 2, usage 1, limits 2, auth 1, stt 6
    assert len(methods) == 27
    problems: dict[str, list[str]] = {}
    for dotted, described in methods.items():
        try:
            ours = _ours(flavour, dotted)
        except AttributeError as exc:
            problems[dotted] = [f"missing: {exc}"]
            continue
        found = _mismatches(described, ours)
        if found:
            problems[dotted] = found
    assert problems == {}


def test_the_official_class_names_are_exported() -> None:
    for name in ("TtsAPI", "TtsModelsAPI", "VoicesAPI", "UsageLogsAPI", "UsageAPI", "ConcurrencyLimitsAPI"):
        assert inspect.isclass(getattr(soniox_sync, name))
        assert inspect.isclass(getattr(soniox_async, "Async" + name))


def test_the_comparison_notices_differences() -> None:
    official = {
        "params": [
            ["text", "KEYWORD_ONLY", None],
            ["model", "KEYWORD_ONLY", ["default", "'tts-rt-v2'"]],
            ["limit", "POSITIONAL_OR_KEYWORD", ["default", "100"]],
        ],
        "kind": "coroutine",
    }

    def renamed(*, words: str, model: str = "tts-rt-v1", limit: int = 100, extra: int) -> None: ...

    problems = _mismatches(official, renamed)
    assert "missing parameter text" in problems
    assert "model default 'tts-rt-v1' != official 'tts-rt-v2'" in problems
    assert "limit must be passable by position" in problems
    assert "extra parameter extra must be optional" in problems
    assert "is plain, official is coroutine" in problems
