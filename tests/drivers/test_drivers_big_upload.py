"""A 200 MB upload streams from disk: the client's peak memory barely moves.

Each upload runs in a fresh process (so nothing an earlier test allocated hides the
peak), whose peak resident set is read before and after: ``VmHWM`` from
``/proc/self/status``, and ``ru_maxrss`` (which Linux inherits from the parent process,
so on its own it would show no growth below pytest's own peak). The emulator runs in
yet another process so that its memory is not counted either.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SIZE = 200 * 1024 * 1024
MAX_GROWTH_KIB = 40 * 1024

_MEASURE = r"""
import json, resource, sys
from pathlib import Path

flavour, base_url, big, small = sys.argv[1:]

def peak_kib():
    # VmHWM is this process's own peak RSS. ru_maxrss is reported too, but Linux carries
    # it over from the parent across fork and exec, so a parent that once used more
    # memory than this whole process ever does (pytest) would hide any growth here.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
                break
    return {"hwm": hwm, "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}  # KiB

def run_sync():
    from soniox_sync import SonioxClient
    with SonioxClient(api_key="test-key", api_base_url=base_url, timeout_sec=60, max_retries=0) as client:
        client.files.upload(small)  # warm-up: imports, connection, buffers
        before = peak_kib()
        uploaded = client.files.upload(big)
        after = peak_kib()
    return before, after, uploaded

def run_async(backend):
    import anyio
    from soniox_async import AsyncSonioxClient

    async def main():
        async with AsyncSonioxClient(
            api_key="test-key", api_base_url=base_url, timeout_sec=60, max_retries=0
        ) as client:
            await client.files.upload(Path(small))  # warm-up, incl. the worker thread
            before = peak_kib()
            uploaded = await client.files.upload(Path(big))
            after = peak_kib()
        return before, after, uploaded

    return anyio.run(main, backend=backend)

before, after, uploaded = run_sync() if flavour == "sync" else run_async(flavour)
print(json.dumps({"before": before, "after": after, "size": uploaded.size, "name": uploaded.filename}))
"""


@pytest.fixture(scope="module")
def emulator_process() -> Iterator[str]:
    """``python -m soniox_emulator`` in its own process; yields its REST base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "soniox_emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("SONIOX_API_BASE_URL="), line
        yield line.removeprefix("SONIOX_API_BASE_URL=")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def big_files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("big-upload")
    big = folder / "long-meeting.wav"
    block = bytes(range(256)) * 4096  # 1 MiB, not all zeros
    with big.open("wb") as handle:
        for _ in range(SIZE // len(block)):
            handle.write(block)
    small = folder / "warm-up.wav"
    small.write_bytes(block[:4096])
    yield big, small
    big.unlink()


@pytest.mark.slow
@pytest.mark.parametrize("flavour", ["sync", "asyncio", "trio"])
def test_200_mb_upload_keeps_memory_bounded(
    flavour: str, emulator_process: str, big_files: tuple[Path, Path]
) -> None:
    big, small = big_files
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, flavour, emulator_process, str(big), str(small)],
        capture_output=True,
        text=True,
        timeout=100,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    assert measured["size"] == SIZE
    assert measured["name"] == "long-meeting.wav"
    before, after = measured["before"], measured["after"]
    for metric in ("hwm", "maxrss"):
        growth = after[metric] - before[metric]
        assert growth < MAX_GROWTH_KIB, (
            f"peak RSS ({metric}) grew by {growth / 1024:.1f} MiB during a 200 MiB upload: {measured}"
        )
