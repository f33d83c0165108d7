"""The sync client is the async one without ``await``: same names, same signatures.

Also checks that every method of the async client reference exists with the documented
parameters, and that the generated sync facade is up to date.
"""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

import soniox_async
import soniox_sync

ROOT = Path(__file__).resolve().parents[2]

CLASS_PAIRS = [
    ("AsyncSonioxClient", "SonioxClient"),
    ("AsyncFilesAPI", "FilesAPI"),
    ("AsyncSttAPI", "SttAPI"),
    ("AsyncModelsAPI", "ModelsAPI"),
    ("AsyncAuthAPI", "AuthAPI"),
    ("AsyncSonioxWebhooksAPI", "SonioxWebhooksAPI"),
]
REALTIME_PAIRS = [
    ("AsyncRealtimeAPI", "RealtimeAPI"),
    ("AsyncRealtimeSTTClient", "RealtimeSTTClient"),
    ("AsyncRealtimeSTTSession", "RealtimeSTTSession"),
]

# Public names that differ between the twins, async -> sync.
RENAMED = {"aclose": "close"}

# Pure helpers: plain functions on the async side too (no I/O of their own).
ASYNC_PURE_HELPERS = {
    "AsyncSonioxClient": {"with_options"},
    "AsyncSonioxWebhooksAPI": {"verify_signature", "unwrap", "webhook_payload", "auth_config"},
    "AsyncRealtimeSTTClient": {"connect"},  # returns an unconnected session
    # send_in_background schedules onto the session's tasks; parse_event only parses.
    "AsyncRealtimeSTTSession": {"send_in_background", "parse_event"},
}

# The reference (async-client-reference.txt): every documented method and its parameters.
REFERENCE: dict[str, dict[str, list[str]]] = {
    "AsyncSonioxClient": {
        "request": ["method", "path", "params", "json", "data", "files"],
        "aclose": [],
    },
    "AsyncFilesAPI": {
        "list": ["limit", "cursor"],
        "list_all": ["limit"],
        "get": ["file_id"],
        "get_or_none": ["file_id"],
        "delete": ["file_id"],
        "delete_if_exists": ["file_id"],
        "upload": ["file", "filename", "client_reference_id"],
        "delete_all": ["limit"],
    },
    "AsyncSttAPI": {
        "list": ["limit", "cursor"],
        "list_all": ["limit"],
        "delete_all": ["limit"],
        "create": ["model", "file_id", "audio_url", "client_reference_id", "config"],
        "get": ["transcription_id"],
        "get_or_none": ["transcription_id"],
        "delete": ["transcription_id"],
        "delete_if_exists": ["transcription_id"],
        "destroy": ["transcription_id"],
        "destroy_all": ["limit"],
        "get_transcript": ["transcription_id"],
        "wait": ["transcription_id", "interval_sec", "timeout_sec"],
        "transcribe_from_url": ["model", "audio_url", "client_reference_id", "config"],
        "transcribe_from_file_id": ["model", "file_id", "client_reference_id", "config"],
        "transcribe_from_file": ["model", "file", "filename", "client_reference_id", "config"],
        "transcribe": ["model", "audio_url", "file_id", "file", "filename", "client_reference_id", "config"],
        "transcribe_file_with_webhook": [
            "model",
            "file",
            "webhook_url",
            "filename",
            "client_reference_id",
            "webhook_auth",
            "config",
        ],
        "transcribe_and_wait": [
            "model",
            "audio_url",
            "file_id",
            "file",
            "filename",
            "client_reference_id",
            "delete_after",
            "wait_interval_sec",
            "wait_timeout_sec",
            "config",
        ],
        "transcribe_and_wait_with_tokens": [
            "model",
            "audio_url",
            "file_id",
            "file",
            "filename",
            "client_reference_id",
            "delete_after",
            "wait_interval_sec",
            "wait_timeout_sec",
            "config",
        ],
    },
    "AsyncModelsAPI": {"list": []},
    "AsyncAuthAPI": {"create_temporary_api_key": ["usage_type", "expires_in_seconds", "client_reference_id"]},
}
# The 2.10 constructor adds the two TTS URLs after the STT ones (positional order matters
# for AsyncSonioxClient, whose parameters are not keyword-only).
REFERENCE_CONSTRUCTOR = [
    "api_key",
    "api_base_url",
    "websocket_base_url",
    "tts_api_base_url",
    "tts_websocket_base_url",
    "timeout_sec",
    "webhook_secret",
    "webhook_signature_header",
]
REFERENCE_PROPERTIES = ["files", "stt", "models", "auth", "webhooks", "realtime"]


def _realtime_modules() -> tuple[Any, Any] | None:
    try:
        return (
            importlib.import_module("soniox_async._realtime"),
            importlib.import_module("soniox_sync._realtime"),
        )
    except ModuleNotFoundError as exc:
        if exc.name not in ("soniox_async._realtime", "soniox_sync._realtime"):
            raise
        return None


def _all_pairs() -> list[tuple[type, type]]:
    pairs = [(getattr(soniox_async, a), getattr(soniox_sync, s)) for a, s in CLASS_PAIRS]
    modules = _realtime_modules()
    if modules is not None:
        async_module, sync_module = modules
        pairs += [(getattr(async_module, a), getattr(sync_module, s)) for a, s in REALTIME_PAIRS]
    return pairs


def _public(cls: type) -> dict[str, Any]:
    """Public attributes, as found on the class (so properties stay properties)."""
    found: dict[str, Any] = {}
    for name in dir(cls):
        if name.startswith("_"):
            continue
        found[name] = inspect.getattr_static(cls, name)
    return found


def _kind(member: Any) -> str:
    if isinstance(member, (property, cached_property)):
        return "property"
    if isinstance(member, (staticmethod, classmethod)):
        return type(member).__name__
    if callable(member):
        return "method"
    return "attribute"


def _shape(function: Any) -> list[tuple[str, Any, Any]]:
    """Parameter names, kinds and defaults (annotations differ by design: Async* vs *)."""
    signature = inspect.signature(function)
    return [(p.name, p.kind, p.default) for p in signature.parameters.values()]


def _function(member: Any) -> Any:
    return member.__func__ if isinstance(member, (staticmethod, classmethod)) else member


def _pair(async_name: str) -> tuple[type, type]:
    for async_cls, sync_cls in _all_pairs():
        if async_cls.__name__ == async_name:
            return async_cls, sync_cls
    raise LookupError(async_name)


def test_realtime_twins_exist_together() -> None:
    """Both realtime modules exist, or neither (then only REST classes are compared)."""
    present = []
    for name in ("soniox_async._realtime", "soniox_sync._realtime"):
        try:
            importlib.import_module(name)
            present.append(True)
        except ModuleNotFoundError:
            present.append(False)
    assert present[0] == present[1], present


@pytest.mark.parametrize("async_name", [a for a, _ in CLASS_PAIRS])
def test_rest_twins_have_the_same_public_api(async_name: str) -> None:
    _check_twins(*_pair(async_name))


@pytest.mark.parametrize("async_name", [a for a, _ in REALTIME_PAIRS])
def test_realtime_twins_have_the_same_public_api(async_name: str) -> None:
    if _realtime_modules() is None:
        return  # not built yet: test_realtime_twins_exist_together guards the halves
    _check_twins(*_pair(async_name))


def _check_twins(async_cls: type, sync_cls: type) -> None:
    async_members = _public(async_cls)
    sync_members = _public(sync_cls)
    renamed = {RENAMED.get(name, name): member for name, member in async_members.items()}
    assert sorted(renamed) == sorted(sync_members), (
        f"{async_cls.__name__} and {sync_cls.__name__} differ: "
        f"only async {sorted(set(renamed) - set(sync_members))}, "
        f"only sync {sorted(set(sync_members) - set(renamed))}"
    )
    helpers = ASYNC_PURE_HELPERS.get(async_cls.__name__, set())
    for async_name, async_member in async_members.items():
        sync_name = RENAMED.get(async_name, async_name)
        sync_member = sync_members[sync_name]
        where = f"{async_cls.__name__}.{async_name} / {sync_cls.__name__}.{sync_name}"
        assert _kind(async_member) == _kind(sync_member), where
        if _kind(async_member) not in ("method", "staticmethod", "classmethod"):
            continue
        async_fn, sync_fn = _function(async_member), _function(sync_member)
        assert _shape(async_fn) == _shape(sync_fn), where
        assert not (inspect.iscoroutinefunction(sync_fn) or inspect.isasyncgenfunction(sync_fn)), where
        is_async = inspect.iscoroutinefunction(async_fn) or inspect.isasyncgenfunction(async_fn)
        if async_name in helpers:
            assert not is_async, f"{where}: listed as a pure helper but is async"
        else:
            assert is_async, f"{where}: neither a coroutine nor an async generator function"
        # A generator stays a generator: list_all yields on both sides.
        assert inspect.isasyncgenfunction(async_fn) == inspect.isgeneratorfunction(sync_fn), where


def test_dunder_protocols_match() -> None:
    client_async, client_sync = soniox_async.AsyncSonioxClient, soniox_sync.SonioxClient
    assert inspect.iscoroutinefunction(client_async.__aenter__)
    assert inspect.iscoroutinefunction(client_async.__aexit__)
    assert not hasattr(client_async, "__enter__")
    assert callable(client_sync.__enter__) and callable(client_sync.__exit__)
    assert not hasattr(client_sync, "__aenter__")
    assert _shape(client_async.__init__) == _shape(client_sync.__init__)


def test_package_exports_are_twins() -> None:
    def strip(name: str) -> str:
        return name.removeprefix("Async") if name.startswith("Async") else name

    assert sorted(strip(n) for n in soniox_async.__all__) == sorted(soniox_sync.__all__)
    for name in soniox_sync.__all__:
        assert hasattr(soniox_sync, name), name
    for name in soniox_async.__all__:
        assert hasattr(soniox_async, name), name


@pytest.mark.parametrize("class_name", sorted(REFERENCE))
def test_every_reference_method_exists_with_its_parameters(class_name: str) -> None:
    async_cls, sync_cls = _pair(class_name)
    for cls in (async_cls, sync_cls):
        for method, documented in REFERENCE[class_name].items():
            name = RENAMED.get(method, method) if cls is sync_cls else method
            function = getattr(cls, name, None)
            assert callable(function), f"{cls.__name__}.{name} is missing"
            actual = [n for n, _, _ in _shape(function)][1:]  # without self
            # Every documented parameter is there, in the documented order.
            assert [n for n in actual if n in documented] == documented, (
                f"{cls.__name__}.{name}{actual} does not take {documented}"
            )


def test_reference_constructor_and_properties() -> None:
    for cls in (soniox_async.AsyncSonioxClient, soniox_sync.SonioxClient):
        parameters = inspect.signature(cls).parameters
        assert list(parameters)[: len(REFERENCE_CONSTRUCTOR)] == REFERENCE_CONSTRUCTOR
        assert all(parameters[name].default is None for name in REFERENCE_CONSTRUCTOR)
        assert next(reversed(parameters.values())).kind is inspect.Parameter.VAR_KEYWORD
        for name in REFERENCE_PROPERTIES:
            assert _kind(inspect.getattr_static(cls, name)) == "property", f"{cls.__name__}.{name}"


def test_realtime_property_resolves() -> None:
    async_client = soniox_async.AsyncSonioxClient(api_key="k", api_base_url="http://127.0.0.1:9/v1")
    sync_client = soniox_sync.SonioxClient(api_key="k", api_base_url="http://127.0.0.1:9/v1")
    try:
        assert type(async_client.realtime).__name__ == "AsyncRealtimeAPI"
        assert type(sync_client.realtime).__name__ == "RealtimeAPI"
        assert type(async_client.realtime.stt).__name__ == "AsyncRealtimeSTTClient"
        assert type(sync_client.realtime.stt).__name__ == "RealtimeSTTClient"
    finally:
        sync_client.close()


def test_generated_sync_facade_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "unasync.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
