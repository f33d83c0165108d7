"""A job shared through PostgreSQL: claims with SKIP LOCKED, leases that lapse
when a worker dies, and three worker processes that transcribe each source once."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
from batch_support import leftovers

from soniox_core._ops.batch import BatchSource
from soniox_emulator import Emulator
from soniox_sync._jobs import PostgresJobStore


def _job() -> str:
    # A fresh name per test: the session's server is shared.
    return f"job_{uuid.uuid4().hex[:12]}"


def test_claims_skip_locked_rows_and_lapse_with_the_lease(postgres_url: str) -> None:
    table = _job()
    first = PostgresJobStore(postgres_url, lease_sec=0.5, table=table)
    second = PostgresJobStore(postgres_url, lease_sec=30, table=table)
    try:
        first.add([BatchSource("url", f"https://a.example/{i}.wav") for i in range(5)])
        second.add([BatchSource("url", f"https://a.example/{i}.wav") for i in range(5)])  # idempotent
        mine = first.claim(3, retry_failed=False)
        theirs = second.claim(10, retry_failed=False)
        assert len(mine) == 3 and len(theirs) == 2
        assert {s.source.key for s in mine}.isdisjoint(s.source.key for s in theirs)
        first.record(mine[0].source.key, {"stage": "created", "transcription_id": "t-1"})
        assert second.claim(10, retry_failed=False) == []
        assert second.unfinished(retry_failed=False) == 5
        # The first worker stops renewing (it died): after the lease, its sources,
        # with the step each had reached, pass to the second.
        time.sleep(0.7)
        taken = second.claim(10, retry_failed=False)
        assert sorted(s.source.key for s in taken) == sorted(s.source.key for s in mine)
        created = next(s for s in taken if s.source.key == mine[0].source.key)
        assert (created.stage, created.transcription_id, created.resumed) == ("created", "t-1", True)
        second.record(created.source.key, {"stage": "done", "cleaned": True})
        assert second.unfinished(retry_failed=False) == 4
        assert second.counts() == {"new": 4, "done": 1}
    finally:
        first.close()
        second.close()


def test_three_workers_share_a_job_and_survive_a_killed_one(
    emu: Emulator, make_audio: Callable[[int], list[str]], tmp_path: Path, postgres_url: str
) -> None:
    make_audio(1000)
    emu.limits.max_pending_transcriptions = 12
    emu.processing_sec = 0.01
    schema = _job()
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute(f"CREATE SCHEMA {schema}")
    # The job's table lives in its own schema, named in the URL as any libpq option.
    job = f"{postgres_url}?options=-csearch_path%3D{schema}"
    command = [sys.executable, "-m", "soniox_cli", "--base-url", emu.base_url, "--api-key", emu.api_key]
    command += ["batch", str(tmp_path / "audio"), "--output-dir", str(tmp_path / "out"), "--job", job]
    command += ["--concurrency", "6", "--lease", "1.5"]
    workers = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    out = tmp_path / "out"
    while len(list(out.rglob("*.txt"))) < 300:
        time.sleep(0.02)
    workers[0].send_signal(signal.SIGKILL)
    workers[0].wait()
    for worker in workers[1:]:
        _, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err
    assert len(list(out.rglob("*.txt"))) == 1000
    assert emu.created["transcriptions"] == 1000
    assert leftovers(emu) == (0, 0)
    with psycopg.connect(job) as db:
        row = db.execute(
            "SELECT count(*), count(*) FILTER (WHERE stage = 'done' AND cleaned = 1) FROM soniox_batch"
        )
        assert row.fetchone() == (1000, 1000)
