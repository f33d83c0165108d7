"""The public names of ``soniox_core``, ``soniox_async`` and ``soniox_sync``: the one table.

``scripts/gen_exports.py`` writes the export block of ``soniox_core/__init__.py`` and
``soniox_async/__init__.py`` from it (``scripts/unasync.py`` then makes the sync one), so
``__all__``, ``dir()``, the names loaded on first use and the static imports that type
checkers read cannot drift apart. Add a public name here, then run the script.
"""

from __future__ import annotations

# soniox_core modules whose whole ``__all__`` is public, imported with the package.
CORE_MODULES: tuple[str, ...] = ("._errors", ".models", ".models_tts", ".models_usage")
# The same, imported on first use (see CORE_LAZY).
CORE_LAZY_MODULES: tuple[str, ...] = (".transcript",)

# More names -> the soniox_core module that defines it, imported with the package.
CORE: dict[str, str] = {
    **dict.fromkeys(["ClientConfig", "Timeouts", "resolve_config"], "._config"),
    **dict.fromkeys(["Emit", "Now", "Op", "Send", "Sleep", "Stream"], "._effects"),
    **dict.fromkeys(["Headers", "HttpRequest", "HttpResponse", "Response"], "._http"),
    "FileInput": "._multipart",
    **dict.fromkeys(["ProgressCallback", "WaitProgress"], "._progress"),
    "__version__": "._version",
    "SonioxWebhooksAPI": ".webhooks",
}

# name -> the soniox_core module that defines it, imported on first use: realtime and
# transcript helpers stay out of ``import soniox_core`` for REST-only users.
CORE_LAZY: dict[str, str] = {
    **dict.fromkeys(
        [
            "HEADER_AUDIO_FORMATS",
            "RAW_AUDIO_FORMATS",
            "RealtimeEvent",
            "RealtimeSTTConfig",
            "ReconnectPolicy",
            "TOKEN_TEXT_END",
            "TOKEN_TEXT_FIN",
            "TranscriptAccumulator",
            "is_endpoint_token",
            "is_finalization_marker",
            "render_tokens",
        ],
        ".realtime",
    ),
    "RealtimeControlType": ".realtime",
    "output_file_for_audio_format": ".realtime._files",
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
            "TtsTimestamps",
        ],
        ".realtime.tts",
    ),
}

# Core names for whoever writes a driver (effects, raw HTTP messages, error mapping),
# not for users of a client: exported by soniox_core, left out of soniox_async/soniox_sync.
PLUMBING: frozenset[str] = frozenset(
    {
        "Emit",
        "HttpRequest",
        "HttpResponse",
        "Now",
        "Op",
        "Send",
        "Sleep",
        "Stream",
        "resolve_config",
    }
)

# name -> the soniox_async module that defines it (soniox_sync: the same without "Async").
CLIENT: dict[str, str] = {
    **dict.fromkeys(
        [
            "AsyncAuthAPI",
            "AsyncFilesAPI",
            "AsyncModelsAPI",
            "AsyncSonioxClient",
            "AsyncSonioxWebhooksAPI",
            "AsyncSttAPI",
        ],
        "._client",
    ),
    **dict.fromkeys(["AsyncConcurrencyLimitsAPI", "AsyncUsageAPI", "AsyncUsageLogsAPI"], "._client_account"),
    **dict.fromkeys(["AsyncTtsAPI", "AsyncTtsModelsAPI", "AsyncVoicesAPI"], "._client_tts"),
}

# Client names loaded on first use (the realtime drivers import the WebSocket stack).
CLIENT_LAZY: dict[str, str] = {
    **dict.fromkeys(
        ["AsyncRealtimeAPI", "AsyncRealtimeSTTClient", "AsyncRealtimeSTTSession", "stream_audio"],
        "._realtime",
    ),
    **dict.fromkeys(
        [
            "AsyncRealtimeTTSClient",
            "AsyncRealtimeTTSConnection",
            "AsyncRealtimeTTSMultiplexedConnection",
            "AsyncRealtimeTTSStream",
        ],
        "._realtime_tts",
    ),
}
