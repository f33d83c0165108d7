# Generated from src/soniox_async/__init__.py by scripts/unasync.py: do not edit.
# Change the async source and run `python scripts/unasync.py`.
"""soniox_sync: the blocking Soniox SDK (httpcore's sync pool), safe to share between threads.

with SonioxClient() as client:
    transcript = client.stt.transcribe_and_wait_with_tokens(file="audio.wav")
"""

from typing import TYPE_CHECKING

from soniox_core import *  # noqa: F403
from soniox_core import LAZY_EXPORTS as _CORE_LAZY
from soniox_core import __all__ as _core_names
from soniox_core._lazy import lazy_getattr

from ._client import (
    AuthAPI,
    FilesAPI,
    ModelsAPI,
    SonioxClient,
    SonioxWebhooksAPI,
    SttAPI,
)
from ._client_account import ConcurrencyLimitsAPI, UsageAPI, UsageLogsAPI
from ._client_tts import TtsAPI, TtsModelsAPI, VoicesAPI

__all__ = [
    *_core_names,
    "ConcurrencyLimitsAPI",
    "TtsAPI",
    "TtsModelsAPI",
    "UsageAPI",
    "UsageLogsAPI",
    "VoicesAPI",
    "AuthAPI",
    "FilesAPI",
    "ModelsAPI",
    "SonioxClient",
    "SonioxWebhooksAPI",
    "SttAPI",
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

    from ._realtime import RealtimeAPI as RealtimeAPI
    from ._realtime import RealtimeSTTClient as RealtimeSTTClient
    from ._realtime import RealtimeSTTSession as RealtimeSTTSession
    from ._realtime import stream_audio as stream_audio
    from ._realtime_tts import RealtimeTTSClient as RealtimeTTSClient
    from ._realtime_tts import RealtimeTTSConnection as RealtimeTTSConnection
    from ._realtime_tts import RealtimeTTSMultiplexedConnection as RealtimeTTSMultiplexedConnection
    from ._realtime_tts import RealtimeTTSStream as RealtimeTTSStream

_REALTIME_DRIVER = dict.fromkeys(
    ["RealtimeAPI", "RealtimeSTTClient", "RealtimeSTTSession", "stream_audio"],
    "soniox_sync._realtime",
)

_REALTIME_DRIVER.update(
    dict.fromkeys(
        [
            "RealtimeTTSClient",
            "RealtimeTTSConnection",
            "RealtimeTTSMultiplexedConnection",
            "RealtimeTTSStream",
        ],
        "soniox_sync._realtime_tts",
    )
)

# Realtime and transcript helpers load on first use.
__getattr__ = lazy_getattr(__name__, {**_CORE_LAZY, **_REALTIME_DRIVER}, globals())
