"""soniox_async: the Soniox SDK for asyncio and trio (anyio over httpcore).

    async with AsyncSonioxClient() as client:
        transcript = await client.stt.transcribe_and_wait_with_tokens(file="audio.wav")
"""

from soniox_core import *  # noqa: F403
from soniox_core import __all__ as _core_names

from ._client import (
    AsyncAuthAPI,
    AsyncFilesAPI,
    AsyncModelsAPI,
    AsyncSonioxClient,
    AsyncSonioxWebhooksAPI,
    AsyncSttAPI,
)

__all__ = [
    *_core_names,
    "AsyncAuthAPI",
    "AsyncFilesAPI",
    "AsyncModelsAPI",
    "AsyncSonioxClient",
    "AsyncSonioxWebhooksAPI",
    "AsyncSttAPI",
]
