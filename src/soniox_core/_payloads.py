"""Request bodies with the OpenAPI document's constraints, checked before sending."""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from enum import Enum
from typing import Annotated, Any, Literal, TypeVar

import msgspec
from msgspec import Meta

from . import _validate as check
from ._errors import SonioxValidationError
from ._redact import register_secret
from .models import CreateTranscriptionConfig, WebhookAuthConfig

__all__ = [
    "create_temporary_key_body",
    "create_transcription_body",
    "to_validated",
]

T = TypeVar("T")

# The schema's `$`, as JSON Schema means it: the very end (Python's `$` allows a final newline).
_HTTP_URL = r"^https?://[^\s]+\Z"
_Ref = Annotated[str, Meta(max_length=256)]
_Lang = Annotated[str, Meta(min_length=1, max_length=10)]


class _Payload(msgspec.Struct, kw_only=True, omit_defaults=True, forbid_unknown_fields=True):
    pass


class _GeneralItem(_Payload):
    key: str
    value: str


class _TranslationTerm(_Payload):
    source: str
    target: str


class _StructuredContext(_Payload):
    general: list[_GeneralItem] | None = None
    text: str | None = None
    terms: list[str] | None = None
    translation_terms: list[_TranslationTerm] | None = None


class _Translation(_Payload):
    type: Literal["one_way", "two_way"]
    target_language: _Lang | None = None
    language_a: _Lang | None = None
    language_b: _Lang | None = None


class _CreateTranscription(_Payload):
    model: Annotated[str, Meta(min_length=1, max_length=32)]
    audio_url: Annotated[str, Meta(max_length=4096, pattern=_HTTP_URL)] | None = None
    file_id: Annotated[str, Meta(min_length=1)] | None = None
    language_hints: Annotated[list[_Lang], Meta(max_length=100)] | None = None
    language_hints_strict: bool | None = None
    enable_speaker_diarization: bool | None = None
    enable_language_identification: bool | None = None
    translation: _Translation | None = None
    context: _StructuredContext | str | None = None
    webhook_url: Annotated[str, Meta(max_length=256, pattern=_HTTP_URL)] | None = None
    webhook_auth_header_name: _Ref | None = None
    webhook_auth_header_value: _Ref | None = None
    client_reference_id: _Ref | None = None


class UploadPayload(_Payload):
    """The text fields of ``POST /files``."""

    client_reference_id: _Ref | None = None


class _CreateTemporaryKey(_Payload):
    usage_type: Literal["transcribe_websocket", "tts_rt"]
    expires_in_seconds: Annotated[int, Meta(ge=1, le=3600)]
    client_reference_id: _Ref | None = None
    single_use: bool | None = None
    max_session_duration_seconds: Annotated[int, Meta(ge=1, le=18000)] | None = None


_PATH = re.compile(r"at `\$\.?(.*)`$")


def to_validated(data: Mapping[str, Any], model: type[T]) -> T:
    """Check ``data`` against ``model``; a violation names the field it concerns."""
    try:
        return msgspec.convert(data, model)
    except msgspec.ValidationError as exc:
        text = str(exc)
        match = _PATH.search(text)
        field = match.group(1) if match and match.group(1) else None
        if field is None:
            # "Object contains unknown field `x`" / "missing required field `x`"
            named = re.search(r"field `([^`]+)`", text)
            field = named.group(1) if named else None
        message = _PATH.sub("", text).rstrip(" -") if match else text
        raise SonioxValidationError(message, field=field) from None


def _plain(value: Any) -> Any:
    """Structs to dicts (None fields dropped), enums to values, recursively."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, msgspec.Struct):
        return {k: _plain(v) for k in value.__struct_fields__ if (v := getattr(value, k)) is not None}
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _coerce_context(context: Any) -> Any:
    if not isinstance(context, Mapping):
        return context
    coerced = dict(context)
    general = coerced.get("general")
    if isinstance(general, Mapping):
        coerced["general"] = [{"key": k, "value": v} for k, v in general.items()]
    terms = coerced.get("translation_terms")
    if isinstance(terms, Mapping):
        coerced["translation_terms"] = [{"source": k, "target": v} for k, v in terms.items()]
    return coerced


def _check_translation(translation: Mapping[str, Any]) -> dict[str, Any]:
    kind = translation.get("type")
    cleaned = dict(translation)
    if kind == "one_way":
        if not translation.get("target_language"):
            raise SonioxValidationError(
                "target_language is required for one_way translation",
                field="translation.target_language",
            )
        cleaned.pop("language_a", None)
        cleaned.pop("language_b", None)
    elif kind == "two_way":
        if not translation.get("language_a") or not translation.get("language_b"):
            raise SonioxValidationError(
                "language_a and language_b are both required for two_way translation",
                field="translation.language_a",
            )
        cleaned.pop("target_language", None)
    return cleaned


def create_transcription_body(
    *,
    model: str,
    file_id: str | None,
    audio_url: str | None,
    client_reference_id: str | None,
    config: CreateTranscriptionConfig | Mapping[str, Any] | None,
    webhook: Mapping[str, str] | None = None,
) -> bytes:
    """The validated JSON body of ``POST /transcriptions``.

    The config's fields are flattened into the body; exactly one of ``file_id``
    and ``audio_url`` must be given.
    """
    if config is not None and not isinstance(config, (CreateTranscriptionConfig, Mapping)):
        raise SonioxValidationError(
            f"must be a CreateTranscriptionConfig, not {type(config).__name__}", field="config"
        )
    settings: dict[str, Any] = _plain(config) if config is not None else {}
    for deprecated in ("model", "client_reference_id"):
        if settings.get(deprecated) is not None:
            warnings.warn(
                f"CreateTranscriptionConfig.{deprecated} is deprecated; "
                f"pass {deprecated}= to the call instead",
                DeprecationWarning,
                stacklevel=4,
            )
    model = settings.pop("model", None) or model
    client_reference_id = settings.pop("client_reference_id", None) or client_reference_id
    if file_id is not None and audio_url is not None:
        raise SonioxValidationError("give either file_id or audio_url, not both", field="file_id")
    if file_id is None and audio_url is None:
        raise SonioxValidationError("one of file_id or audio_url is required", field="file_id")
    if "context" in settings:
        settings["context"] = _coerce_context(settings["context"])
    if isinstance(settings.get("translation"), Mapping):
        settings["translation"] = _check_translation(settings["translation"])
    if webhook:
        settings.update(webhook)
    body = {
        "model": model,
        "file_id": file_id,
        "audio_url": audio_url,
        "client_reference_id": client_reference_id,
        **settings,
    }
    return msgspec.json.encode(to_validated(_plain(body), _CreateTranscription))


def create_temporary_key_body(
    *,
    usage_type: str,
    expires_in_seconds: int,
    client_reference_id: str | None,
    single_use: bool | None,
    max_session_duration_seconds: int | None,
) -> bytes:
    """The validated JSON body of ``POST /auth/temporary-api-key``."""
    body = {
        "usage_type": usage_type,
        "expires_in_seconds": expires_in_seconds,
        "client_reference_id": client_reference_id,
        "single_use": single_use,
        "max_session_duration_seconds": max_session_duration_seconds,
    }
    return msgspec.json.encode(to_validated(_plain(body), _CreateTemporaryKey))


def webhook_fields(webhook_url: str, auth: WebhookAuthConfig | None) -> dict[str, str]:
    """The body fields that ask for a webhook, with its auth header when there is one."""
    fields = {"webhook_url": check.text(webhook_url, "webhook_url")}
    if auth is not None:
        check_webhook_auth(auth)
        fields["webhook_auth_header_name"] = auth.name
        fields["webhook_auth_header_value"] = auth.value
    return fields


def check_webhook_auth(auth: object, field: str = "webhook_auth") -> WebhookAuthConfig:
    """A ``WebhookAuthConfig`` whose name is a header name and whose value can be sent
    in a header; its value is masked in all text from now on."""
    if not isinstance(auth, WebhookAuthConfig):
        raise SonioxValidationError(
            f"must be a WebhookAuthConfig, not {type(auth).__name__}", field=field
        )
    check.header_name(auth.name, f"{field}.name")
    check.header_value(auth.value, f"{field}.value", allow_empty=True)
    register_secret(auth.value)
    return auth
