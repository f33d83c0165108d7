"""W8: memory of writing the longest Text-to-Speech text (5,000 characters) to a file.

    .venv/bin/python benchmarks/bench_tts_memory.py [--reps 3] [--official-python PATH]

Starts the emulator (``python -m soniox_emulator``) in its own process, so the server's
memory is not counted, and then, for each client, runs fresh processes that each
generate the 5,000-character text once into a file with ``tts.generate_to_file``. A
short generation first warms up imports and the connection; then the peak RSS
(``VmHWM``, reset just before) is compared with the RSS before the call. Ours writes
chunks as they arrive; the official SDK 2.10 holds the whole audio in memory first.

Target: ours grows by less than 16 MiB. Prints one Markdown table (medians).

The child side (``--child``) imports only the standard library at module level, since
it also runs in the official SDK's venv.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OFFICIAL_CANDIDATES = [
    HERE / ".work" / "venv-official" / "bin" / "python",
    Path("/tmp/soniox-official-venv/bin/python"),
]
TEXT = ("The quick brown fox jumps over the lazy dog. " * 120)[:5000]
API_KEY = "bench-key"
TARGET_MIB = 16.0
OURS = ["ours-sync", "ours-asyncio", "ours-trio"]
OFFICIAL = ["official-sync", "official-async"]


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")


def child(client: str, url: str, out: str) -> None:
    """Generate TEXT into ``out`` once with ``client``; print the measurement as JSON."""
    import gc

    kwargs = {"api_key": API_KEY, "api_base_url": url + "/v1", "tts_api_base_url": url}
    call = {"text": TEXT, "voice": "Adrian", "language": "en"}
    warm = {"text": "warm up", "voice": "Adrian", "language": "en"}

    def measure(run: object) -> dict[str, float]:
        gc.collect()
        before = _status_kib("VmRSS:")
        _reset_peak()
        t0 = time.perf_counter()
        run()  # type: ignore[operator]
        seconds = time.perf_counter() - t0
        peak = _status_kib("VmHWM:")
        return {"seconds": seconds, "growth_mib": (peak - before) / 1024, "bytes": os.path.getsize(out)}

    if client in ("ours-sync", "official-sync"):
        if client == "ours-sync":
            from soniox_sync import SonioxClient
        else:
            from soniox import SonioxClient  # type: ignore[no-redef]
        with SonioxClient(**kwargs) as sync_client:
            sync_client.tts.generate_to_file(out, **warm)
            metrics = measure(lambda: sync_client.tts.generate_to_file(out, **call))
    else:
        if client.startswith("ours"):
            from soniox_async import AsyncSonioxClient
        else:
            from soniox import AsyncSonioxClient  # type: ignore[no-redef]
        result: dict[str, float] = {}

        async def main() -> None:
            async with AsyncSonioxClient(**kwargs) as async_client:
                await async_client.tts.generate_to_file(out, **warm)
                gc.collect()
                before = _status_kib("VmRSS:")
                _reset_peak()
                t0 = time.perf_counter()
                await async_client.tts.generate_to_file(out, **call)
                result["seconds"] = time.perf_counter() - t0
                result["growth_mib"] = (_status_kib("VmHWM:") - before) / 1024
                result["bytes"] = os.path.getsize(out)

        if client == "ours-trio":
            import trio

            trio.run(main)
        else:
            import asyncio

            asyncio.run(main())
        metrics = result
    print(json.dumps({"client": client, "metrics": metrics}))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start_emulator() -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "soniox_emulator", "--port", str(port), "--api-key", API_KEY],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the emulator did not start")


def _official_python(given: str | None) -> Path | None:
    for candidate in [Path(given)] if given else OFFICIAL_CANDIDATES:
        if candidate.exists():
            return candidate
    return None


def main(argv: list[str]) -> int:
    reps = int(argv[argv.index("--reps") + 1]) if "--reps" in argv else 3
    given = argv[argv.index("--official-python") + 1] if "--official-python" in argv else None
    official = _official_python(given)
    clients = OURS + (OFFICIAL if official else [])
    process, url = _start_emulator()
    results: dict[str, list[dict[str, float]]] = {c: [] for c in clients}
    try:
        with tempfile.TemporaryDirectory() as work:
            for _ in range(reps):
                for client in clients:
                    python = str(official) if client in OFFICIAL else sys.executable
                    out = os.path.join(work, f"{client}.wav")
                    run = subprocess.run(
                        [python, __file__, "--child", client, url, out],
                        capture_output=True,
                        text=True,
                        timeout=300,
                        check=False,
                    )
                    if run.returncode != 0:
                        print(run.stderr[-2000:], file=sys.stderr)
                        return 1
                    results[client].append(json.loads(run.stdout.strip().splitlines()[-1])["metrics"])
    finally:
        process.terminate()
        process.wait(timeout=10)
    print(f"W8: `tts.generate_to_file` of a 5,000-character text, median of {reps} fresh processes\n")
    print("| client | audio MiB | seconds | peak RSS growth MiB | < 16 MiB |")
    print("|---|---|---|---|---|")
    for client, runs in results.items():
        growth = statistics.median(r["growth_mib"] for r in runs)
        seconds = statistics.median(r["seconds"] for r in runs)
        size = runs[0]["bytes"] / (1 << 20)
        verdict = ("yes" if growth < TARGET_MIB else "NO") if client in OURS else "-"
        print(f"| {client} | {size:.1f} | {seconds:.2f} | {growth:.1f} | {verdict} |")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
    else:
        raise SystemExit(main(sys.argv[1:]))
