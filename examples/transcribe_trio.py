"""Transcribe several files at once under trio (pip install 'soniox-sansio[trio]').

SONIOX_API_KEY=... python examples/transcribe_trio.py [AUDIO...]
"""

from __future__ import annotations

import sys

import trio

from soniox_async import AsyncSonioxClient


async def main(paths: list[str]) -> None:
    texts: dict[int, str] = {}
    async with AsyncSonioxClient() as client:

        async def transcribe(index: int, path: str) -> None:
            transcript = await client.stt.transcribe_and_wait_with_tokens(file=path, delete_after=True)
            texts[index] = transcript.text

        async with trio.open_nursery() as nursery:
            for index, path in enumerate(paths):
                nursery.start_soon(transcribe, index, path)
    for index, path in enumerate(paths):
        print(f"{path}: {texts[index]}")


if __name__ == "__main__":
    trio.run(main, sys.argv[1:] or ["samples/hello.wav", "samples/hello.wav"])
