"""Transcribe a file with the async client on asyncio.

    SONIOX_API_KEY=... python examples/transcribe_async.py [AUDIO]

Without a key, start `soniox emulator` in another terminal and export what it prints.
"""

from __future__ import annotations

import asyncio
import sys

from soniox_async import AsyncSonioxClient


async def main(path: str) -> None:
    async with AsyncSonioxClient() as client:
        transcript = await client.stt.transcribe_and_wait_with_tokens(
            file=path, delete_after=True, wait_timeout_sec=600
        )
    print(transcript.text)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "samples/hello.wav"))
