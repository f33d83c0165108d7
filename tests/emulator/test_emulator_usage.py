"""Usage logs, usage summary, concurrency limits and streams history on the emulator."""

from __future__ import annotations

import itertools
import json
import time
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from emulator_helpers import Api
from tts_helpers import TTS_PAYLOAD, tts_request
from websockets.sync.client import connect

from soniox_emulator import Emulator
from soniox_emulator._tts_engine import synthesize


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _window(days_back: float = 1, days_ahead: float = 1) -> dict[str, str]:
    now = datetime.now(timezone.utc)
    return {
        "start_time": _iso(now - timedelta(days=days_back)),
        "end_time": _iso(now + timedelta(days=days_ahead)),
    }


def _wait_completed(api: Api, transcription_id: str) -> None:
    for _ in range(300):
        if api.get(f"/transcriptions/{transcription_id}").json()["status"] == "completed":
            return
        time.sleep(0.01)
    raise AssertionError("transcription never completed")


def _realtime_round_trip(emulator: Emulator, text: str) -> str:
    audio, _ = synthesize(text, "pcm_mulaw", 8000)
    with connect(
        emulator.websocket_url, additional_headers={"Authorization": f"Bearer {emulator.api_key}"}
    ) as ws:
        ws.send(
            json.dumps(
                {"model": "stt-rt-v5", "audio_format": "mulaw", "sample_rate": 8000, "num_channels": 1}
            )
        )
        for start in range(0, len(audio), 1600):
            ws.send(audio[start : start + 1600])
        ws.send(b"")
        final: list[str] = []
        while True:
            message = json.loads(ws.recv(timeout=5))
            final += [t["text"] for t in message["tokens"] if t.get("is_final")]
            if message.get("finished"):
                return "".join(final)


def test_the_realtime_stt_endpoint_recognises_tts_audio(emulator: Emulator) -> None:
    assert (
        _realtime_round_trip(emulator, "Realtime round trip, in mu-law.") == "Realtime round trip, in mu-law."
    )


def test_usage_logs_record_what_was_served(emulator: Emulator, api: Api) -> None:
    assert tts_request(emulator, {**TTS_PAYLOAD, "client_reference_id": "ref-1"})[0] == 200
    job = api.transcribe(client_reference_id="job-1")
    _realtime_round_trip(emulator, "logged")
    _wait_completed(api, job["id"])
    logs = api.get("/usage-logs", query=_window()).json()["usage_logs"]
    by_model = {entry["model"]: entry for entry in logs}
    assert set(by_model) == {"tts-rt-v2", "stt-async-v5", "stt-rt-v5"}
    assert by_model["tts-rt-v2"]["client_reference_id"] == "ref-1"
    assert by_model["tts-rt-v2"]["output_audio_duration_ms"] > 0
    assert by_model["stt-async-v5"]["client_reference_id"] == "job-1"
    assert by_model["stt-rt-v5"]["input_audio_duration_ms"] > 0
    ends = [entry["end_time"] for entry in logs]
    assert ends == sorted(ends)


def test_a_failed_transcription_is_not_logged(emulator: Emulator, api: Api) -> None:
    api.transcribe(audio_url="https://nowhere.invalid/a.mp3")
    time.sleep(0.2)
    assert api.get("/usage-logs", query=_window()).json()["usage_logs"] == []


def test_usage_logs_page_with_cursors_in_both_orders(emulator: Emulator, api: Api) -> None:
    for i in range(3):
        assert tts_request(emulator, {**TTS_PAYLOAD, "text": f"entry {i}"})[0] == 200
    for sort in ("end_time_asc", "end_time_desc"):
        query: dict[str, Any] = {**_window(), "limit": 2, "sort": sort}
        first = api.get("/usage-logs", query=query).json()
        assert len(first["usage_logs"]) == 2 and first["next_page_cursor"]
        second = api.get("/usage-logs", query={**query, "cursor": first["next_page_cursor"]}).json()
        assert len(second["usage_logs"]) == 1 and second["next_page_cursor"] is None
        ends = [e["end_time"] for e in first["usage_logs"] + second["usage_logs"]]
        assert ends == sorted(ends, reverse=sort == "end_time_desc")
        mismatch = api.get(
            "/usage-logs",
            query={**query, "sort": "end_time_asc" if sort == "end_time_desc" else "end_time_desc",
                   "cursor": first["next_page_cursor"]},
        )  # fmt: skip
        assert mismatch.status == 400 and mismatch.json()["error_type"] == "invalid_request"
    garbage = api.get("/usage-logs", query={**_window(), "cursor": "not-a-cursor"})
    assert garbage.status == 400 and garbage.json()["error_type"] == "invalid_cursor"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (_window(40, 0), "The period between start_time and end_time must not exceed 31 days."),
        (_window(100, -80), "start_time must not be more than 91 days in the past."),
        (_window(0, -1), "end_time must be strictly after start_time."),
    ],
)
def test_usage_log_windows_are_checked(api: Api, query: dict[str, str], message: str) -> None:
    reply = api.get("/usage-logs", query=query)
    assert reply.status == 400
    assert reply.json()["validation_errors"][0]["message"] == message


@pytest.mark.parametrize(
    "query",
    [{}, {"start_time": "yesterday", "end_time": "2026-01-01T00:00:00Z"}, {**_window(), "sort": "sideways"}],
)
def test_usage_log_parameters_are_validated(api: Api, query: dict[str, str]) -> None:
    reply = api.get("/usage-logs", query=query)
    assert reply.status == 400 and reply.json()["validation_errors"]


def test_usage_summary_aggregates_per_utc_day(emulator: Emulator, api: Api) -> None:
    assert tts_request(emulator, TTS_PAYLOAD)[0] == 200
    assert tts_request(emulator, TTS_PAYLOAD)[0] == 200
    today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    query = {"start_time": _iso(today - timedelta(days=2)), "end_time": _iso(today + timedelta(days=1))}
    summary = api.get("/usage/summary", query=query).json()
    total = summary["total"]
    assert total["model"] is None
    assert len(total["days"]) == 3  # the midnight end leaves tomorrow out
    assert total["days"][-1] == today.date().isoformat()
    assert total["num_requests"] == [0, 0, 2]
    assert total["total_num_requests"] == 2
    assert [m["model"] for m in summary["models"]] == ["tts-rt-v2"]
    assert float(total["total_cost_usd"]) > 0


def test_usage_summary_window_is_limited(api: Api) -> None:
    reply = api.get("/usage/summary", query=_window(400, 0))
    assert reply.status == 400
    assert "exceeds the maximum of 366" in reply.json()["validation_errors"][0]["message"]


def test_concurrency_limits_report_open_streams_and_set_limits(emulator: Emulator, api: Api) -> None:
    emulator.usage.limits["project"]["transcribe_concurrent"] = 7
    with connect(
        emulator.tts_websocket_base_url, additional_headers={"Authorization": f"Bearer {emulator.api_key}"}
    ) as ws:
        ws.send(json.dumps({"stream_id": "open", "model": "tts-rt-v2", "language": "en",
                            "voice": "Adrian", "audio_format": "wav"}))  # fmt: skip
        for _ in range(100):
            body = api.get("/concurrency-limits").json()
            if body["project"]["current"]["tts_concurrent"] == 1:
                break
            time.sleep(0.01)
        assert body["project"]["current"] == {"transcribe_concurrent": 0, "tts_concurrent": 1}
        assert body["project"]["limits"] == {"transcribe_concurrent": 7, "tts_concurrent": None}
        assert body["organization"]["limits"] == {"transcribe_concurrent": None, "tts_concurrent": None}


def test_stt_sessions_over_the_limit_are_refused(emulator: Emulator) -> None:
    emulator.usage.limits["project"]["transcribe_concurrent"] = 0
    with connect(
        emulator.websocket_url, additional_headers={"Authorization": f"Bearer {emulator.api_key}"}
    ) as ws:
        message = json.loads(ws.recv(timeout=5))
    assert message["error_code"] == 429
    assert message["error_message"].endswith("for your project.")


@pytest.mark.parametrize(("period", "count"), [(60, 120), (3600, 48), (86400, 3)])
def test_streams_history_covers_the_window_without_gaps(
    emulator: Emulator, api: Api, period: int, count: int
) -> None:
    assert tts_request(emulator, TTS_PAYLOAD)[0] == 200
    now = datetime.now(timezone.utc)
    start = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    if period == 86400:
        start = start.replace(hour=0) - timedelta(days=1)
    end = start + timedelta(seconds=period * count)
    reply = api.get(
        "/concurrent-streams-history",
        query={"start_time": _iso(start), "end_time": _iso(end), "period_sec": period, "kind": "tts"},
    ).json()
    entries = reply["entries"]
    assert reply["kind"] == "tts" and len(entries) == count
    starts = [datetime.fromisoformat(e["period_start"].replace("Z", "+00:00")) for e in entries]
    assert all(b - a == timedelta(seconds=period) for a, b in itertools.pairwise(starts))
    active = [e for e in entries if e["sample_max"]]
    assert len(active) == 1 and active[0]["sample_max"] == 1 and active[0]["sample_min"] == 0
    assert active[0]["total_count"] == {60: 1, 3600: 60, 86400: 24}[period]
    idle = [e for e in entries if not e["sample_max"]]
    assert all(e["sample_count"] == e["total_count"] == e["sample_sum"] == 0 for e in idle)
    stt = api.get(
        "/concurrent-streams-history",
        query={"start_time": _iso(start), "end_time": _iso(end), "period_sec": period, "kind": "stt"},
    ).json()
    assert all(e["sample_max"] == 0 for e in stt["entries"])


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"period_sec": 30}, "query.period_sec"),
        ({"kind": "video"}, "query.kind"),
        ({"period_sec": 60, "start_time": "2026-01-01T00:00:00Z", "end_time": "2026-01-09T00:00:00Z"},
         "query.payload"),
    ],
)  # fmt: skip
def test_streams_history_parameters_are_validated(api: Api, change: dict[str, Any], location: str) -> None:
    query = {**_window(), "period_sec": 3600, "kind": "tts", **change}
    reply = api.get("/concurrent-streams-history", query=query)
    assert reply.status == 400
    assert reply.json()["validation_errors"][0]["location"] == location
