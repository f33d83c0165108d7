"""W9: batch transcription under a concurrency limit, and its memory.

    .venv/bin/python benchmarks/bench_batch.py [--sources 2000] [--latency 0.5] [--limit 50]
        [--memory-sources 2000,20000] [--official-python PATH] [--loop-sample 30]

A loopback server (the emulator, in its own process) takes ``--latency`` seconds per
transcription and answers 429 past ``--limit`` pending transcriptions (the account's
concurrency limit, which ``GET /v1/concurrency-limits`` also reports). Every client
transcribes ``--sources`` audio URLs and deletes what it created:

- ``ours-*``: ``stt.transcribe_many`` (asyncio, trio, sync);
- ``official-loop``: a loop over the official SDK's ``transcribe_and_wait`` (polling every
  0.1 s, ``delete_after``); timed on ``--loop-sample`` sources and scaled to ``--sources``;
- ``official-gather``: ``asyncio.gather`` over the official async client's
  ``transcribe_and_wait`` for every source at once; its failures are counted.

The limit's bound is sources x latency / limit; ours must finish within 1.2x of it.
Then the memory check: peak RSS of ``ours-asyncio`` and ``ours-sync`` at each of
``--memory-sources`` (no latency), which must stay flat.

Each client runs in a fresh process; the child side imports only the standard library
at module level, since it also runs in the official SDK's venv.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OFFICIAL_CANDIDATES = [
    HERE / ".work" / "venv-official" / "bin" / "python",
    Path("/tmp/soniox-official-venv/bin/python"),
    Path("/tmp/off/bin/python"),
]
API_KEY = "bench-key"
OURS = ["ours-asyncio", "ours-trio", "ours-sync"]


def _peak_rss_mib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return 0.0


def _urls(count: int) -> list[str]:
    return [f"https://audio.example/w9/{i:06d}.mp3" for i in range(count)]


# --- children ------------------------------------------------------------------------


def serve(latency: float, limit: int) -> None:
    """The server process: print the port, then serve until killed."""
    from soniox_emulator import Emulator

    emulator = Emulator(api_key=API_KEY, queued_sec=0.0, processing_sec=latency)
    emulator.limits.max_pending_transcriptions = limit
    emulator.limits.retry_after_sec = 0.1
    emulator.usage.limits["project"]["transcribe_concurrent"] = limit
    emulator.start()
    print(emulator.base_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        emulator.stop()


def child(client: str, base_url: str, count: int) -> dict[str, float]:
    urls = _urls(count)
    failures = 0
    started = time.perf_counter()
    if client == "ours-sync":
        from soniox_sync import SonioxClient

        with SonioxClient(api_key=API_KEY, api_base_url=base_url) as sync_client:
            for result in sync_client.stt.transcribe_many(iter(urls)):
                failures += not result.ok
                if not result.ok:
                    print(f"failed: {result.error_type}: {result.error}", file=sys.stderr)
    elif client in ("ours-asyncio", "ours-trio"):
        import anyio

        from soniox_async import AsyncSonioxClient

        async def main() -> int:
            failed = 0
            async with AsyncSonioxClient(api_key=API_KEY, api_base_url=base_url) as async_client:
                results = async_client.stt.transcribe_many(iter(urls))
                async for result in results:
                    failed += not result.ok
            return failed

        failures = anyio.run(main, backend=client.split("-")[1])
    elif client == "official-loop":
        from soniox import SonioxClient as Official

        official = Official(api_key=API_KEY, api_base_url=base_url)
        for url in urls:
            try:
                official.stt.transcribe_and_wait(audio_url=url, delete_after=True, wait_interval_sec=0.1)
            except Exception:
                failures += 1
    elif client == "official-gather":
        import asyncio

        from soniox import AsyncSonioxClient as OfficialAsync

        async def gather() -> int:
            official = OfficialAsync(api_key=API_KEY, api_base_url=base_url)

            async def one(url: str) -> bool:
                try:
                    await official.stt.transcribe_and_wait(
                        audio_url=url, delete_after=True, wait_interval_sec=0.1
                    )
                    return True
                except Exception:
                    return False

            done = await asyncio.gather(*(one(u) for u in urls))
            return sum(not ok for ok in done)

        failures = asyncio.run(gather())
    else:
        raise SystemExit(f"unknown client {client}")
    return {"seconds": time.perf_counter() - started, "failures": failures, "peak_rss_mib": _peak_rss_mib()}


# --- parent --------------------------------------------------------------------------


def _start_server(latency: float, limit: int) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(latency), str(limit)], stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None
    return server, server.stdout.readline().strip()


def _run(python: str, client: str, base_url: str, count: int) -> dict[str, float]:
    out = subprocess.run(
        [python, __file__, "--child", client, base_url, str(count)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _official_python(given: str | None) -> str | None:
    if given:
        return given
    for candidate in OFFICIAL_CANDIDATES:
        if candidate.exists():
            return str(candidate)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--loop-sample", type=int, default=30)
    parser.add_argument("--memory-sources", default="2000,20000")
    parser.add_argument("--official-python")
    parser.add_argument("--no-official", action="store_true", help="only ours")
    parser.add_argument("--serve", nargs=2, metavar=("LATENCY", "LIMIT"), help=argparse.SUPPRESS)
    parser.add_argument("--child", nargs=3, metavar=("CLIENT", "URL", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(float(args.serve[0]), int(args.serve[1]))
        return 0
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], int(args.child[2]))))
        return 0

    bound = args.sources * args.latency / args.limit
    official = None if args.no_official else _official_python(args.official_python)
    rows: list[str] = []
    server, base_url = _start_server(args.latency, args.limit)
    try:
        for client in OURS:
            got = _run(sys.executable, client, base_url, args.sources)
            ratio = got["seconds"] / bound
            rows.append(
                f"| {client} | {args.sources} | {got['seconds']:.1f} | {ratio:.2f}x | {got['failures']:.0f}"
                f" | {'yes' if ratio <= 1.2 and not got['failures'] else 'NO'} |"
            )
            print(rows[-1], flush=True)
        if official:
            got = _run(official, "official-loop", base_url, args.loop_sample)
            scaled = got["seconds"] * args.sources / args.loop_sample
            rows.append(
                f"| official-loop (timed on {args.loop_sample}, scaled) | {args.sources} | {scaled:.0f}"
                f" | {scaled / bound:.1f}x | {got['failures']:.0f} | - |"
            )
            print(rows[-1], flush=True)
            got = _run(official, "official-gather", base_url, args.sources)
            rows.append(
                f"| official-gather | {args.sources} | {got['seconds']:.1f} | {got['seconds'] / bound:.2f}x"
                f" | {got['failures']:.0f} | - |"
            )
            print(rows[-1], flush=True)
    finally:
        server.terminate()
        server.wait()

    memory: list[str] = []
    server, base_url = _start_server(0.0, args.limit)
    try:
        for client in ("ours-asyncio", "ours-sync"):
            peaks = []
            for count in (int(n) for n in args.memory_sources.split(",")):
                got = _run(sys.executable, client, base_url, count)
                peaks.append(got["peak_rss_mib"])
                cells = [client, count, f"{got['seconds']:.1f}", f"{got['failures']:.0f}"]
                cells.append(f"{got['peak_rss_mib']:.1f}")
                memory.append("| " + " | ".join(str(c) for c in cells) + " |")
                print(memory[-1], flush=True)
    finally:
        server.terminate()
        server.wait()

    print(
        f"\nBound: {args.sources} x {args.latency} s / {args.limit} = {bound:.1f} s\n\n"
        "| client | sources | seconds | / bound | failures | within 1.2x |\n|---|---|---|---|---|---|"
    )
    print("\n".join(rows))
    print("\n| client | sources | seconds | failures | peak RSS MiB |\n|---|---|---|---|---|")
    print("\n".join(memory))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
