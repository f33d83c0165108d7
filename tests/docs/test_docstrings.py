"""Public methods document their arguments, result and errors (Google style, for mkdocstrings)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest

import soniox_async
import soniox_sync
from soniox_async import _realtime_tts
from soniox_async._realtime import AsyncRealtimeSTTClient, AsyncRealtimeSTTSession, stream_audio
from soniox_core import transcript, webhooks

# Helpers that neither talk to the network nor raise: Raises: would be empty.
NO_RAISES = {
    "with_options",  # documented Raises: anyway; listed for the sync twin's parity
    "aclose",
    "close",
    "webhook_payload",
    "auth_config",
    "split_translation",
    "final_tokens",
    "tokens_to_text",
    "tokens_to_paragraphs",
    "tokens_to_segments",
    "tokens_to_subtitle_cues",
    "format_srt_timestamp",
    "format_vtt_timestamp",
    "to_srt",
    "to_webvtt",
}


def _public_methods(cls: type) -> list[tuple[str, Callable[..., Any]]]:
    return [
        (f"{cls.__name__}.{name}", member)
        for name, member in vars(cls).items()
        if not name.startswith("_") and inspect.isfunction(member)
    ]


CLASSES = [
    soniox_async.AsyncSonioxClient,
    soniox_async.AsyncFilesAPI,
    soniox_async.AsyncSttAPI,
    soniox_async.AsyncModelsAPI,
    soniox_async.AsyncAuthAPI,
    soniox_async.AsyncTtsAPI,
    soniox_async.AsyncTtsModelsAPI,
    soniox_async.AsyncVoicesAPI,
    soniox_async.AsyncUsageLogsAPI,
    soniox_async.AsyncUsageAPI,
    soniox_async.AsyncConcurrencyLimitsAPI,
    soniox_sync.SonioxClient,
    soniox_sync.FilesAPI,
    soniox_sync.SttAPI,
    soniox_sync.ModelsAPI,
    soniox_sync.AuthAPI,
    soniox_sync.TtsAPI,
    soniox_sync.TtsModelsAPI,
    soniox_sync.VoicesAPI,
    soniox_sync.UsageLogsAPI,
    soniox_sync.UsageAPI,
    soniox_sync.ConcurrencyLimitsAPI,
    AsyncRealtimeSTTClient,
    AsyncRealtimeSTTSession,
    _realtime_tts.AsyncRealtimeTTSClient,
    _realtime_tts.AsyncRealtimeTTSMultiplexedConnection,
    _realtime_tts.AsyncRealtimeTTSConnection,
    _realtime_tts.AsyncRealtimeTTSStream,
    _realtime_tts._StreamOps,  # the methods a stream and a single-stream connection share
    webhooks.SonioxWebhooksAPI,
]
FUNCTIONS = [
    (f.__name__, f)
    for f in (
        stream_audio,
        transcript.split_translation,
        transcript.final_tokens,
        transcript.tokens_to_text,
        transcript.tokens_to_paragraphs,
        transcript.tokens_to_segments,
        transcript.tokens_to_subtitle_cues,
        transcript.format_srt_timestamp,
        transcript.format_vtt_timestamp,
        transcript.to_srt,
        transcript.to_webvtt,
    )
]
TARGETS = [m for cls in CLASSES for m in _public_methods(cls)] + FUNCTIONS


@pytest.mark.parametrize(("name", "function"), TARGETS, ids=[n for n, _ in TARGETS])
def test_public_method_has_args_returns_raises(name: str, function: Callable[..., Any]) -> None:
    doc = inspect.getdoc(function) or ""
    signature = inspect.signature(function)
    params = [p for p in signature.parameters if p not in ("self", "cls")]
    short = name.rsplit(".", 1)[-1]
    assert doc, name
    if params:
        assert "Args:" in doc, name
        for param in params:
            assert f"{param}:" in doc or f"**{param}:" in doc, f"{name}: {param} undocumented"
    returns = signature.return_annotation
    if returns not in (None, "None", inspect.Signature.empty):
        assert "Returns:" in doc, name
    if short not in NO_RAISES:
        assert "Raises:" in doc, name


def test_the_list_covers_both_clients() -> None:
    assert len(TARGETS) >= 140
