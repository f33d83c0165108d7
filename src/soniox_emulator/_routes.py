"""The route table: path templates to handlers, and matching a request path."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import _account_api, _files_api, _misc_api, _transcriptions_api, _tts_api, _voices
from ._context import Handler

ROUTES: list[tuple[str, dict[str, Handler]]] = [
    ("/v1/models", {"GET": _misc_api.get_models}),
    ("/v1/tts-models", {"GET": _tts_api.get_tts_models}),
    ("/v1/shared-voices", {"GET": _tts_api.get_shared_voices}),
    ("/v1/auth/temporary-api-key", {"POST": _misc_api.create_temporary_api_key}),
    ("/v1/concurrency-limits", {"GET": _account_api.get_concurrency_limits}),
    ("/v1/concurrent-streams-history", {"GET": _account_api.get_concurrent_streams_history}),
    ("/v1/usage-logs", {"GET": _account_api.get_usage_logs}),
    ("/v1/usage/summary", {"GET": _account_api.get_usage_summary}),
    ("/v1/voices", {"GET": _voices.list_voices, "POST": _voices.create_voice}),
    ("/v1/voices/count", {"GET": _voices.count_voices}),
    ("/v1/voices/{voice_id}", {"GET": _voices.get_voice, "DELETE": _voices.delete_voice}),
    ("/v1/voices/{voice_id}/recompute", {"POST": _voices.recompute_voice}),
    ("/tts", {"POST": _tts_api.generate_tts_route}),
    ("/v1/files", {"GET": _files_api.list_files, "POST": _files_api.upload_file}),
    ("/v1/files/count", {"GET": _files_api.count_files}),
    ("/v1/files/{file_id}", {"GET": _files_api.get_file, "DELETE": _files_api.delete_file}),
    (
        "/v1/transcriptions",
        {"GET": _transcriptions_api.list_transcriptions, "POST": _transcriptions_api.create_transcription},
    ),
    ("/v1/transcriptions/count", {"GET": _transcriptions_api.count_transcriptions}),
    (
        "/v1/transcriptions/{transcription_id}",
        {
            "GET": _transcriptions_api.get_transcription,
            "DELETE": _transcriptions_api.delete_transcription_handler,
        },
    ),
    ("/v1/transcriptions/{transcription_id}/transcript", {"GET": _transcriptions_api.get_transcript}),
]

_COMPILED = [
    (re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$"), template, methods)
    for template, methods in ROUTES
]


@dataclass(frozen=True)
class Match:
    """The route a request path matched."""

    template: str
    methods: dict[str, Handler]
    params: dict[str, str]


def match(path: str) -> Match | None:
    """Find the route for ``path``. Literal routes are listed before templated ones."""
    for pattern, template, methods in _COMPILED:
        found = pattern.match(path)
        if found:
            return Match(template, methods, found.groupdict())
    return None


def route_template(path: str) -> str:
    """The route template for ``path``, or the path itself when no route matches."""
    found = match(path)
    return found.template if found else path
