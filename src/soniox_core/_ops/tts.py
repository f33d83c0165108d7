"""Text-to-Speech over REST (``POST {tts_api_base_url}/tts``) and the TTS model list."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import replace
from typing import Any

from .._config import ClientConfig
from .._effects import Op
from .._http import HttpRequest
from .._payloads_tts import create_tts_body
from .._streaming import read_body, stream_body
from ..models_tts import CreateTtsConfig, GetTtsModelsResponse
from ._call import build_request, call_parsed

__all__ = ["describe_generate", "generate", "generate_stream", "list_tts_models"]


def describe_generate(
    config: ClientConfig,
    *,
    text: str,
    voice: str,
    model: str,
    tts_config: CreateTtsConfig | Mapping[str, Any] | None = None,
    language: str | None = None,
    audio_format: str | None = None,
    sample_rate: int | None = None,
    bitrate: int | None = None,
    client_reference_id: str | None = None,
) -> HttpRequest:
    """The ``POST /tts`` request, validated (``SonioxValidationError`` before anything is sent).

    Marked idempotent: generating speech creates nothing, so an attempt that
    failed before any audio reached the caller may be repeated.
    """
    body = create_tts_body(
        text=text,
        voice=voice,
        model=model,
        config=tts_config,
        language=language,
        audio_format=audio_format,
        sample_rate=sample_rate,
        bitrate=bitrate,
        client_reference_id=client_reference_id,
    )
    request = build_request(
        config, "POST", "/tts", json_body=body, idempotent=True, base_url=config.tts_api_base_url
    )
    # Audio, not JSON, comes back.
    headers = [(k, v) for k, v in request.headers if k != b"Accept"]
    headers.append((b"Accept", b"*/*"))
    return replace(request, headers=headers)


def generate(config: ClientConfig, request: HttpRequest) -> Generator[Any, Any, bytes]:
    """The whole audio of a described ``POST /tts``, in memory (as the official SDK returns it).

    Failures before the audio starts are retried as for any request; a failure
    once it flows (cut short, or reported in trailers) is raised.
    """
    return (yield from read_body(config, request))


def generate_stream(config: ClientConfig, request: HttpRequest) -> Generator[Any, Any, None]:
    """Emit the audio of a described ``POST /tts`` chunk by chunk as it arrives."""
    return stream_body(config, request)


def list_tts_models(config: ClientConfig) -> Op[GetTtsModelsResponse]:
    """``GET /tts-models``."""
    return call_parsed(config, GetTtsModelsResponse, "GET", "/tts-models")
