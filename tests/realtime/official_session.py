"""Run by test_rt_official.py inside a venv that has the official soniox==2.10.0 SDK.

Usage: python official_session.py WEBSOCKET_URL API_KEY AUDIO_PATH MODE
Prints one JSON object: the final text, the event count, and any error code.
"""

import asyncio
import json
import sys

from soniox import AsyncSonioxClient, SonioxClient
from soniox.types.realtime import RealtimeSTTConfig
from soniox.utils import render_tokens, start_audio_thread, throttle_audio, throttle_audio_async


def run_sync(url: str, key: str, path: str) -> dict:
    client = SonioxClient(api_key=key, websocket_base_url=url)
    config = RealtimeSTTConfig(model="stt-rt-v4", audio_format="auto", language_hints=["en"])
    final, events, error = [], 0, None
    with client.realtime.stt.connect(config=config) as session:
        sender = start_audio_thread(session, throttle_audio(path, chunk_size_bytes=4096))
        for event in session.receive_events():
            events += 1
            if event.error_code is not None:
                error = event.error_code
            final += [t for t in event.tokens if t.is_final]
        sender.join(5)
    return {"text": render_tokens(final, []), "events": events, "error": error}


async def run_async(url: str, key: str, path: str) -> dict:
    client = AsyncSonioxClient(api_key=key, websocket_base_url=url)
    config = RealtimeSTTConfig(model="stt-rt-v4")
    final, events = [], 0
    async with client.realtime.stt.connect(config=config) as session:
        sender = asyncio.create_task(session.send_bytes(throttle_audio_async(path, chunk_size_bytes=4096)))
        async for event in session.receive_events():
            events += 1
            final += [t for t in event.tokens if t.is_final]
        await sender
    await client.aclose()
    return {"text": render_tokens(final, []), "events": events, "error": None}


def main() -> None:
    url, key, path, mode = sys.argv[1:5]
    runs = {"sync": lambda: run_sync(url, key, path), "async": lambda: asyncio.run(run_async(url, key, path))}
    result = runs[mode]()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
