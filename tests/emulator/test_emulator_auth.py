"""Authentication, request ids and unknown routes."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    ("headers", "key"),
    [
        ({}, None),
        ({"Authorization": "Basic dGVzdA=="}, None),
        ({"Authorization": "Bearer"}, None),
        ({}, "wrong-key"),
    ],
)
def test_rejected_credentials_get_401(api: Any, headers: dict[str, str], key: str | None) -> None:
    reply = api.get("/models", headers=headers, key=key)
    assert reply.status == 401
    assert reply.json()["error_type"] == "unauthenticated"
    assert reply.json()["validation_errors"] == []


def test_valid_key_and_extra_keys_are_accepted(api: Any, emulator: Any) -> None:
    assert api.get("/models").status == 200
    emulator.api_keys.add("second-key")
    assert api.get("/files", key="second-key").status == 200


def test_temporary_key_is_refused_by_rest(api: Any) -> None:
    minted = api.post(
        "/auth/temporary-api-key", {"usage_type": "transcribe_websocket", "expires_in_seconds": 60}
    )
    assert minted.status == 201
    reply = api.get("/files", key=minted.json()["api_key"])
    assert reply.status == 401
    assert reply.json()["error_type"] == "unauthenticated"


def test_request_ids_are_fresh_and_match_the_body(api: Any) -> None:
    first = api.get("/files/00000000-0000-0000-0000-000000000000")
    second = api.get("/files/00000000-0000-0000-0000-000000000000")
    assert first.status == second.status == 404
    assert first.json()["request_id"] == first.headers["x-request-id"]
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
    assert first.json()["more_info"].endswith("#file-not-found")


def test_unknown_route_and_method(api: Any) -> None:
    assert api.get("/nope", check=False).status == 404
    reply = api.request("PUT", "/files", check=False)
    assert reply.status == 405
    assert reply.json()["error_type"] == "invalid_request"


def test_models_catalogue(api: Any) -> None:
    ids = {m["id"] for m in api.get("/models").json()["models"]}
    assert {"stt-async-v4", "stt-async-v5", "stt-rt-v4", "stt-rt-v5"} <= ids
    assert api.get("/tts-models").status == 200
    assert api.get("/concurrency-limits").status == 200
