"""soniox_async: the Soniox SDK for asyncio and trio (anyio over httpcore).

async with AsyncSonioxClient() as client:
    transcript = await client.stt.transcribe_and_wait_with_tokens(file="audio.wav")
"""

from typing import TYPE_CHECKING

from soniox_core import *  # noqa: F403
from soniox_core import LAZY_EXPORTS as _CORE_LAZY
from soniox_core import __all__ as _core_names
from soniox_core._lazy import lazy_getattr

from ._client import (
    AsyncAuthAPI,
    AsyncFilesAPI,
    AsyncModelsAPI,
    AsyncSonioxClient,
    AsyncSonioxWebhooksAPI,
    AsyncSttAPI,
)
from ._client_account import AsyncConcurrencyLimitsAPI, AsyncUsageAPI, AsyncUsageLogsAPI
from ._client_tts import AsyncTtsAPI, AsyncTtsModelsAPI, AsyncVoicesAPI

__all__ = [
    *_core_names,
    "AsyncConcurrencyLimitsAPI",
    "AsyncTtsAPI",
    "AsyncTtsModelsAPI",
    "AsyncUsageAPI",
    "AsyncUsageLogsAPI",
    "AsyncVoicesAPI",
    "AsyncAuthAPI",
    "AsyncFilesAPI",
    "AsyncModelsAPI",
    "AsyncSonioxClient",
    "AsyncSonioxWebhooksAPI",
    "AsyncSttAPI",
]

if TYPE_CHECKING:
    from soniox_core.realtime import HEADER_AUDIO_FORMATS as HEADER_AUDIO_FORMATS
    from soniox_core.realtime import RAW_AUDIO_FORMATS as RAW_AUDIO_FORMATS
    from soniox_core.realtime import TOKEN_TEXT_END as TOKEN_TEXT_END
    from soniox_core.realtime import TOKEN_TEXT_FIN as TOKEN_TEXT_FIN
    from soniox_core.realtime import RealtimeEvent as RealtimeEvent
    from soniox_core.realtime import RealtimeSTTConfig as RealtimeSTTConfig
    from soniox_core.realtime import ReconnectPolicy as ReconnectPolicy
    from soniox_core.realtime import SonioxRealtimeReconnectError as SonioxRealtimeReconnectError
    from soniox_core.realtime import SonioxRealtimeTimeoutError as SonioxRealtimeTimeoutError
    from soniox_core.realtime import TranscriptAccumulator as TranscriptAccumulator
    from soniox_core.realtime import is_endpoint_token as is_endpoint_token
    from soniox_core.realtime import is_finalization_marker as is_finalization_marker
    from soniox_core.realtime import render_tokens as render_tokens
    from soniox_core.transcript import RealtimeTranscript as RealtimeTranscript
    from soniox_core.transcript import Segment as Segment
    from soniox_core.transcript import SubtitleOptions as SubtitleOptions
    from soniox_core.transcript import final_tokens as final_tokens
    from soniox_core.transcript import format_srt_timestamp as format_srt_timestamp
    from soniox_core.transcript import format_vtt_timestamp as format_vtt_timestamp
    from soniox_core.transcript import split_translation as split_translation
    from soniox_core.transcript import to_srt as to_srt
    from soniox_core.transcript import to_webvtt as to_webvtt
    from soniox_core.transcript import tokens_to_paragraphs as tokens_to_paragraphs
    from soniox_core.transcript import tokens_to_segments as tokens_to_segments
    from soniox_core.transcript import tokens_to_subtitle_cues as tokens_to_subtitle_cues
    from soniox_core.transcript import tokens_to_text as tokens_to_text

    from ._realtime import AsyncRealtimeAPI as AsyncRealtimeAPI
    from ._realtime import AsyncRealtimeSTTClient as AsyncRealtimeSTTClient
    from ._realtime import AsyncRealtimeSTTSession as AsyncRealtimeSTTSession
    from ._realtime import stream_audio as stream_audio
    from ._realtime_tts import AsyncRealtimeTTSClient as AsyncRealtimeTTSClient
    from ._realtime_tts import AsyncRealtimeTTSConnection as AsyncRealtimeTTSConnection
    from ._realtime_tts import AsyncRealtimeTTSMultiplexedConnection as AsyncRealtimeTTSMultiplexedConnection
    from ._realtime_tts import AsyncRealtimeTTSStream as AsyncRealtimeTTSStream

_REALTIME_DRIVER = dict.fromkeys(
    ["AsyncRealtimeAPI", "AsyncRealtimeSTTClient", "AsyncRealtimeSTTSession", "stream_audio"],
    "soniox_async._realtime",
)

_REALTIME_DRIVER.update(
    dict.fromkeys(
        [
            "AsyncRealtimeTTSClient",
            "AsyncRealtimeTTSConnection",
            "AsyncRealtimeTTSMultiplexedConnection",
            "AsyncRealtimeTTSStream",
        ],
        "soniox_async._realtime_tts",
    )
)

# Realtime and transcript helpers load on first use.
__getattr__ = lazy_getattr(__name__, {**_CORE_LAZY, **_REALTIME_DRIVER}, globals())
