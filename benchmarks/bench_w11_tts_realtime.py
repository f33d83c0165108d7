"""W11: memory of a 30-minute realtime text-to-speech session streamed to a file.

    .venv/bin/python benchmarks/bench_w11_tts_realtime.py [--reps 3] [--official-python PATH]

For each client, fresh processes each open one realtime TTS stream
(``realtime.tts.connect``, 24 kHz ``pcm_s16le``) to the emulator (in its own process,
its per-stream limit raised), feed it text word by word as an LLM would
(``send_text_chunks`` from a generator, in a thread or task beside the reader), and
write every audio chunk to a file as it arrives (``receive_audio_chunks``) until the
stream ends. The emulator's tone voice speaks 0.068 s per character of this text
(measured with ``soniox_emulator.synthesize``), so 26,470 characters (about 5,500
one-word text messages) make 30 minutes of audio (86.4 MB); the emulator sends it faster than real
time. A short session first warms up imports; then the peak RSS (``VmHWM``, reset just
before) is compared with the RSS before the session, and CPU seconds are the process's
(all threads). ``--tiny`` streams 10 seconds (a smoke run).

Target: ours grows by less than 16 MiB. Only the standard library is imported at module
level, since the child side also runs in the official SDK's venv.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator

from bench_tts_common import client_kwargs, main, reset_peak, status_kib

FULL_SEC = 1800
TINY_SEC = 10
SAMPLE_RATE = 24000
# Seconds of the emulator's voice per character of this text (measured: spaces and
# letters take the same two tone slots).
SEC_PER_CHAR = 0.068
WORDS = "The quick brown fox jumps over the lazy dog and keeps on talking for a while".split(" ")  # noqa: SIM905


def words(seconds: float) -> Iterator[str]:
    """Text for about ``seconds`` of audio, one word (plus its space) at a time."""
    left = int(seconds / SEC_PER_CHAR)
    i = 0
    while left > 0:
        word = WORDS[i % len(WORDS)] + " "
        i += 1
        left -= len(word)
        yield word


def child(client: str, urls: dict[str, str], out: str, size: str) -> dict[str, float]:
    """Stream ``size`` seconds of speech into ``out`` with ``client``; the measurement."""
    import gc

    seconds = float(size)
    kwargs = client_kwargs(urls)
    fields = {
        "model": "tts-rt-v1",
        "language": "en",
        "voice": "Adrian",
        "audio_format": "pcm_s16le",
        "sample_rate": SAMPLE_RATE,
    }
    official = client.startswith("official")
    if official:
        from soniox.types import RealtimeTTSConfig

        def config(stream_id: str) -> object:
            return RealtimeTTSConfig(stream_id=stream_id, **fields)  # type: ignore[arg-type]
    else:

        def config(stream_id: str) -> object:
            return {"stream_id": stream_id, **fields}

    state: dict[str, float] = {}

    def start() -> None:
        gc.collect()
        state["before"] = status_kib("VmRSS:")
        reset_peak()
        state["t0"], state["cpu0"] = time.perf_counter(), time.process_time()

    def stop(written: int) -> dict[str, float]:
        return {
            "seconds": time.perf_counter() - state["t0"],
            "cpu_s": time.process_time() - state["cpu0"],
            "growth_mib": (status_kib("VmHWM:") - state["before"]) / 1024,
            "audio_bytes": written,
            "audio_s": written / (2 * SAMPLE_RATE),
        }

    if client in ("ours-sync", "official-sync"):
        import threading

        if client == "ours-sync":
            from soniox_sync import SonioxClient
        else:
            from soniox import SonioxClient  # type: ignore[no-redef]

        def session(sync_client: SonioxClient, stream_id: str, text: Iterator[str]) -> int:
            written = 0
            with sync_client.realtime.tts.connect(config=config(stream_id)) as conn, open(out, "wb") as fh:
                sender = threading.Thread(target=conn.send_text_chunks, args=(text,))
                sender.start()
                for chunk in conn.receive_audio_chunks():
                    fh.write(chunk)
                    written += len(chunk)
                sender.join()
            return written

        with SonioxClient(**kwargs) as sync_client:
            session(sync_client, "warm", words(1))
            start()
            return stop(session(sync_client, "w11", words(seconds)))

    if client.startswith("ours"):
        from soniox_async import AsyncSonioxClient
    else:
        from soniox import AsyncSonioxClient  # type: ignore[no-redef]
    trio_run = client == "ours-trio"
    metrics: dict[str, float] = {}

    async def feed(text: Iterator[str]) -> object:
        # A token at a time, yielding to the loop between tokens as a model's stream does.
        for word in text:
            yield word
            if trio_run:
                await trio.lowlevel.checkpoint()
            else:
                await asyncio.sleep(0)

    async def session(async_client: AsyncSonioxClient, stream_id: str, text: Iterator[str]) -> int:
        written = 0
        async with async_client.realtime.tts.connect(config=config(stream_id)) as conn:
            with open(out, "wb") as fh:

                async def receive() -> None:
                    nonlocal written
                    async for chunk in conn.receive_audio_chunks():
                        fh.write(chunk)
                        written += len(chunk)

                if trio_run:
                    async with trio.open_nursery() as nursery:
                        nursery.start_soon(receive)
                        await conn.send_text_chunks(feed(text), text_end=True)
                else:
                    reader = asyncio.ensure_future(receive())
                    await conn.send_text_chunks(feed(text), text_end=True)
                    await reader
        return written

    async def run() -> None:
        async with AsyncSonioxClient(**kwargs) as async_client:
            await session(async_client, "warm", words(1))
            start()
            metrics.update(stop(await session(async_client, "w11", words(seconds))))

    if trio_run:
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
            workload="W11",
            script=__file__,
            size=lambda tiny: str(TINY_SEC if tiny else FULL_SEC),
            title=lambda tiny: (
                f"W11: a realtime TTS stream of {(TINY_SEC if tiny else FULL_SEC):,} s to a file"
            ),
            columns=[
                ("audio_bytes", "audio bytes", "{:,.0f}"),
                ("audio_s", "audio s", "{:,.0f}"),
                ("seconds", "wall s", "{:.1f}"),
                ("cpu_s", "CPU s", "{:.1f}"),
                ("growth_mib", "peak RSS growth MiB", "{:.1f}"),
            ],
            child=child,
            timeout=1200,
        )
    )
