"""After 1,000 faulted calls no socket or file descriptor is left open."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from soniox_core import SonioxError
from soniox_emulator import Emulator

CALLS = 1000
KINDS = [
    ("reset_before_read", {}),
    ("reset_after_read", {}),
    ("truncated_body", {}),
    ("status", {"status": 500}),
    ("status", {"status": 502}),
]


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _describe_fds() -> dict[str, str]:
    links = {}
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            links[fd] = os.readlink(f"/proc/self/fd/{fd}")
    return links


def _settled_fds(baseline: int, timeout: float = 5.0) -> int:
    # The emulator (in this process) closes its side of each connection a moment
    # after the client does; wait for that before counting.
    deadline = time.monotonic() + timeout
    count = _open_fds()
    while count > baseline and time.monotonic() < deadline:
        time.sleep(0.05)
        count = _open_fds()
    return count


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to count descriptors")
def test_thousand_faulted_calls_leak_nothing(
    make_client: Callable[..., Any], emulator: Emulator, tmp_path: Path
) -> None:
    audio = tmp_path / "audio.wav"
    audio.write_bytes(b"RIFF" + os.urandom(4096))
    client = make_client(max_retries=0)
    file_id = client.files.upload(audio).id
    client.close()
    baseline = _settled_fds(0, timeout=0.2)

    client = make_client(max_retries=0)
    failures = 0
    for i in range(CALLS):
        kind, params = KINDS[i % len(KINDS)]
        if i % 10 == 0:
            emulator.faults.inject(kind, method="POST", path="/v1/files", **params)
            call: Callable[[], Any] = lambda: client.files.upload(audio)  # noqa: E731
        else:
            emulator.faults.inject(kind, method="GET", path="/v1/files/", **params)
            call = lambda: client.files.get(file_id)  # noqa: E731
        try:
            call()
        except SonioxError:
            failures += 1
    emulator.faults.clear()
    assert failures >= CALLS * 0.9  # reset_after_read on an upload may still have been answered
    assert client.files.get(file_id).id == file_id  # still usable
    client.close()
    after = _settled_fds(baseline)
    assert after <= baseline, f"descriptors left open: {_describe_fds()}"
