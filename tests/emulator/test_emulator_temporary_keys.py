"""Temporary API keys: minting, validation and realtime authentication."""

from __future__ import annotations

from typing import Any

import pytest
from emulator_helpers import Api

from soniox_emulator import Emulator


def test_mint_and_use_for_realtime(api: Any, emulator: Emulator) -> None:
    reply = api.post(
        "/auth/temporary-api-key",
        {
            "usage_type": "transcribe_websocket",
            "expires_in_seconds": 1800,
            "client_reference_id": "reference_id",
            "max_session_duration_seconds": 120,
        },
    )
    assert reply.status == 201
    key = reply.json()["api_key"]
    assert key.startswith("snx_temp_")
    assert reply.json()["expires_at"].endswith("Z")
    assert emulator.authenticate_realtime(key)
    assert emulator.authenticate_realtime(key)  # not single-use
    record = emulator.temporary_key(key)
    assert record is not None and record.max_session_duration_seconds == 120


def test_regular_and_bad_keys_for_realtime(emulator: Emulator) -> None:
    assert emulator.authenticate_realtime("test-key")
    assert not emulator.authenticate_realtime(None)
    assert not emulator.authenticate_realtime("")
    assert not emulator.authenticate_realtime("snx_temp_NOTMINTED")


def test_single_use_and_usage_type(api: Any, emulator: Emulator) -> None:
    single = api.post(
        "/auth/temporary-api-key",
        {"usage_type": "transcribe_websocket", "expires_in_seconds": 60, "single_use": True},
    ).json()["api_key"]
    assert emulator.authenticate_realtime(single)
    assert not emulator.authenticate_realtime(single)
    tts = api.post("/auth/temporary-api-key", {"usage_type": "tts_rt", "expires_in_seconds": 60}).json()[
        "api_key"
    ]
    assert not emulator.authenticate_realtime(tts)


def test_expiry_follows_the_clock(conformance: Any) -> None:
    now = [0.0]
    with Emulator(clock=lambda: now[0]) as emulator:
        api = Api(emulator, conformance)
        key = api.post(
            "/auth/temporary-api-key", {"usage_type": "transcribe_websocket", "expires_in_seconds": 5}
        ).json()["api_key"]
        now[0] = 4.9
        assert emulator.authenticate_realtime(key)
        now[0] = 5.0
        assert not emulator.authenticate_realtime(key)


@pytest.mark.parametrize(
    ("payload", "location", "error_type"),
    [
        ({"expires_in_seconds": 60}, "body.payload.usage_type", "missing"),
        ({"usage_type": "other", "expires_in_seconds": 60}, "body.payload.usage_type", "enum"),
        ({"usage_type": "tts_rt"}, "body.payload.expires_in_seconds", "missing"),
        (
            {"usage_type": "tts_rt", "expires_in_seconds": 3601},
            "body.payload.expires_in_seconds",
            "less_than_equal",
        ),
        (
            {"usage_type": "tts_rt", "expires_in_seconds": 0},
            "body.payload.expires_in_seconds",
            "greater_than_equal",
        ),
        (
            {"usage_type": "tts_rt", "expires_in_seconds": 5, "client_reference_id": "x" * 257},
            "body.payload.client_reference_id",
            "string_too_long",
        ),
        (
            {"usage_type": "tts_rt", "expires_in_seconds": 5, "max_session_duration_seconds": 18001},
            "body.payload.max_session_duration_seconds",
            "less_than_equal",
        ),
        (
            {"usage_type": "tts_rt", "expires_in_seconds": 5, "single_use": "yes"},
            "body.payload.single_use",
            "bool_type",
        ),
    ],
)
def test_validation(api: Any, payload: dict[str, Any], location: str, error_type: str) -> None:
    reply = api.post("/auth/temporary-api-key", payload)
    assert reply.status == 400
    errors = reply.json()["validation_errors"]
    assert {"location": location, "error_type": error_type} in [
        {"location": e["location"], "error_type": e["error_type"]} for e in errors
    ]
