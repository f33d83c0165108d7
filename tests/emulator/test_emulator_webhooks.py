"""Webhooks delivered to a receiver on loopback."""

from __future__ import annotations

import json
from typing import Any

from soniox_emulator import Emulator


def test_completed_webhook_with_auth_header_and_query(
    api: Any, emulator: Emulator, webhook_receiver: Any
) -> None:
    created = api.transcribe(
        webhook_url=webhook_receiver.url + "/hook?job=42",
        webhook_auth_header_name="X-Soniox-Webhook-Secret",
        webhook_auth_header_value="s3cret",
    )
    deliveries = emulator.wait_for_webhooks(1)
    assert len(deliveries) == 1 and deliveries[0].ok
    assert deliveries[0].attempt == 1
    received = webhook_receiver.received[0]
    assert received.path == "/hook?job=42"
    assert received.headers["x-soniox-webhook-secret"] == "s3cret"
    assert received.headers["content-type"] == "application/json"
    assert json.loads(received.body) == {"id": created["id"], "status": "completed"}
    after = api.get(f"/transcriptions/{created['id']}").json()
    assert after["webhook_status_code"] == 200


def test_error_webhook(api: Any, emulator: Emulator, webhook_receiver: Any) -> None:
    emulator.fail_transcription(audio_url="https://a.test/bad.mp3")
    created = api.transcribe(audio_url="https://a.test/bad.mp3", webhook_url=webhook_receiver.url)
    emulator.wait_for_webhooks(1)
    assert json.loads(webhook_receiver.received[0].body) == {"id": created["id"], "status": "error"}


def test_failed_deliveries_are_retried(api: Any, emulator: Emulator, webhook_receiver: Any) -> None:
    webhook_receiver.statuses = [500, 503]
    created = api.transcribe(webhook_url=webhook_receiver.url)
    deliveries = emulator.wait_for_webhooks(3)
    assert [d.status_code for d in deliveries] == [500, 503, 200]
    assert [d.attempt for d in deliveries] == [1, 2, 3]
    assert len(webhook_receiver.received) == 3
    assert api.get(f"/transcriptions/{created['id']}").json()["webhook_status_code"] == 200


def test_unreachable_receiver_gives_up(api: Any, emulator: Emulator) -> None:
    emulator.webhooks.max_attempts = 2
    emulator.webhooks.backoff = 0.01
    created = api.transcribe(webhook_url="http://127.0.0.1:9/unreachable")
    deliveries = emulator.wait_for_webhooks(2)
    assert len(deliveries) == 2
    assert all(d.status_code is None and d.error for d in deliveries)
    assert api.get(f"/transcriptions/{created['id']}").json()["webhook_status_code"] is None


def test_no_webhook_without_url(api: Any, emulator: Emulator, webhook_receiver: Any) -> None:
    emulator.queued_sec = emulator.processing_sec = 0
    api.transcribe()
    assert emulator.wait_for_webhooks(1, timeout=0.3) == []
