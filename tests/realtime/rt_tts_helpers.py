"""Plain helpers for the realtime text-to-speech driver tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from soniox_core._config import ClientConfig, resolve_config
from soniox_core.realtime.tts import RealtimeTTSConfig
from soniox_emulator import Emulator


def tts_config(emulator: Emulator, **http_options: object) -> ClientConfig:
    return resolve_config(
        api_key=emulator.api_key,
        api_base_url=emulator.base_url,
        websocket_base_url=emulator.websocket_url,
        tts_websocket_base_url=emulator.tts_websocket_base_url,
        timeout_sec=5.0,
        webhook_secret=None,
        webhook_signature_header=None,
        client_kwargs=http_options,
        environ={},
    )


def stream_config(stream_id: str = "s1", **extra: Any) -> RealtimeTTSConfig:
    fields: dict[str, Any] = {
        "model": "tts-rt-v1",
        "language": "en",
        "voice": "Adrian",
        "audio_format": "pcm_s16le",
        "sample_rate": 16000,
        **extra,
    }
    return RealtimeTTSConfig(stream_id=stream_id, **fields)


def words(text: str) -> list[str]:
    """``text`` as an LLM would stream it: word by word, spaces kept."""
    parts = text.split(" ")
    return [p + " " for p in parts[:-1]] + [parts[-1]]


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Poll ``condition`` (an observation of the emulator, which runs in its own thread)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


class SilentListener:
    """A loopback port that takes TCP connections (the kernel's backlog) but never answers."""

    def __init__(self) -> None:
        import socket

        self._sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"ws://127.0.0.1:{self._sock.getsockname()[1]}/tts-websocket"

    def close(self) -> None:
        self._sock.close()


def silent_config(listener: SilentListener) -> ClientConfig:
    return resolve_config(
        api_key="key",
        api_base_url=None,
        websocket_base_url=None,
        tts_websocket_base_url=listener.url,
        timeout_sec=5.0,
        webhook_secret=None,
        webhook_signature_header=None,
        client_kwargs={},
        environ={},
    )
