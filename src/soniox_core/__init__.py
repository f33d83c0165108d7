"""soniox_core: the sans-IO heart of the Soniox SDK.

It describes requests, parses responses into typed models, maps errors, keeps
pagination, retry and workflow state, and runs the realtime protocol, without
ever touching a socket, a clock or a thread. ``soniox_async`` and ``soniox_sync``
perform what it describes.
"""

from typing import TYPE_CHECKING

from ._config import ClientConfig, Timeouts, resolve_config
from ._effects import Emit, Now, Op, Send, Sleep, Stream
from ._errors import (
    InvalidWebhookPayloadError,
    InvalidWebhookSignatureError,
    SonioxAPIError,
    SonioxAuthenticationError,
    SonioxConflictError,
    SonioxConnectionError,
    SonioxConnectTimeoutError,
    SonioxError,
    SonioxInvalidRequestError,
    SonioxNotFoundError,
    SonioxPaymentRequiredError,
    SonioxPermissionDeniedError,
    SonioxPoolTimeoutError,
    SonioxRateLimitError,
    SonioxReadTimeoutError,
    SonioxRealtimeError,
    SonioxRealtimeTimeoutError,
    SonioxRequestTimeoutError,
    SonioxServerError,
    SonioxTimeoutError,
    SonioxTransportError,
    SonioxValidationError,
    SonioxWaitTimeoutError,
    SonioxWriteTimeoutError,
)
from ._http import Headers, HttpRequest, HttpResponse, Response
from ._lazy import lazy_getattr
from ._multipart import FileInput
from ._version import __version__
from .models import (
    ApiError,
    ApiErrorValidationError,
    CreateTemporaryApiKeyResponse,
    CreateTranscriptionConfig,
    File,
    GetFilesCountResponse,
    GetFilesResponse,
    GetModelsResponse,
    GetTranscriptionsCountResponse,
    GetTranscriptionsResponse,
    Language,
    Model,
    StructuredContext,
    StructuredContextGeneralItem,
    StructuredContextTranslationTerm,
    TemporaryApiKeyUsageType,
    Token,
    Transcription,
    TranscriptionMode,
    TranscriptionStatus,
    TranscriptionTranscript,
    TranslationConfig,
    TranslationTarget,
    TranslationType,
    WebhookAuthConfig,
    WebhookEvent,
)
from .models_tts import (
    CreateTtsConfig,
    GetSharedVoicesResponse,
    GetTTSModelsResponse,
    GetTtsModelsResponse,
    GetVoicesCountResponse,
    GetVoicesResponse,
    TtsAudioFormat,
    TtsBitrate,
    TTSModel,
    TtsModel,
    TtsSampleRate,
    TTSVoice,
    TtsVoice,
    TtsVoiceAge,
    TTSVoiceDetails,
    TtsVoiceDetails,
    TtsVoiceGender,
    Voice,
    VoiceModel,
    VoiceModelStatus,
)
from .models_usage import (
    ConcurrencyCurrentValues,
    ConcurrencyLimitValues,
    ConcurrencyScopeValues,
    ConcurrentStreamKind,
    ConcurrentStreamsHistoryEntry,
    ConcurrentStreamsPeriodSec,
    GetConcurrencyLimitsResponse,
    GetConcurrentStreamsHistoryResponse,
    GetUsageLogsResponse,
    GetUsageSummaryResponse,
    UsageLogEntry,
    UsageLogsSort,
    UsageSummaryEntry,
)
from .webhooks import SonioxWebhooksAPI

if TYPE_CHECKING:
    from .realtime import HEADER_AUDIO_FORMATS as HEADER_AUDIO_FORMATS
    from .realtime import RAW_AUDIO_FORMATS as RAW_AUDIO_FORMATS
    from .realtime import TOKEN_TEXT_END as TOKEN_TEXT_END
    from .realtime import TOKEN_TEXT_FIN as TOKEN_TEXT_FIN
    from .realtime import RealtimeControlType as RealtimeControlType
    from .realtime import RealtimeEvent as RealtimeEvent
    from .realtime import RealtimeSTTConfig as RealtimeSTTConfig
    from .realtime import ReconnectPolicy as ReconnectPolicy
    from .realtime import SonioxRealtimeReconnectError as SonioxRealtimeReconnectError
    from .realtime import TranscriptAccumulator as TranscriptAccumulator
    from .realtime import is_endpoint_token as is_endpoint_token
    from .realtime import is_finalization_marker as is_finalization_marker
    from .realtime import render_tokens as render_tokens
    from .realtime._files import output_file_for_audio_format as output_file_for_audio_format
    from .realtime.tts import MAX_TTS_STREAMS_PER_CONNECTION as MAX_TTS_STREAMS_PER_CONNECTION
    from .realtime.tts import TTS_KEEP_ALIVE_INTERVAL_SEC as TTS_KEEP_ALIVE_INTERVAL_SEC
    from .realtime.tts import TTS_STREAM_EVENT_TIMEOUT_SEC as TTS_STREAM_EVENT_TIMEOUT_SEC
    from .realtime.tts import RealtimeTTSCancelMessage as RealtimeTTSCancelMessage
    from .realtime.tts import RealtimeTTSConfig as RealtimeTTSConfig
    from .realtime.tts import RealtimeTTSEvent as RealtimeTTSEvent
    from .realtime.tts import RealtimeTTSKeepAliveMessage as RealtimeTTSKeepAliveMessage
    from .realtime.tts import RealtimeTTSTextMessage as RealtimeTTSTextMessage
    from .realtime.tts import SonioxTTSAudioError as SonioxTTSAudioError
    from .realtime.tts import SonioxTTSStreamLimitError as SonioxTTSStreamLimitError
    from .realtime.tts import TtsTimestamps as TtsTimestamps
    from .transcript import RealtimeTranscript as RealtimeTranscript
    from .transcript import Segment as Segment
    from .transcript import SubtitleOptions as SubtitleOptions
    from .transcript import final_tokens as final_tokens
    from .transcript import format_srt_timestamp as format_srt_timestamp
    from .transcript import format_vtt_timestamp as format_vtt_timestamp
    from .transcript import split_translation as split_translation
    from .transcript import to_srt as to_srt
    from .transcript import to_webvtt as to_webvtt
    from .transcript import tokens_to_paragraphs as tokens_to_paragraphs
    from .transcript import tokens_to_segments as tokens_to_segments
    from .transcript import tokens_to_subtitle_cues as tokens_to_subtitle_cues
    from .transcript import tokens_to_text as tokens_to_text

# Imported on first use, so that `import soniox_core` stays cheap for REST-only users.
LAZY_EXPORTS: dict[str, str] = {
    **dict.fromkeys(
        [
            "HEADER_AUDIO_FORMATS",
            "RAW_AUDIO_FORMATS",
            "RealtimeEvent",
            "RealtimeSTTConfig",
            "ReconnectPolicy",
            "SonioxRealtimeReconnectError",
            "TOKEN_TEXT_END",
            "TOKEN_TEXT_FIN",
            "TranscriptAccumulator",
            "is_endpoint_token",
            "is_finalization_marker",
            "render_tokens",
        ],
        "soniox_core.realtime",
    ),
    **dict.fromkeys(
        [
            "RealtimeTranscript",
            "Segment",
            "SubtitleOptions",
            "final_tokens",
            "format_srt_timestamp",
            "format_vtt_timestamp",
            "split_translation",
            "to_srt",
            "to_webvtt",
            "tokens_to_paragraphs",
            "tokens_to_segments",
            "tokens_to_subtitle_cues",
            "tokens_to_text",
        ],
        "soniox_core.transcript",
    ),
    **dict.fromkeys(
        [
            "MAX_TTS_STREAMS_PER_CONNECTION",
            "TTS_KEEP_ALIVE_INTERVAL_SEC",
            "TTS_STREAM_EVENT_TIMEOUT_SEC",
            "RealtimeTTSCancelMessage",
            "RealtimeTTSConfig",
            "RealtimeTTSEvent",
            "RealtimeTTSKeepAliveMessage",
            "RealtimeTTSTextMessage",
            "SonioxTTSAudioError",
            "SonioxTTSStreamLimitError",
            "TtsTimestamps",
        ],
        "soniox_core.realtime.tts",
    ),
    "RealtimeControlType": "soniox_core.realtime",
    "output_file_for_audio_format": "soniox_core.realtime._files",
}


__getattr__ = lazy_getattr(__name__, LAZY_EXPORTS, globals())


def __dir__() -> list[str]:
    return sorted([*__all__, *LAZY_EXPORTS])


__all__ = [
    "ApiError",
    "ApiErrorValidationError",
    "ClientConfig",
    "CreateTemporaryApiKeyResponse",
    "CreateTranscriptionConfig",
    "Emit",
    "File",
    "FileInput",
    "GetFilesCountResponse",
    "GetFilesResponse",
    "GetModelsResponse",
    "GetTranscriptionsCountResponse",
    "GetTranscriptionsResponse",
    "Headers",
    "HttpRequest",
    "HttpResponse",
    "InvalidWebhookPayloadError",
    "InvalidWebhookSignatureError",
    "Language",
    "Model",
    "Now",
    "Op",
    "Response",
    "Send",
    "Sleep",
    "SonioxAPIError",
    "SonioxAuthenticationError",
    "SonioxConflictError",
    "SonioxConnectTimeoutError",
    "SonioxConnectionError",
    "SonioxError",
    "SonioxInvalidRequestError",
    "SonioxNotFoundError",
    "SonioxPaymentRequiredError",
    "SonioxPermissionDeniedError",
    "SonioxPoolTimeoutError",
    "SonioxRateLimitError",
    "SonioxReadTimeoutError",
    "SonioxRealtimeError",
    "SonioxRealtimeTimeoutError",
    "SonioxRequestTimeoutError",
    "SonioxServerError",
    "SonioxTimeoutError",
    "SonioxTransportError",
    "SonioxValidationError",
    "SonioxWaitTimeoutError",
    "SonioxWebhooksAPI",
    "SonioxWriteTimeoutError",
    "Stream",
    "StructuredContext",
    "StructuredContextGeneralItem",
    "StructuredContextTranslationTerm",
    "TemporaryApiKeyUsageType",
    "Timeouts",
    "Token",
    "Transcription",
    "TranscriptionMode",
    "TranscriptionStatus",
    "TranscriptionTranscript",
    "TranslationConfig",
    "TranslationTarget",
    "TranslationType",
    "WebhookAuthConfig",
    "WebhookEvent",
    "__version__",
    "resolve_config",
    # Text-to-Speech, voices, usage and concurrency (models_tts, models_usage).
    "ConcurrencyCurrentValues",
    "ConcurrencyLimitValues",
    "ConcurrencyScopeValues",
    "ConcurrentStreamKind",
    "ConcurrentStreamsHistoryEntry",
    "ConcurrentStreamsPeriodSec",
    "CreateTtsConfig",
    "GetConcurrencyLimitsResponse",
    "GetConcurrentStreamsHistoryResponse",
    "GetSharedVoicesResponse",
    "GetTTSModelsResponse",
    "GetTtsModelsResponse",
    "GetUsageLogsResponse",
    "GetUsageSummaryResponse",
    "GetVoicesCountResponse",
    "GetVoicesResponse",
    "TTSModel",
    "TTSVoice",
    "TTSVoiceDetails",
    "TtsAudioFormat",
    "TtsBitrate",
    "TtsModel",
    "TtsSampleRate",
    "TtsVoice",
    "TtsVoiceAge",
    "TtsVoiceDetails",
    "TtsVoiceGender",
    "UsageLogEntry",
    "UsageLogsSort",
    "UsageSummaryEntry",
    "Voice",
    "VoiceModel",
    "VoiceModelStatus",
]
