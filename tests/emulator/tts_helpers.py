"""Helpers for the TTS tests: a plain ``POST /tts`` client and the TTSApiError check."""

from __future__ import annotations

import http.client
import json
from typing import Any

from emulator_helpers import Conformance

from soniox_emulator import Emulator

TTS_PAYLOAD = {
    "model": "tts-rt-v2",
    "language": "en",
    "voice": "Adrian",
    "audio_format": "wav",
    "text": "Hello from the emulator.",
}


def tts_request(
    emulator: Emulator, payload: Any, key: str | None = "", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """POST /tts; ``key=""`` sends the emulator's key, ``None`` no key. Returns (status, headers, body)."""
    sent = dict(headers or {})
    token = emulator.api_key if key == "" else key
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    sent["Content-Type"] = "application/json"
    conn = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=10)
    try:
        conn.request("POST", "/tts", body=body, headers=sent)
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def tts_error(conformance: Conformance, status: int, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """Check an error reply against the TTSApiError schema and return its body."""
    assert headers["content-type"] == "application/json"
    error: dict[str, Any] = json.loads(body)
    conformance.validate_ref(error, "#/components/schemas/TTSApiError")
    assert error["error_code"] == status
    assert error["error_type"] in conformance.error_types
    assert error["request_id"] == headers["x-request-id"]
    assert error["more_info"].endswith("#" + error["error_type"].replace("_", "-"))
    return error
