"""The async and the blocking realtime clients expose the same names and parameters."""

from __future__ import annotations

import inspect

import soniox_async._realtime as async_rt
import soniox_sync._realtime as sync_rt

PAIRS = [
    (async_rt.AsyncRealtimeAPI, sync_rt.RealtimeAPI),
    (async_rt.AsyncRealtimeSTTClient, sync_rt.RealtimeSTTClient),
    (async_rt.AsyncRealtimeSTTSession, sync_rt.RealtimeSTTSession),
]
# Names that differ only by the async/sync protocol they implement.
ASYNC_ONLY = {"__aenter__", "__aexit__", "__aiter__", "aclose"}
SYNC_ONLY = {"__enter__", "__exit__", "__iter__"}


def public(cls: type) -> dict[str, object]:
    return {
        name: member
        for name, member in vars(cls).items()
        if not name.startswith("_") or name in ASYNC_ONLY | SYNC_ONLY
    }


def parameters(member: object) -> list[tuple[str, object, object]]:
    if isinstance(member, property):
        return []
    func = getattr(member, "func", member)  # cached_property
    if not callable(func):
        return []
    return [(p.name, p.kind, p.default) for p in inspect.signature(func).parameters.values()]


def test_same_names_and_parameters() -> None:
    for async_cls, sync_cls in PAIRS:
        async_members = public(async_cls)
        sync_members = public(sync_cls)
        assert set(async_members) - ASYNC_ONLY == set(sync_members) - SYNC_ONLY, async_cls
        for name in set(async_members) - ASYNC_ONLY:
            assert parameters(async_members[name]) == parameters(sync_members[name]), name


def test_stream_audio_has_the_same_parameters() -> None:
    assert parameters(async_rt.stream_audio) == parameters(sync_rt.stream_audio)
