"""Typed models of the Soniox API, field for field from its OpenAPI document.

Response models are lenient on purpose: a newer server may add fields or enum
values, and those must never break parsing. Enum-like fields are therefore typed
as ``str``; the ``*Status``/``*Type`` enums below are conveniences for comparing
against the values known today (they are ``str`` subclasses, so
``transcription.status == TranscriptionStatus.COMPLETED`` works).

Request models (``CreateTranscriptionConfig`` and friends) can be built freely;
the schema's constraints are checked just before a request is described, with a
``SonioxValidationError`` that names the offending field.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import msgspec

from ._dump import PydanticCompat

__all__ = [
    "ApiError",
    "ApiErrorValidationError",
    "CreateTemporaryApiKeyResponse",
    "CreateTranscriptionConfig",
    "File",
    "GetFilesCountResponse",
    "GetFilesResponse",
    "GetModelsResponse",
    "GetTranscriptionsCountResponse",
    "GetTranscriptionsResponse",
    "Language",
    "Model",
    "StructuredContext",
    "StructuredContextGeneralItem",
    "StructuredContextTranslationTerm",
    "TemporaryApiKeyUsageType",
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
]


class _StrEnum(str, Enum):
    def __str__(self) -> str:
        return str(self.value)


class TranscriptionStatus(_StrEnum):
    """Status values a transcription is known to take today."""

    QUEUED = "queued"
    PROCESSING = "processing"
    COMPLETED = "completed"
    ERROR = "error"


class TranscriptionMode(_StrEnum):
    """Transcription modes a model may support."""

    REAL_TIME = "real_time"
    ASYNC = "async"


class TranslationType(_StrEnum):
    """Kinds of translation a transcription can ask for."""

    ONE_WAY = "one_way"
    TWO_WAY = "two_way"


class TemporaryApiKeyUsageType(_StrEnum):
    """What a temporary API key may be used for."""

    TRANSCRIBE_WEBSOCKET = "transcribe_websocket"
    TTS_RT = "tts_rt"


class _Model(msgspec.Struct, PydanticCompat, kw_only=True, repr_omit_defaults=True):
    """Base for response models: unknown fields are ignored, never fatal."""


# --- Files -------------------------------------------------------------------


class File(_Model):
    """An uploaded audio file.

    Attributes:
        id: The file's ID, for ``stt.create(file_id=...)``.
        filename: The name it was uploaded with.
        size: Size in bytes.
        created_at: When it was uploaded (UTC).
        client_reference_id: Your label, if you gave one.
    """

    id: str
    filename: str
    size: int
    created_at: datetime
    client_reference_id: str | None = None


class GetFilesResponse(_Model):
    """One page of uploaded files."""

    files: list[File]
    next_page_cursor: str | None = None


class GetFilesCountResponse(_Model):
    """How many files exist, by origin."""

    total: int
    public_api: int = 0
    playground: int = 0


# --- Transcriptions ------------------------------------------------------------


class Transcription(_Model):
    """An asynchronous transcription job.

    Attributes:
        id: The transcription's ID.
        status: ``"queued"``, ``"processing"``, ``"completed"`` or ``"error"``
            (compare with ``TranscriptionStatus``; a newer server may add values).
        created_at: When it was created (UTC).
        model: The model used.
        filename: Name of the audio file.
        audio_url: The URL it was created from, if any.
        file_id: The uploaded file it was created from, if any.
        language_hints: The language hints it was created with.
        enable_speaker_diarization: Whether tokens carry speakers.
        enable_language_identification: Whether tokens carry languages.
        audio_duration_ms: Length of the audio, once known.
        error_type: Why it failed, when ``status`` is ``"error"``.
        error_message: A description of the failure.
        webhook_url: Where the result is posted, if a webhook was asked for.
        webhook_auth_header_name: The header the webhook request carries.
        webhook_auth_header_value: That header's value, as the API returns it.
        webhook_status_code: What the webhook receiver answered.
        client_reference_id: Your label, if you gave one.
    """

    id: str
    status: str
    created_at: datetime
    model: str
    filename: str = ""
    audio_url: str | None = None
    file_id: str | None = None
    language_hints: list[str] | None = None
    enable_speaker_diarization: bool = False
    enable_language_identification: bool = False
    audio_duration_ms: int | None = None
    error_type: str | None = None
    error_message: str | None = None
    webhook_url: str | None = None
    webhook_auth_header_name: str | None = None
    webhook_auth_header_value: str | None = None
    webhook_status_code: int | None = None
    client_reference_id: str | None = None

    @property
    def is_done(self) -> bool:
        """True once the job has left the queued and processing states."""
        return self.status not in (TranscriptionStatus.QUEUED, TranscriptionStatus.PROCESSING)


class GetTranscriptionsResponse(_Model):
    """One page of transcriptions."""

    transcriptions: list[Transcription]
    next_page_cursor: str | None = None


class GetTranscriptionsCountResponse(_Model):
    """How many transcriptions exist, by origin."""

    total: int
    public_api: int = 0
    playground: int = 0


class Token(_Model):
    """One recognised token, from a transcript or a realtime session.

    Attributes:
        text: The token's text, with its own leading space where there is one.
        start_ms: Start, in milliseconds from the start of the audio.
        end_ms: End, in milliseconds.
        confidence: 0 to 1.
        is_final: Realtime only: this token will not change any more.
        speaker: Speaker label (``"1"``, ``"2"``...) with diarization.
        language: Language code with language identification or translation.
        source_language: For a translated token, the language it came from.
        is_audio_event: Marks a non-speech sound.
        translation_status: ``"original"``/``"none"`` for spoken tokens,
            ``"translation"`` for translated ones.
    """

    text: str
    start_ms: int | None = None
    end_ms: int | None = None
    confidence: float | None = None
    is_final: bool | None = None
    speaker: str | None = None
    language: str | None = None
    source_language: str | None = None
    is_audio_event: bool | None = None
    translation_status: str | None = None


class TranscriptionTranscript(_Model):
    """The text and tokens of a completed transcription.

    Attributes:
        id: The transcription's ID.
        text: The whole text.
        tokens: Every token, in order.
    """

    id: str
    text: str
    tokens: list[Token]


# --- Models --------------------------------------------------------------------


class Language(_Model):
    """A language a model understands."""

    code: str
    name: str


class TranslationTarget(_Model):
    """A language a model can translate into, and from which sources."""

    target_language: str
    source_languages: list[str] = msgspec.field(default_factory=list)
    exclude_source_languages: list[str] = msgspec.field(default_factory=list)


class Model(_Model):
    """A speech-to-text model and what it supports."""

    id: str
    name: str
    transcription_mode: str
    aliased_model_id: str | None = None
    context_version: int | None = None
    languages: list[Language] = msgspec.field(default_factory=list)
    supports_language_hints_strict: bool = False
    supports_max_endpoint_delay: bool = False
    supports_endpoint_sensitivity: bool = False
    supports_endpoint_latency_adjustment: bool = False
    endpoint_latency_adjustment_max_level: int = 0
    translation_targets: list[TranslationTarget] = msgspec.field(default_factory=list)
    two_way_translation_pairs: list[str] = msgspec.field(default_factory=list)
    one_way_translation: str | None = None
    two_way_translation: str | None = None


class GetModelsResponse(_Model):
    """All models available to the caller."""

    models: list[Model]


# --- Auth ----------------------------------------------------------------------


class CreateTemporaryApiKeyResponse(_Model):
    """A short-lived API key, for a browser or another untrusted client."""

    api_key: str
    expires_at: datetime

    def __repr__(self) -> str:
        # A temporary key is still a credential: keep it out of logs and tracebacks.
        return f"CreateTemporaryApiKeyResponse(api_key='temp:***', expires_at={self.expires_at!r})"


# --- Errors --------------------------------------------------------------------


class ApiErrorValidationError(_Model):
    """One problem the server found in a request."""

    error_type: str
    location: str
    message: str = ""


class ApiError(_Model):
    """The body of an error response from the REST API."""

    status_code: int
    error_type: str
    message: str
    validation_errors: list[ApiErrorValidationError] = msgspec.field(default_factory=list)
    request_id: str | None = None
    more_info: str | None = None


# --- Request configuration -------------------------------------------------------


class StructuredContextGeneralItem(msgspec.Struct, PydanticCompat, kw_only=True):
    """A key/value fact about the audio (domain, topic, participant names...)."""

    key: str
    value: str


class StructuredContextTranslationTerm(msgspec.Struct, PydanticCompat, kw_only=True):
    """A custom translation for one term."""

    source: str
    target: str


class StructuredContext(msgspec.Struct, PydanticCompat, kw_only=True, omit_defaults=True):
    """Context that helps recognition: facts, background text, rare terms.

    ``general`` and ``translation_terms`` also accept a plain dict
    (``{"domain": "Healthcare"}``, ``{"Mr. Smith": "Sr. Smith"}``).
    """

    general: list[StructuredContextGeneralItem] | dict[str, str] | None = None
    text: str | None = None
    terms: list[str] | None = None
    translation_terms: list[StructuredContextTranslationTerm] | dict[str, str] | None = None


class TranslationConfig(msgspec.Struct, PydanticCompat, kw_only=True, omit_defaults=True):
    """How to translate: ``one_way`` into ``target_language``, or ``two_way``
    between ``language_a`` and ``language_b``."""

    type: str
    target_language: str | None = None
    language_a: str | None = None
    language_b: str | None = None


class CreateTranscriptionConfig(msgspec.Struct, PydanticCompat, kw_only=True, omit_defaults=True):
    """Options for a new transcription, sent flattened into the request body.

    Every field is optional; ``None`` leaves the service's default. Values are
    checked when the request is built (``SonioxValidationError`` names the field).

    Attributes:
        language_hints: Languages you expect, e.g. ``["en", "de"]``.
        language_hints_strict: Recognise only the hinted languages.
        enable_speaker_diarization: Label each token with its speaker.
        enable_language_identification: Label each token with its language.
        translation: Translate too: a ``TranslationConfig`` or a dict of its fields.
        context: What helps recognition: a ``StructuredContext``, a dict, or text.
        webhook_url: Post the result here when done.
        webhook_auth_header_name: Header the webhook request carries.
        webhook_auth_header_value: That header's value (a secret: never shown in
            ``repr``).
        model: Kept for code moving over from the official SDK; when set it wins
            over the method's ``model`` argument.
        client_reference_id: Likewise; wins over the method argument.
    """

    language_hints: list[str] | None = None
    language_hints_strict: bool | None = None
    enable_speaker_diarization: bool | None = None
    enable_language_identification: bool | None = None
    translation: TranslationConfig | dict[str, Any] | None = None
    context: StructuredContext | dict[str, Any] | str | None = None
    webhook_url: str | None = None
    webhook_auth_header_name: str | None = None
    webhook_auth_header_value: str | None = None
    model: str | None = None
    client_reference_id: str | None = None

    def __repr__(self) -> str:
        fields = {f: getattr(self, f) for f in self.__struct_fields__ if getattr(self, f) is not None}
        if "webhook_auth_header_value" in fields:
            fields["webhook_auth_header_value"] = "***"
        inner = ", ".join(f"{k}={v!r}" for k, v in fields.items())
        return f"CreateTranscriptionConfig({inner})"


class WebhookAuthConfig(msgspec.Struct, PydanticCompat, kw_only=True):
    """The header a webhook request must carry: its ``name`` (case-insensitive)
    and its exact ``value``."""

    name: str
    value: str

    def __repr__(self) -> str:
        return f"WebhookAuthConfig(name={self.name!r}, value='***')"


class WebhookEvent(_Model):
    """What Soniox posts to a webhook URL when a transcription ends."""

    id: str
    status: str
