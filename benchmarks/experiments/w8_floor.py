"""W8's floor: how little CPU and memory 100 realtime sessions can cost on this stack.

W8 itself (``benchmarks/run.sh -w W8``) runs 60 s sessions; this runs the same harness
(``runner.realtime_many``) for a shorter time, for quick A/B comparisons while working
on the realtime driver. The floor clients are ``bench_floor_ws.py``'s. Every run is a
fresh process.

    python benchmarks/experiments/w8_floor.py --seconds 20 floor-asyncio ours-asyncio official-async

Needs ``benchmarks/run.py --setup-only`` first (node's ``ws``, the official SDK's venv).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
sys.path.insert(0, str(BENCH))

from bench_floor_ws import FloorRealtimeClient  # noqa: E402


def child(client: str, url: str, sessions: int, seconds: int) -> None:
    import runner

    sizes = {"w8_sessions": sessions, "w8_seconds": seconds, "w6_chunk_ms": 120}

    async def go() -> dict[str, float]:
        if client.startswith("floor"):
            c: Any = FloorRealtimeClient(url, trio=client.endswith("trio"))
        else:
            c = runner.make_async(client, "http://127.0.0.1:9", url)
        return await runner.realtime_many(client, c, sizes)

    if client.endswith("trio"):
        import trio

        res = trio.run(go)
    else:
        res = asyncio.run(go())
    print(json.dumps(res))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("clients", nargs="*")
    p.add_argument("--sessions", type=int, default=100)
    p.add_argument("--seconds", type=int, default=20)
    p.add_argument("--reps", type=int, default=1)
    p.add_argument("--child", nargs=2, metavar=("CLIENT", "URL"))
    a = p.parse_args()
    if a.child:
        child(a.child[0], a.child[1], a.sessions, a.seconds)
        return
    from bench_servers import NodeWs

    server = NodeWs()
    server.start()
    official_py = BENCH / ".work" / "venv-official" / "bin" / "python"
    try:
        for rep in range(a.reps):
            for client in a.clients:
                py = str(official_py) if client.startswith("official") else sys.executable
                out = subprocess.run(
                    [
                        py,
                        __file__,
                        "--child",
                        client,
                        server.url,
                        "--sessions",
                        str(a.sessions),
                        "--seconds",
                        str(a.seconds),
                    ],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if out.returncode:
                    print(client, "FAILED", out.stderr[-2000:])
                    continue
                r = json.loads(out.stdout.strip().splitlines()[-1])
                print(
                    f"rep {rep} {client:15s} cpu {r['cpu_s']:6.2f} s  "
                    f"{r['cpu_ms_per_session']:6.1f} ms/session  "
                    f"peak {r['peak_mib']:5.1f} MiB  growth {r['kib_per_session']:5.1f} KiB/session",
                    flush=True,
                )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
