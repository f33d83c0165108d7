"""``soniox batch INPUT... --output-dir DIR``: transcribe many files, resumably.

Inputs are read lazily (files, directories walked for audio, ``@list`` files of
URLs or paths, ``-`` for stdin); the SDK's ``transcribe_many`` does the work and
records progress in a job store (SQLite beside the outputs by default). Each
transcript is written atomically (a temporary name, then a rename), so a killed
run never leaves a half-written output.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import shlex
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from typing import IO, Any
from urllib.parse import urlsplit

from soniox_core._ops.batch import BatchResult, BatchSource, SourceState, classify_source
from soniox_core.models import TranscriptionTranscript
from soniox_sync._jobs import JobStore, open_job_store

from ._connect import Connection
from ._errors import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, CLIError
from ._output import Output
from ._progress import StatusLine
from ._render import render
from ._transcribe import build_config

AUDIO_EXTENSIONS = frozenset(
    {
        ".wav",
        ".mp3",
        ".flac",
        ".ogg",
        ".opus",
        ".m4a",
        ".aac",
        ".aiff",
        ".aif",
        ".amr",
        ".webm",
        ".mp4",
        ".wma",
    }
)
_EXTENSIONS = {"text": "txt", "json": "json", "srt": "srt", "vtt": "vtt"}
JOB_FILE = ".soniox-batch.sqlite"


def _lines(stream: IO[str]) -> Iterator[str]:
    for line in stream:
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


def _walk(directory: str) -> Iterator[str]:
    for root, dirs, names in os.walk(directory):
        dirs.sort()
        for name in sorted(names):
            if os.path.splitext(name)[1].lower() in AUDIO_EXTENSIONS:
                yield os.path.join(root, name)


def _one(item: str) -> Iterator[str]:
    if item.startswith(("http://", "https://")):
        yield item
    elif os.path.isdir(item):
        for path in _walk(item):
            yield os.path.abspath(path)
    else:
        source = classify_source(item)
        yield os.path.abspath(item) if source.kind == "path" else item


def expand_inputs(inputs: Sequence[str], stdin: IO[str]) -> Iterator[str]:
    """Every source the command line names, one at a time (nothing is held)."""
    for item in inputs:
        if item == "-":
            for line in _lines(stdin):
                yield from _one(line)
        elif item.startswith("@"):
            with open(item[1:], encoding="utf-8") as listing:
                for line in _lines(listing):
                    yield from _one(line)
        else:
            if not item.startswith(("http://", "https://")) and not os.path.exists(item):
                raise CLIError(f"no such file or directory: {item}", exit_code=EXIT_USAGE)
            yield from _one(item)


def output_stem(source: BatchSource, cwd: str) -> str:
    """Where a source's outputs go under the output directory, without extension:
    a path mirrors its place under the current directory (or its absolute
    path), a URL goes under ``urls/HOST/`` with a digest, a file id under ``files/``."""
    if source.kind == "path":
        path = os.path.abspath(source.value)
        relative = os.path.relpath(path, cwd)
        if relative.startswith(os.pardir):
            relative = path.lstrip(os.sep)
        return os.path.splitext(relative)[0]
    if source.kind == "url":
        parts = urlsplit(source.value)
        name = os.path.splitext(os.path.basename(parts.path))[0] or "audio"
        digest = hashlib.sha256(source.value.encode()).hexdigest()[:10]
        return os.path.join("urls", parts.hostname or "host", f"{name}-{digest}")
    return os.path.join("files", source.value)


def write_atomically(path: str, text: str) -> None:
    """Write ``text`` to ``path`` so that it is either whole or absent."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    partial = path + ".partial"
    with open(partial, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)


class _Writer:
    def __init__(self, output_dir: str, formats: Sequence[str]) -> None:
        self.output_dir = output_dir
        self.formats = formats
        self.cwd = os.getcwd()

    def __call__(self, source: BatchSource, transcript: TranscriptionTranscript) -> None:
        stem = os.path.join(self.output_dir, output_stem(source, self.cwd))
        for fmt in self.formats:
            write_atomically(f"{stem}.{_EXTENSIONS[fmt]}", render(transcript, fmt))


class _CountingStore:
    """The job store, counting what is claimed and not yet released (running)."""

    def __init__(self, store: JobStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self.running = 0
        self.blocking = getattr(store, "blocking", True)

    def claim(self, count: int, retry_failed: bool) -> list[SourceState]:
        claimed = self._store.claim(count, retry_failed)
        with self._lock:
            self.running += len(claimed)
        return claimed

    def release(self, key: str) -> None:
        self._store.release(key)
        with self._lock:
            self.running -= 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


class _Progress:
    def __init__(self, line: StatusLine, total: int | None, already: int) -> None:
        self.line = line
        self.total = total
        self.already = already
        self.done = self.failed = self.skipped = 0
        self.started = time.monotonic()
        self._last = 0.0

    def update(self, result: BatchResult, running: int, *, force: bool = False) -> None:
        if result.skipped:
            self.skipped += 1
        elif result.ok:
            self.done += 1
        else:
            self.failed += 1
        self.draw(running, force=force)

    def draw(self, running: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        finished = self.done + self.failed + self.skipped
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        text = f"done {self.done + self.already}  failed {self.failed}  running {running}"
        if self.total is not None:
            queued = max(0, self.total - self.already - finished - running)
            eta = f"{queued / rate:.0f}s" if rate > 0 else "?"
            text += f"  queued {queued}  {rate:.1f}/s  ETA {eta}"
        else:
            text += f"  {rate:.1f}/s"
        self.line.show(text)


def _resume_command(argv: Sequence[str], job: str) -> str:
    words = list(argv)
    if "--job" not in words and not any(w.startswith("--job=") for w in words):
        words += ["--job", job]
    return shlex.join(["soniox", *words])


def _write_failures(path: str, failures: Iterator[SourceState]) -> int:
    count = 0
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as out:
        if path.endswith((".jsonl", ".json")):
            for state in failures:
                out.write(json.dumps(_failure_row(state)) + "\n")
                count += 1
        else:
            writer = csv.DictWriter(
                out, ["source", "error_type", "message", "request_id", "transcription_id"]
            )
            writer.writeheader()
            for state in failures:
                writer.writerow(_failure_row(state))
                count += 1
    return count


def _failure_row(state: SourceState) -> dict[str, Any]:
    return {
        "source": state.source.value,
        "error_type": state.error_type,
        "message": state.error_message,
        "request_id": state.request_id,
        "transcription_id": state.transcription_id,
    }


def _count(inputs: Sequence[str]) -> int | None:
    # A first pass to know the total (for the ETA); not possible for stdin.
    if "-" in inputs:
        return None
    return sum(1 for _ in expand_inputs(inputs, sys.stdin))


def run(args: argparse.Namespace, conn: Connection, output: Output) -> int:
    """Run ``soniox batch``; returns the exit code (1 if any source failed)."""
    formats = list(dict.fromkeys(args.format or ["text"]))
    output_dir = os.path.abspath(args.output_dir)
    os.makedirs(output_dir, exist_ok=True)
    job = args.job or os.path.join(output_dir, JOB_FILE)
    if args.concurrency is not None and args.concurrency < 1:
        raise CLIError("--concurrency must be at least 1", exit_code=EXIT_USAGE)
    total = _count(args.inputs)
    store = _CountingStore(open_job_store(job, args.lease))
    already = store.counts().get("done", 0)
    line = StatusLine(sys.stderr, output.stderr_is_tty)
    progress = _Progress(line, total, already)
    results = conn.client.stt.transcribe_many(
        expand_inputs(args.inputs, sys.stdin),
        model=args.model,
        config=build_config(args),
        client_reference_id=args.client_reference_id,
        concurrency=args.concurrency,
        job=store,
        keep=args.keep,
        retry_failed=args.retry_failed,
        writer=_Writer(output_dir, formats),
    )
    interrupted = False
    try:
        try:
            for result in results:
                progress.update(result, store.running)
        finally:
            close = getattr(results, "close", None)
            if close is not None:
                close()
    except KeyboardInterrupt:
        interrupted = True
    progress.draw(0, force=True)
    line.clear()
    try:
        counts = store.counts()
        failures_path = args.failures or os.path.join(output_dir, "failures.csv")
        failed = _write_failures(failures_path, store.failures()) if counts.get("failed") else 0
    finally:
        store.close()
    elapsed = time.monotonic() - progress.started
    print(
        f"soniox batch: {counts.get('done', 0)} done, {counts.get('failed', 0)} failed"
        f" ({progress.done} transcribed in this run, {elapsed:.1f}s)",
        file=sys.stderr,
    )
    if failed:
        print(f"soniox batch: failures listed in {failures_path}", file=sys.stderr)
    if interrupted:
        print("soniox batch: interrupted; resume with:", file=sys.stderr)
        print("  " + _resume_command(sys.argv[1:] if args.argv is None else args.argv, job), file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_ERROR if counts.get("failed") else EXIT_OK


def add_parser(command: Any, recognition_options: Any, formats: Sequence[str]) -> None:
    """Register ``batch`` (``command`` makes a sub-parser, as in ``_args``)."""
    batch = command("batch", "transcribe many files or URLs into a directory, resumably")
    batch.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="audio file, directory (searched for audio), http(s) URL, @LIST (one per line) or - (stdin)",
    )
    batch.add_argument("--output-dir", required=True, metavar="DIR", help="where transcripts are written")
    batch.add_argument(
        "-f",
        "--format",
        action="append",
        choices=formats,
        help="output format; repeat for several (default text)",
    )
    batch.add_argument(
        "--concurrency", type=int, metavar="N", help="transcriptions at once (default: the account's)"
    )
    batch.add_argument(
        "--job",
        metavar="PATH|URL",
        help=f"job store: SQLite file or postgresql:// URL (default DIR/{JOB_FILE})",
    )
    batch.add_argument("--keep", action="store_true", help="keep uploads and transcriptions on the service")
    batch.add_argument("--retry-failed", action="store_true", help="try again what an earlier run failed")
    batch.add_argument(
        "--failures", metavar="PATH", help="failures list, .csv or .jsonl (default DIR/failures.csv)"
    )
    batch.add_argument(
        "--client-reference-id", metavar="PREFIX", help="prefix of each reference (for cleanup)"
    )
    batch.add_argument("--lease", type=float, default=30.0, metavar="SEC", help=argparse.SUPPRESS)
    batch.set_defaults(argv=None)
    recognition_options(batch)
