"""Run by test_rt_tts_official.py inside a venv that has the official soniox==2.10.0 SDK.

Usage: python official_tts_session.py TTS_WEBSOCKET_URL API_KEY MODE
MODE is sync, async, multi or async-multi. Prints one JSON object: the audio
byte count per stream and whether each stream saw ``terminated``.
"""

import asyncio
import json
import sys
import threading

from soniox import AsyncSonioxClient, SonioxClient
from soniox.types import RealtimeTTSConfig
from soniox.utils import start_text_thread

TEXT = "The official client speaks through the emulator."


def config(stream_id: str) -> RealtimeTTSConfig:
    return RealtimeTTSConfig(
        stream_id=stream_id, model="tts-rt-v1", language="en", voice="Adrian",
        audio_format="pcm_s16le", sample_rate=16000,
    )


def run_sync(url: str, key: str) -> dict:
    client = SonioxClient(api_key=key, tts_websocket_base_url=url)
    with client.realtime.tts.connect(config=config("one")) as tts:
        sender = start_text_thread(tts, iter(TEXT.split(" ")))
        audio = b"".join(tts.receive_audio_chunks())
        sender.join(5)
        terminated = bool(tts.last_message and tts.last_message.terminated)
    return {"one": {"bytes": len(audio), "terminated": terminated}}


def run_multi(url: str, key: str) -> dict:
    client = SonioxClient(api_key=key, tts_websocket_base_url=url)
    result: dict = {}
    with client.realtime.tts.connect_multi_stream() as conn:
        streams = [conn.open_stream(config=config(f"s{i}")) for i in range(3)]

        def run(stream) -> None:
            stream.send_text_chunks(f"{TEXT} Stream {stream.stream_id}.")
            audio = b"".join(stream.receive_audio_chunks())
            result[stream.stream_id] = {"bytes": len(audio), "terminated": stream.last_message.terminated}

        threads = [threading.Thread(target=run, args=(s,)) for s in streams]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    return result


async def run_async(url: str, key: str) -> dict:
    client = AsyncSonioxClient(api_key=key, tts_websocket_base_url=url)
    async with client.realtime.tts.connect(config=config("one")) as tts:
        await tts.send_text_chunks(TEXT)
        audio = b"".join([c async for c in tts.receive_audio_chunks()])
        terminated = bool(tts.last_message and tts.last_message.terminated)
    await client.aclose()
    return {"one": {"bytes": len(audio), "terminated": terminated}}


async def run_async_multi(url: str, key: str) -> dict:
    client = AsyncSonioxClient(api_key=key, tts_websocket_base_url=url)
    result: dict = {}
    async with client.realtime.tts.connect_multi_stream() as conn:
        streams = [await conn.open_stream(config=config(f"s{i}")) for i in range(3)]

        async def run(stream) -> None:
            await stream.send_text_chunks(f"{TEXT} Stream {stream.stream_id}.")
            audio = b"".join([c async for c in stream.receive_audio_chunks()])
            result[stream.stream_id] = {"bytes": len(audio), "terminated": stream.last_message.terminated}

        await asyncio.gather(*(run(s) for s in streams))
    await client.aclose()
    return result


def main() -> None:
    url, key, mode = sys.argv[1:4]
    runs = {
        "sync": lambda: run_sync(url, key),
        "multi": lambda: run_multi(url, key),
        "async": lambda: asyncio.run(run_async(url, key)),
        "async-multi": lambda: asyncio.run(run_async_multi(url, key)),
    }
    print(json.dumps(runs[mode]()))


if __name__ == "__main__":
    main()
