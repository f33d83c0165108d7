"""W10: memory of writing the longest Text-to-Speech text (5,000 characters) to a file.

    .venv/bin/python benchmarks/bench_w10_tts_rest.py [--reps 3] [--official-python PATH]

For each client, fresh processes each generate the 5,000-character text (the most
``POST /tts`` accepts) once into a file with ``tts.generate_to_file``, against the
emulator in its own process. A short generation first warms up imports and the
connection; then the peak RSS (``VmHWM``, reset just before) is compared with the RSS
before the call. Ours writes chunks as they arrive; the official SDK 2.10 holds the
whole audio in memory first. ``--tiny`` uses 200 characters (a smoke run).

Target: ours grows by less than 16 MiB. Prints one Markdown table (medians); see
``bench_tts_common`` for the other modes. Only the standard library is imported at
module level, since the child side also runs in the official SDK's venv.
"""

from __future__ import annotations

import os
import sys
import time

from bench_tts_common import client_kwargs, main, reset_peak, status_kib

FULL_CHARS = 5000
TINY_CHARS = 200


def child(client: str, urls: dict[str, str], out: str, size: str) -> dict[str, float]:
    """Generate ``size`` characters into ``out`` once with ``client``; the measurement."""
    import gc

    text = ("The quick brown fox jumps over the lazy dog. " * 120)[: int(size)]
    kwargs = client_kwargs(urls)
    call = {"text": text, "voice": "Adrian", "language": "en"}
    warm = {"text": "warm up", "voice": "Adrian", "language": "en"}
    result: dict[str, float] = {}

    def start() -> None:
        gc.collect()
        result["before"] = status_kib("VmRSS:")
        reset_peak()
        result["t0"], result["cpu0"] = time.perf_counter(), time.process_time()

    def stop() -> dict[str, float]:
        return {
            "seconds": time.perf_counter() - result["t0"],
            "cpu_s": time.process_time() - result["cpu0"],
            "growth_mib": (status_kib("VmHWM:") - result["before"]) / 1024,
            "audio_mib": os.path.getsize(out) / (1 << 20),
        }

    if client in ("ours-sync", "official-sync"):
        if client == "ours-sync":
            from soniox_sync import SonioxClient
        else:
            from soniox import SonioxClient  # type: ignore[no-redef]
        with SonioxClient(**kwargs) as sync_client:
            sync_client.tts.generate_to_file(out, **warm)
            start()
            sync_client.tts.generate_to_file(out, **call)
            return stop()
    if client.startswith("ours"):
        from soniox_async import AsyncSonioxClient
    else:
        from soniox import AsyncSonioxClient  # type: ignore[no-redef]
    metrics: dict[str, float] = {}

    async def run() -> None:
        async with AsyncSonioxClient(**kwargs) as async_client:
            await async_client.tts.generate_to_file(out, **warm)
            start()
            await async_client.tts.generate_to_file(out, **call)
            metrics.update(stop())

    if client == "ours-trio":
        import trio

        trio.run(run)
    else:
        import asyncio

        asyncio.run(run())
    return metrics


if __name__ == "__main__":
    raise SystemExit(
        main(
            sys.argv[1:],
            workload="W10",
            script=__file__,
            size=lambda tiny: str(TINY_CHARS if tiny else FULL_CHARS),
            title=lambda tiny: (
                f"W10: `tts.generate_to_file` of {(TINY_CHARS if tiny else FULL_CHARS):,} chars"
            ),
            columns=[
                ("audio_mib", "audio MiB", "{:.1f}"),
                ("seconds", "seconds", "{:.2f}"),
                ("cpu_s", "CPU s", "{:.2f}"),
                ("growth_mib", "peak RSS growth MiB", "{:.1f}"),
            ],
            child=child,
            timeout=300,
        )
    )
