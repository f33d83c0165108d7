"""Voices, usage logs, usage summary, concurrency, regions and the translate helpers, in the core."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from _driver import Driver, Router, api_error, make_config, never, response, script
from _openapi_examples_tts import EXAMPLES
from hypothesis import given
from hypothesis import strategies as st

from soniox_core import (
    CreateTranscriptionConfig,
    GetConcurrencyLimitsResponse,
    GetConcurrentStreamsHistoryResponse,
    GetSharedVoicesResponse,
    GetUsageLogsResponse,
    GetUsageSummaryResponse,
    SonioxInvalidRequestError,
    SonioxServerError,
    SonioxValidationError,
    Voice,
    VoiceModelStatus,
)
from soniox_core._config import REGIONS
from soniox_core._ops import usage, voices
from soniox_core._ops.translate import translate_config

CONFIG = make_config()
CREATED = "2026-01-02T03:04:05Z"


def voice_json(voice_id: str = "6f1c2a8e-0000-4000-8000-000000000001", **extra: Any) -> dict[str, Any]:
    return {
        "id": voice_id,
        "name": "Narrator",
        "filename": "clip.wav",
        "created_at": CREATED,
        "models": [{"model": "tts-rt-v2", "status": "ready", "error_type": None, "error_message": None}],
        **extra,
    }


# --- voices ------------------------------------------------------------------------------


def test_voice_list_and_count_and_get() -> None:
    driver = Driver(
        Router(
            {
                ("GET", "/v1/voices"): [response(200, {"voices": [voice_json()], "next_page_cursor": None})],
                ("GET", "/v1/voices/count"): [response(200, {"total": 1})],
                ("GET", "/v1/voices/v-1"): [response(200, voice_json("v-1"))],
            }
        )
    )
    page = driver.run(voices.list_page(CONFIG, 50, "c1"))
    assert driver.sent[0].query == {"limit": "50", "cursor": "c1"}
    assert page.voices[0].is_ready("tts-rt-v2")
    assert driver.run(voices.count(CONFIG)).total == 1
    assert driver.run(voices.get(CONFIG, "v-1")).id == "v-1"


def test_voice_models_tolerate_unknown_statuses_and_fields() -> None:
    body = voice_json(models=[{"model": "tts-rt-v3", "status": "warming_up", "new": 1}], colour="blue")
    voice = Driver(script(response(200, body))).run(voices.get(CONFIG, "v"))
    assert isinstance(voice, Voice)
    assert voice.models[0].status == "warming_up"
    assert not voice.is_ready("tts-rt-v3")
    assert VoiceModelStatus.READY == "ready"


def test_list_all_voices_follows_the_cursor() -> None:
    pages = [
        response(200, {"voices": [voice_json("a")], "next_page_cursor": "n1"}),
        response(200, {"voices": [voice_json("b")], "next_page_cursor": None}),
    ]
    driver = Driver(script(*pages))
    assert [v.id for v in driver.iterate(voices.list_all(CONFIG, 1))] == ["a", "b"]
    assert [s.query.get("cursor") for s in driver.sent] == [None, "n1"]


def test_create_voice_streams_a_multipart_upload_and_is_never_repeated() -> None:
    driver = Driver(script(response(500, api_error(500))))
    with pytest.raises(SonioxServerError):
        driver.run(voices.create(CONFIG, b"RIFF-clip", "Narrator", "clip.wav"))
    assert len(driver.sent) == 1  # not idempotent: a retry could clone twice
    sent = driver.sent[0]
    assert (sent.method, sent.path) == ("POST", "/v1/voices")
    content_type = sent.header("content-type") or ""
    assert content_type.startswith("multipart/form-data; boundary=")
    body = sent.body or b""
    assert b'name="name"\r\n\r\nNarrator\r\n' in body
    assert b'name="file"; filename="clip.wav"' in body and b"RIFF-clip" in body
    assert sent.header("content-length") == str(len(body))


def test_create_voice_from_a_path(tmp_path: Any) -> None:
    clip = tmp_path / "me.wav"
    clip.write_bytes(b"\x00" * 3000)
    driver = Driver(script(response(201, voice_json())))
    created = driver.run(voices.create(CONFIG, clip, "Me"))
    assert created.name == "Narrator"
    assert b'filename="me.wav"' in (driver.sent[0].body or b"")


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: voices.create(CONFIG, b"x", ""), "name"),
        (lambda: voices.create(CONFIG, b"x", "n" * 129), "name"),
        (lambda: voices.create(CONFIG, "/no/such/clip.wav", "n"), "file"),
        (lambda: voices.get(CONFIG, ""), "voice_id"),
        (lambda: voices.delete(CONFIG, "a/b").send(None), "voice_id"),
        (lambda: voices.recompute(CONFIG, "v", ""), "model"),
        (lambda: voices.list_page(CONFIG, 0), "limit"),
        (lambda: voices.list_shared(CONFIG, "m", limit=201), "limit"),
        (lambda: voices.list_shared(CONFIG, "m", gender="robot"), "gender"),  # type: ignore[arg-type]
        (lambda: voices.list_shared(CONFIG, "m", age="ancient"), "age"),  # type: ignore[arg-type]
        (lambda: voices.list_shared(CONFIG, "m" * 65), "model"),
        (lambda: voices.list_shared(CONFIG, "m", accent="a" * 41), "accent"),
        (lambda: voices.list_shared(CONFIG, "m", use_case=["x"] * 11), "use_case"),
        (lambda: voices.list_shared(CONFIG, "m", style=["s" * 41]), "style[0]"),
        (lambda: voices.list_all_shared(CONFIG, "", limit=5), "model"),
    ],
)
def test_bad_voice_arguments_fail_before_any_request(call: Any, field: str) -> None:
    with pytest.raises(SonioxValidationError) as caught:
        call()
    assert caught.value.field == field


def test_recompute_sends_the_model_and_may_be_retried() -> None:
    driver = Driver(script(response(503, api_error(503)), response(200, voice_json())))
    driver.run(voices.recompute(CONFIG, "v-1", "tts-rt-v2"))
    assert driver.calls == [("POST", "/v1/voices/v-1/recompute")] * 2
    assert driver.sent[0].json() == {"model": "tts-rt-v2"}
    driver = Driver(script(response(200, voice_json())))
    driver.run(voices.recompute(CONFIG, "v-1"))
    assert driver.sent[0].json() == {}


def test_get_or_none_and_delete_if_exists_treat_404_as_absent() -> None:
    missing = response(404, api_error(404, "not_found"))
    assert Driver(script(missing)).run(voices.get_or_none(CONFIG, "gone")) is None
    driver = Driver(script(missing))
    driver.run(voices.delete_if_exists(CONFIG, "gone"))
    assert driver.calls == [("DELETE", "/v1/voices/gone")]


def test_shared_voices_send_every_filter_with_every_page() -> None:
    first = EXAMPLES["GET /v1/shared-voices 200"]
    pages = [
        response(200, {**first, "next_page_cursor": "p2"}),
        response(200, {**first, "next_page_cursor": None}),
    ]
    driver = Driver(script(*pages))
    found = driver.iterate(
        voices.list_all_shared(
            CONFIG, "tts-rt-v2", gender="female", age="young", accent="british", use_case=["narration", "ads"]
        )
    )
    assert len(found) == 2 * len(first["voices"])
    for index, sent in enumerate(driver.sent):
        assert sent.path == "/v1/shared-voices"
        target = sent.request.target
        assert "use_case=narration&use_case=ads" in target
        assert sent.query["model"] == "tts-rt-v2" and sent.query["gender"] == "female"
        assert sent.query["age"] == "young" and sent.query["accent"] == "british"
        assert sent.query.get("cursor") == (None if index == 0 else "p2")


def test_shared_voices_example_parses() -> None:
    parsed = Driver(script(response(200, EXAMPLES["GET /v1/shared-voices 200"]))).run(
        voices.list_shared(CONFIG, "tts-rt-v1")
    )
    assert isinstance(parsed, GetSharedVoicesResponse)
    assert parsed.voices and parsed.voices[0].use_case is not None


# --- usage logs, summary, concurrency ----------------------------------------------------------


def test_usage_logs_example_parses_with_decimal_costs() -> None:
    body = EXAMPLES["GET /v1/usage-logs 200"]
    driver = Driver(script(response(200, body)))
    page = driver.run(usage.list_usage_logs(CONFIG, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"))
    assert isinstance(page, GetUsageLogsResponse)
    entry = page.usage_logs[0]
    assert Decimal(entry.cost_usd) == Decimal(body["usage_logs"][0]["cost_usd"])
    assert driver.sent[0].query == {
        "start_time": "2026-01-01T00:00:00Z",
        "end_time": "2026-01-02T00:00:00Z",
        "limit": "1000",
        "sort": "end_time_asc",
    }


def test_usage_logs_cursor_goes_with_the_same_window_and_sort() -> None:
    entry = EXAMPLES["GET /v1/usage-logs 200"]["usage_logs"][0]
    pages = [
        response(200, {"usage_logs": [entry], "next_page_cursor": "c2"}),
        response(200, {"usage_logs": [entry], "next_page_cursor": "c3"}),
        response(200, {"usage_logs": [], "next_page_cursor": None}),
    ]
    driver = Driver(script(*pages))
    entries = driver.iterate(usage.list_all_usage_logs(CONFIG, "S", "E", 10, "end_time_desc"))
    assert len(entries) == 2
    queries = [s.query for s in driver.sent]
    assert [q.get("cursor") for q in queries] == [None, "c2", "c3"]
    for query in queries:
        assert (query["start_time"], query["end_time"], query["sort"], query["limit"]) == (
            "S",
            "E",
            "end_time_desc",
            "10",
        )


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: usage.list_usage_logs(CONFIG, "", "E"), "start_time"),
        (lambda: usage.list_usage_logs(CONFIG, "S", None), "end_time"),  # type: ignore[arg-type]
        (lambda: usage.list_usage_logs(CONFIG, "S", "E", 1001), "limit"),
        (lambda: usage.list_usage_logs(CONFIG, "S", "E", True), "limit"),  # type: ignore[arg-type]
        (lambda: usage.list_usage_logs(CONFIG, "S", "E", 10, "newest"), "sort"),
        (lambda: usage.list_all_usage_logs(CONFIG, "S", "E", 0), "limit"),
        (lambda: usage.usage_summary(CONFIG, "S", ""), "end_time"),
        (lambda: usage.concurrency_history(CONFIG, "S", "E", 61, "stt"), "period_sec"),
        (lambda: usage.concurrency_history(CONFIG, "S", "E", 60, "video"), "kind"),
    ],
)
def test_bad_usage_arguments_fail_before_any_request(call: Any, field: str) -> None:
    driver = Driver(never)
    with pytest.raises(SonioxValidationError) as caught:
        driver.run(call())
    assert caught.value.field == field
    assert driver.sent == []


def test_usage_summary_example_parses() -> None:
    body = EXAMPLES["GET /v1/usage/summary 200"]
    driver = Driver(script(response(200, body)))
    summary = driver.run(usage.usage_summary(CONFIG, "2026-01-01T00:00:00Z", "2026-01-08T00:00:00Z"))
    assert isinstance(summary, GetUsageSummaryResponse)
    assert summary.total.model is None
    assert len(summary.total.cost_usd) == len(summary.total.days)
    assert driver.sent[0].path == "/v1/usage/summary"


def test_concurrency_examples_parse() -> None:
    driver = Driver(
        Router(
            {
                ("GET", "/v1/concurrency-limits"): [
                    response(200, EXAMPLES["GET /v1/concurrency-limits 200"])
                ],
                ("GET", "/v1/concurrent-streams-history"): [
                    response(200, EXAMPLES["GET /v1/concurrent-streams-history 200"])
                ],
            }
        )
    )
    limits = driver.run(usage.concurrency_limits(CONFIG))
    assert isinstance(limits, GetConcurrencyLimitsResponse)
    assert isinstance(limits.project.current.tts_concurrent, int)
    history = driver.run(usage.concurrency_history(CONFIG, "S", "E", 3600, "tts"))
    assert isinstance(history, GetConcurrentStreamsHistoryResponse)
    assert driver.sent[1].query == {"start_time": "S", "end_time": "E", "period_sec": "3600", "kind": "tts"}


def test_usage_error_examples_are_typed() -> None:
    body = EXAMPLES["GET /v1/usage-logs 400"]
    driver = Driver(script(response(400, body)))
    with pytest.raises(SonioxInvalidRequestError) as caught:
        driver.run(usage.list_usage_logs(CONFIG, "S", "E"))
    assert caught.value.error_type == body["error_type"]


# --- regions and TTS URLs -------------------------------------------------------------------


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_a_region_sets_all_four_urls(region: str) -> None:
    config = make_config(region=region)
    domain = "soniox.com" if region == "us" else f"{region}.soniox.com"
    assert config.api_base_url == f"https://api.{domain}/v1"
    assert config.websocket_base_url == f"wss://stt-rt.{domain}/transcribe-websocket"
    assert config.tts_api_base_url == f"https://tts-rt.{domain}"
    assert config.tts_websocket_base_url == f"wss://tts-rt.{domain}/tts-websocket"
    assert config.region == region


def test_defaults_are_the_us_urls() -> None:
    config = make_config()
    assert config.tts_api_base_url == "https://tts-rt.soniox.com"
    assert config.tts_websocket_base_url == "wss://tts-rt.soniox.com/tts-websocket"
    assert config.region == "us"


def test_explicit_urls_win_over_the_region_and_the_region_over_the_environment() -> None:
    env = {"SONIOX_TTS_API_BASE_URL": "http://env-tts", "SONIOX_API_BASE_URL": "http://env-api/v1"}
    config = make_config(region="eu", tts_api_base_url="http://mine/", environ=env)
    assert config.tts_api_base_url == "http://mine"
    assert config.api_base_url == "https://api.eu.soniox.com/v1"
    plain = make_config(environ={**env, "SONIOX_TTS_WEBSOCKET_BASE_URL": "ws://env-ws"})
    assert plain.tts_api_base_url == "http://env-tts"
    assert plain.api_base_url == "http://env-api/v1"
    assert plain.tts_websocket_base_url == "ws://env-ws"


@given(st.text(max_size=8).filter(lambda r: r not in REGIONS))
def test_an_unknown_region_is_rejected(region: str) -> None:
    with pytest.raises(SonioxValidationError) as caught:
        make_config(region=region)
    assert caught.value.field == "region"


@pytest.mark.parametrize(
    ("name", "value"), [("tts_api_base_url", "wss://x"), ("tts_websocket_base_url", "https://x")]
)
def test_tts_urls_need_the_right_scheme(name: str, value: str) -> None:
    with pytest.raises(SonioxValidationError) as caught:
        make_config(**{name: value})
    assert caught.value.field == name


# --- translate helpers ----------------------------------------------------------------------


def test_translate_one_way_with_a_source_hint() -> None:
    base = CreateTranscriptionConfig(enable_speaker_diarization=True)
    config = translate_config(to="es", source="en", between=None, config=base)
    assert config.translation is not None and config.translation.type == "one_way"  # type: ignore[union-attr]
    assert config.translation.target_language == "es"  # type: ignore[union-attr]
    assert config.language_hints == ["en"] and config.language_hints_strict is True
    assert config.enable_language_identification is True
    assert config.enable_speaker_diarization is True
    assert base.translation is None  # the caller's config is left as it was


def test_translate_two_way() -> None:
    config = translate_config(to=None, source=None, between=("en", "de"), config=None)
    translation: Any = config.translation
    assert (translation.type, translation.language_a, translation.language_b) == ("two_way", "en", "de")
    assert config.language_hints is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"to": None, "source": None, "between": None}, "to"),
        ({"to": "es", "source": None, "between": ("en", "de")}, "to"),
        ({"to": None, "source": "en", "between": ("en", "de")}, "source"),
        ({"to": None, "source": None, "between": ("en",)}, "between"),
        ({"to": None, "source": None, "between": "en"}, "between"),
    ],
)
def test_translate_arguments_are_checked(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(SonioxValidationError) as caught:
        translate_config(config=None, **kwargs)
    assert caught.value.field == field


def test_a_temporary_key_for_text_to_speech() -> None:
    from soniox_core._ops import misc

    body = {"api_key": "snx_temp_abc", "expires_at": CREATED}
    driver = Driver(script(response(201, body)))
    key = driver.run(misc.create_temporary_api_key(CONFIG, usage_type="tts_rt", expires_in_seconds=60))
    assert driver.sent[0].json() == {"usage_type": "tts_rt", "expires_in_seconds": 60}
    assert "snx_temp_abc" not in repr(key)
