"""soniox_sync: the blocking Soniox SDK (httpcore's sync pool), safe to share between threads.

    with SonioxClient() as client:
        transcript = client.stt.transcribe_and_wait_with_tokens(file="audio.wav")
"""

from soniox_core import *  # noqa: F403
from soniox_core import __all__ as _core_names

from ._client import (
    AuthAPI,
    FilesAPI,
    ModelsAPI,
    SonioxClient,
    SonioxWebhooksAPI,
    SttAPI,
)

__all__ = [
    *_core_names,
    "AuthAPI",
    "FilesAPI",
    "ModelsAPI",
    "SonioxClient",
    "SonioxWebhooksAPI",
    "SttAPI",
]
