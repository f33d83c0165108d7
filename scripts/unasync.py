"""Generate ``soniox_sync`` from ``soniox_async``, whole files at a time.

    python scripts/unasync.py          # rewrite the generated files in src/soniox_sync/
    python scripts/unasync.py --check  # fail if any is out of date, or a stray file exists (CI)

Every module of ``soniox_sync`` is generated from its ``soniox_async`` namesake,
except ``_backend.py``: the one hand-written pair, where every real difference
between the two lives. The rules below are plain text rewrites applied to every
file in order; a line ending in ``# unasync: drop`` is left out of the sync file.
Every rule must apply at least once somewhere, so a rename in the async source
that a rule no longer matches fails loudly instead of leaving the twins apart.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASYNC_DIR = ROOT / "src/soniox_async"
SYNC_DIR = ROOT / "src/soniox_sync"

# Generated, in soniox_sync, from the file of the same name in soniox_async.
GENERATED = [
    "__init__.py",
    "_audio_file.py",
    "_batch.py",
    "_body.py",
    "_client.py",
    "_client_account.py",
    "_client_tts.py",
    "_deadline.py",
    "_jobs.py",
    "_pool.py",
    "_realtime.py",
    "_realtime_tts.py",
    "_runner.py",
    "_trailers.py",
    "_transport_errors.py",
    "_ws_driver.py",
    "utils.py",
]
# Hand-written in each package, with the same names.
PAIRED = ["_backend.py"]
# Async-only helpers that soniox_async/_backend.py wraps; no sync counterpart.
ASYNC_ONLY = ["_network.py", "_upload.py"]

HEADER = (
    "# Generated from {name} by scripts/unasync.py: do not edit.\n"
    "# Change the async source and run `python scripts/unasync.py`.\n"
)

# Tests written once for both clients: the async file is the source.
TEST_PAIRS = [("tests/realtime/test_rt_async.py", "tests/realtime/test_rt_sync.py")]

DROP = re.compile(r"^.*# unasync: drop\n", re.MULTILINE)
DROP_BLOCK = re.compile(r"^# unasync: begin-drop\n.*?^# unasync: end-drop\n(\n\n)?", re.MULTILINE | re.DOTALL)

RULES: list[tuple[str, str]] = [
    # Docstrings and prose.
    (
        r"soniox_async: the Soniox SDK for asyncio and trio \(anyio over httpcore\)\.",
        "soniox_sync: the blocking Soniox SDK (httpcore's sync pool), safe to share between threads.",
    ),
    (r"\bsoniox_async\b", "soniox_sync"),
    (
        r"This file is the source of ``soniox_sync/_client.py``, which\n"
        r"``scripts/unasync.py`` generates from it; edit this one\.",
        "Generated from ``soniox_async/_client.py``; edit that one.",
    ),
    (
        r"This file is the source of ``soniox_sync/(\w+)\.py``,\nwhich ``scripts/unasync.py`` "
        r"generates from it; edit this one\.",
        r"Generated from ``soniox_async/\1.py``; edit that one.",
    ),
    (r"Asynchronous Soniox REST client", "Blocking Soniox REST client"),
    (r"outstanding async HTTP connections", "outstanding HTTP connections"),
    (r" \(an async handler is awaited\)", ""),
    (
        r"This file runs on asyncio and trio; ``scripts/unasync.py`` generates\n"
        r"``test_rt_sync.py`` from it for the blocking client\.",
        "This is the blocking client's run, generated from ``test_rt_async.py``.",
    ),
    # Tests.
    (r"\brt_async_support\b", "rt_sync_support"),
    (r"anyio_backend: str", ""),
    # Types.
    (r"import AsyncGenerator, AsyncIterator, Generator,", "import Generator, Iterator,"),
    (r" \| AsyncIterable\[bytes\]", ""),
    (r"\bAsyncIterable, ", ""),
    (r"Awaitable\[None\] \| None", "object"),
    (r"Awaitable\[None\]", "None"),
    (r"\bAwaitable, ", ""),
    (r"\bAsync(?=[A-Z])", ""),
    (r"\bAbstractAsyncContextManager\b", "AbstractContextManager"),
    (r"\baclosing\b", "closing"),
    (r"\bStopAsyncIteration\b", "StopIteration"),
    (r"await self\._chunks\.__anext__\(\)", "next(self._chunks)"),
    # Statements.
    (r"\basync def ", "def "),
    (r"\basync for\b", "for"),
    (r"\basync with\b", "with"),
    (r"\bawait ", ""),
    (r"__aenter__", "__enter__"),
    (r"__aexit__", "__exit__"),
    (r"__aiter__", "__iter__"),
    (r"\baclose\b", "close"),
    (r"\baiter_stream\b", "iter_stream"),
    # Imports back in sorted order.
    (r"import Iterator, Callable, Iterable, Mapping", "import Callable, Iterable, Iterator, Mapping"),
    (r"import Iterator, Callable, Iterable\n", "import Callable, Iterable, Iterator\n"),
    (r"import Iterator, Iterable\n", "import Iterable, Iterator\n"),
    # The official soniox.utils names: throttle_audio_async is throttle_audio in sync, and
    # reads 32 KiB chunks by default where throttle_audio reads 4 KiB ones.
    (r"\b(stream|throttle)_audio_async\b", r"\1_audio"),
    (r"(chunk_size_bytes: int = )32 \* 1024", r"\g<1>4096"),
    (r"\bstart_(audio|text)_task\b", r"start_\1_thread"),
    # A background job hands back its thread in sync (nothing, async).
    (r"\n        self\._workers\.start\(run, ", "\n        return self._workers.start(run, "),
    (r"\n        self\._driver\.start_background\(", "\n        return self._driver.start_background("),
]


def transform(source: str, name: str, fired: set[str]) -> str:
    """The sync text of one async module; records which rules matched."""
    source = DROP_BLOCK.sub("", DROP.sub("", source))
    for pattern, replacement in RULES:
        source, count = re.subn(pattern, replacement, source)
        if count:
            fired.add(pattern)
    return HEADER.format(name=name) + source


def main(argv: list[str]) -> int:
    check = "--check" in argv
    fired: set[str] = set()
    stale: list[Path] = []
    outputs = {
        SYNC_DIR / name: transform((ASYNC_DIR / name).read_text(), f"src/soniox_async/{name}", fired)
        for name in GENERATED
    }
    for source, target in TEST_PAIRS:
        outputs[ROOT / target] = transform((ROOT / source).read_text(), source, fired)
    unused = [pattern for pattern, _ in RULES if pattern not in fired]
    if unused:
        print(f"unasync: rules that matched nothing (update them): {unused}", file=sys.stderr)
        return 1
    for target, generated in outputs.items():
        current = target.read_text() if target.exists() else None
        if generated == current:
            continue
        if check:
            stale.append(target)
        else:
            target.write_text(generated)
            print(f"wrote {target.relative_to(ROOT)}")
    # Nothing hand-written may hide in soniox_sync beside the paired module.
    known = set(GENERATED) | set(PAIRED)
    strays = sorted(p for p in SYNC_DIR.glob("*.py") if p.name not in known)
    for name in PAIRED:
        if not (ASYNC_DIR / name).exists() or not (SYNC_DIR / name).exists():
            print(f"unasync: the paired module {name} must exist in both packages", file=sys.stderr)
            return 1
    if strays:
        print(f"unasync: unexpected hand-written files in soniox_sync: {strays}", file=sys.stderr)
        return 1
    if stale:
        names = ", ".join(str(p.relative_to(ROOT)) for p in stale)
        print(f"unasync: out of date: {names}; run python scripts/unasync.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
