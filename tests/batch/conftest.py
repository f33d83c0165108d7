"""Fixtures for the batch tests: the emulator with no processing delay, audio files."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from soniox_emulator import Emulator


@pytest.fixture
def emu(emulator: Emulator) -> Emulator:
    """The session emulator, reset, finishing transcriptions at once."""
    emulator.queued_sec = 0.0
    emulator.processing_sec = 0.0
    emulator.limits.retry_after_sec = 0.05
    return emulator


@pytest.fixture
def make_audio(tmp_path: Path) -> Callable[[int], list[str]]:
    """``make_audio(n)``: n tiny distinct WAV-named files under ``tmp_path/audio``."""

    def make(count: int, directory: str = "audio") -> list[str]:
        root = tmp_path / directory
        root.mkdir(exist_ok=True)
        paths = []
        for i in range(count):
            path = root / f"clip{i:05d}.wav"
            path.write_bytes(b"RIFF" + i.to_bytes(4, "little") + bytes(24))
            paths.append(os.fspath(path))
        return paths

    return make


def _as_postgres_user() -> list[str]:
    # initdb and postgres refuse to run as root: drop to nobody when we are root (CI is).
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server of our own on loopback, in a temporary directory."""
    # Not under pytest's tmp_path: its parents are private to root, and the server
    # may run as nobody.
    root = Path(tempfile.mkdtemp(prefix="soniox-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        os.chown(root, 65534, 65534)
    prefix = _as_postgres_user()
    subprocess.run(
        [*prefix, "initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # A throwaway server: durability off, it only has to be fast.
    flags = ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
    server = subprocess.Popen(
        [*prefix, "postgres", "-D", str(data), "-h", "127.0.0.1", "-p", str(port), "-k", str(root), *flags],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    try:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(url, connect_timeout=1).close()
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)
