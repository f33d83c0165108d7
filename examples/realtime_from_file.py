"""Stream a file to realtime transcription at real-time pace and print the text as it grows.

SONIOX_API_KEY=... python examples/realtime_from_file.py [AUDIO.wav] [SPEED]
"""

from __future__ import annotations

import sys

import anyio

from soniox_async import AsyncSonioxClient, RealtimeSTTConfig, TranscriptAccumulator, stream_audio


async def main(path: str, speed: float) -> None:
    config = RealtimeSTTConfig(model="stt-rt-v4", audio_format="auto")
    transcript = TranscriptAccumulator()
    async with AsyncSonioxClient() as client, client.realtime.stt.connect(config=config) as session:
        session.send_in_background(stream_audio(path, speed=speed))
        async for event in session:
            transcript.add(event)
            print(f"\r{transcript.text[-70:]:<70}", end="", flush=True)
    print()
    print(transcript.final_text)


if __name__ == "__main__":
    args = sys.argv[1:]
    anyio.run(main, args[0] if args else "samples/hello.wav", float(args[1]) if len(args) > 1 else 1.0)
