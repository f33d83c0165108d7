"""Every operation builds the right request and parses the right model."""

from __future__ import annotations

import copy
import json
import warnings
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import msgspec
import pytest
from _driver import (
    Driver,
    Router,
    api_error,
    file_json,
    make_config,
    response,
    script,
    transcript_json,
    transcription_json,
)
from _openapi_examples import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soniox_core import (
    CreateTemporaryApiKeyResponse,
    CreateTranscriptionConfig,
    File,
    GetFilesCountResponse,
    GetFilesResponse,
    GetModelsResponse,
    GetTranscriptionsCountResponse,
    GetTranscriptionsResponse,
    Response,
    SonioxServerError,
    StructuredContext,
    StructuredContextGeneralItem,
    Transcription,
    TranscriptionStatus,
    TranscriptionTranscript,
    TranslationConfig,
)
from soniox_core._ops import files, misc, transcriptions
from soniox_core._responses import parse_body

CONFIG = make_config()


def example(method: str, path: str, status: str) -> Any:
    """The OpenAPI document's example response body (a deep copy)."""
    return copy.deepcopy(EXAMPLES[f"{method.upper()} {path} {status}"])


def test_the_examples_used_here_are_documented() -> None:
    for key in ("GET /v1/files 200", "POST /v1/transcriptions 201", "POST /v1/auth/temporary-api-key 201"):
        assert key in EXAMPLES
    assert EXAMPLES["POST /v1/auth/temporary-api-key 201"]["api_key"].startswith("snx_temp_")


# --- files --------------------------------------------------------------------------


def test_files_list_page_default() -> None:
    body = example("get", "/v1/files", "200")
    page, driver = _run(files.list_page(CONFIG), response(200, body))
    sent = driver.sent[0]
    assert (sent.method, sent.path) == ("GET", "/v1/files")
    assert sent.query == {"limit": "100"}  # no cursor when None
    assert sent.body is None
    assert isinstance(page, GetFilesResponse)
    assert isinstance(page.files[0], File)
    assert page.files[0].id == body["files"][0]["id"]
    assert page.files[0].created_at.tzinfo is not None


def test_files_list_page_with_cursor_and_limit() -> None:
    _, driver = _run(files.list_page(CONFIG, 7, "abc/=+ def"), response(200, {"files": []}))
    assert driver.sent[0].query == {"limit": "7", "cursor": "abc/=+ def"}
    assert "cursor=abc%2F%3D%2B+def" in driver.sent[0].request.target


def test_files_count() -> None:
    result, driver = _run(files.count(CONFIG), response(200, example("get", "/v1/files/count", "200")))
    assert driver.calls == [("GET", "/v1/files/count")]
    assert result == GetFilesCountResponse(total=50, public_api=42, playground=8)


def test_files_get() -> None:
    body = example("get", "/v1/files/{file_id}", "200")
    result, driver = _run(files.get(CONFIG, body["id"]), response(200, body))
    assert driver.calls == [("GET", f"/v1/files/{body['id']}")]
    assert isinstance(result, File)
    assert (result.id, result.filename, result.size) == (body["id"], body["filename"], body["size"])


@pytest.mark.parametrize(
    ("file_id", "encoded"), [("a b", "a%20b"), ("x?y", "x%3Fy"), ("50%", "50%25"), ("é", "%C3%A9")]
)
def test_ids_are_encoded_as_one_segment(file_id: str, encoded: str) -> None:
    _, driver = _run(files.get(CONFIG, file_id), response(200, file_json(file_id)))
    assert driver.sent[0].request.target == f"/v1/files/{encoded}"
    _, driver = _run(transcriptions.get_transcript(CONFIG, file_id), response(200, transcript_json()))
    assert driver.sent[0].request.target == f"/v1/transcriptions/{encoded}/transcript"


def test_files_get_or_none() -> None:
    assert _run(files.get_or_none(CONFIG, "f"), response(404, api_error(404, "file_not_found")))[0] is None
    assert _run(files.get_or_none(CONFIG, "f"), response(404))[0] is None  # 404 without a body
    assert _run(files.get_or_none(CONFIG, "f"), response(200, file_json("f")))[0].id == "f"
    driver = Driver(script(*(response(500, api_error(500)) for _ in range(3))))
    with pytest.raises(SonioxServerError):
        driver.run(files.get_or_none(CONFIG, "f"))


def test_files_delete_and_delete_if_exists() -> None:
    result, driver = _run(files.delete(CONFIG, "f-1"), response(204))
    assert result is None
    assert driver.calls == [("DELETE", "/v1/files/f-1")]
    assert driver.sent[0].body is None
    assert _run(files.delete_if_exists(CONFIG, "f-1"), response(404, api_error(404)))[0] is None
    driver = Driver(script(response(409, api_error(409))))
    with pytest.raises(Exception, match="it failed"):
        driver.run(files.delete_if_exists(CONFIG, "f-1"))


def test_files_upload_request() -> None:
    body = example("post", "/v1/files", "201")
    result, driver = _run(files.upload(CONFIG, b"RIFF....", "take 1.wav", "ref-9"), response(201, body))
    sent = driver.sent[0]
    assert (sent.method, sent.path) == ("POST", "/v1/files")
    assert sent.request.idempotent is False
    content_type = sent.header("Content-Type") or ""
    assert content_type.startswith("multipart/form-data; boundary=")
    assert sent.header("Content-Length") == str(len(sent.body or b""))
    payload = sent.body or b""
    assert b'name="client_reference_id"\r\n\r\nref-9\r\n' in payload
    assert b'name="file"; filename="take 1.wav"\r\nContent-Type: audio/wav\r\n\r\nRIFF....\r\n' in payload
    assert isinstance(result, File) and result.id == body["id"]


def test_files_upload_without_reference_has_no_such_field() -> None:
    _, driver = _run(files.upload(CONFIG, b"x"), response(201, file_json()))
    body = driver.sent[0].body or b""
    assert b"client_reference_id" not in body
    assert b'filename="upload.bin"' in body
    assert b"Content-Type: application/octet-stream" in body


# --- transcriptions ---------------------------------------------------------------------


def test_transcriptions_list_page() -> None:
    body = example("get", "/v1/transcriptions", "200")
    page, driver = _run(transcriptions.list_page(CONFIG, 1000, "c1"), response(200, body))
    assert driver.calls == [("GET", "/v1/transcriptions")]
    assert driver.sent[0].query == {"limit": "1000", "cursor": "c1"}
    assert isinstance(page, GetTranscriptionsResponse)
    assert isinstance(page.transcriptions[0], Transcription)


def test_transcriptions_count() -> None:
    result, driver = _run(
        transcriptions.count(CONFIG), response(200, example("get", "/v1/transcriptions/count", "200"))
    )
    assert driver.calls == [("GET", "/v1/transcriptions/count")]
    assert isinstance(result, GetTranscriptionsCountResponse)
    assert result.total == 50


def test_transcriptions_get_and_status() -> None:
    body = example("get", "/v1/transcriptions/{transcription_id}", "200")
    result, driver = _run(transcriptions.get(CONFIG, body["id"]), response(200, body))
    assert driver.calls == [("GET", f"/v1/transcriptions/{body['id']}")]
    assert isinstance(result, Transcription)
    assert result.status == TranscriptionStatus.COMPLETED == "completed"
    assert result.is_done


def test_transcriptions_get_or_none_delete_and_transcript() -> None:
    assert _run(transcriptions.get_or_none(CONFIG, "t"), response(404))[0] is None
    _, driver = _run(transcriptions.delete(CONFIG, "t"), response(204))
    assert driver.calls == [("DELETE", "/v1/transcriptions/t")]
    assert _run(transcriptions.delete_if_exists(CONFIG, "t"), response(404))[0] is None
    body = example("get", "/v1/transcriptions/{transcription_id}/transcript", "200")
    result, driver = _run(transcriptions.get_transcript(CONFIG, "t"), response(200, body))
    assert driver.calls == [("GET", "/v1/transcriptions/t/transcript")]
    assert isinstance(result, TranscriptionTranscript)
    assert result.text == body["text"]
    assert [t.text for t in result.tokens] == [t["text"] for t in body["tokens"]]


def test_create_from_url_minimal_body() -> None:
    body = example("post", "/v1/transcriptions", "201")
    result, driver = _run(
        transcriptions.create(CONFIG, audio_url="https://x.test/a.mp3"), response(201, body)
    )
    sent = driver.sent[0]
    assert (sent.method, sent.path) == ("POST", "/v1/transcriptions")
    assert sent.request.idempotent is False
    assert sent.header("Content-Type") == "application/json"
    assert sent.header("Content-Length") == str(len(sent.body or b""))
    assert sent.json() == {"model": "stt-async-v5", "audio_url": "https://x.test/a.mp3"}
    assert isinstance(result, Transcription) and result.status == "queued"


def test_create_flattens_config_and_drops_none() -> None:
    config = CreateTranscriptionConfig(
        language_hints=["en", "sl"],
        language_hints_strict=True,
        enable_speaker_diarization=True,
        enable_language_identification=False,
        translation=TranslationConfig(type="one_way", target_language="fr"),
        context=StructuredContext(
            general=[StructuredContextGeneralItem(key="domain", value="medicine")], terms=["Soniox"]
        ),
        webhook_url=None,
    )
    _, driver = _run(
        transcriptions.create(
            CONFIG,
            model="stt-async-v4",
            file_id="f-1",
            client_reference_id="ref",
            transcription_config=config,
        ),
        response(201, transcription_json()),
    )
    assert driver.sent[0].json() == {
        "model": "stt-async-v4",
        "file_id": "f-1",
        "client_reference_id": "ref",
        "language_hints": ["en", "sl"],
        "language_hints_strict": True,
        "enable_speaker_diarization": True,
        "enable_language_identification": False,
        "translation": {"type": "one_way", "target_language": "fr"},
        "context": {"general": [{"key": "domain", "value": "medicine"}], "terms": ["Soniox"]},
    }


def test_create_accepts_a_mapping_config_with_coercions() -> None:
    config = {
        "context": {"general": {"domain": "law", "topic": "contracts"}, "translation_terms": {"Mr": "Sr"}},
        "translation": {"type": "two_way", "language_a": "en", "language_b": "es", "target_language": "de"},
        "enable_speaker_diarization": None,
    }
    _, driver = _run(
        transcriptions.create(CONFIG, audio_url="https://x.test/a", transcription_config=config),
        response(201, transcription_json()),
    )
    body = driver.sent[0].json()
    assert body["context"] == {
        "general": [{"key": "domain", "value": "law"}, {"key": "topic", "value": "contracts"}],
        "translation_terms": [{"source": "Mr", "target": "Sr"}],
    }
    # two_way drops a stray target_language, as the official SDK does.
    assert body["translation"] == {"type": "two_way", "language_a": "en", "language_b": "es"}
    assert "enable_speaker_diarization" not in body


def test_create_one_way_drops_stray_two_way_languages() -> None:
    config = CreateTranscriptionConfig(
        translation={"type": "one_way", "target_language": "de", "language_a": "en", "language_b": "fr"}
    )
    _, driver = _run(
        transcriptions.create(CONFIG, audio_url="https://x.test/a", transcription_config=config),
        response(201, transcription_json()),
    )
    assert driver.sent[0].json()["translation"] == {"type": "one_way", "target_language": "de"}


def test_create_context_as_text() -> None:
    _, driver = _run(
        transcriptions.create(
            CONFIG, audio_url="https://x.test/a", transcription_config={"context": "A talk about cells."}
        ),
        response(201, transcription_json()),
    )
    assert driver.sent[0].json()["context"] == "A talk about cells."


def test_deprecated_config_model_and_reference_win_with_a_warning() -> None:
    config = CreateTranscriptionConfig(model="stt-async-v3", client_reference_id="from-config")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _, driver = _run(
            transcriptions.create(
                CONFIG, audio_url="https://x.test/a", client_reference_id="arg", transcription_config=config
            ),
            response(201, transcription_json()),
        )
    body = driver.sent[0].json()
    assert body["model"] == "stt-async-v3"
    assert body["client_reference_id"] == "from-config"
    assert sum(issubclass(w.category, DeprecationWarning) for w in caught) == 2


def test_caller_config_is_not_mutated() -> None:
    config = CreateTranscriptionConfig(
        context={"general": {"domain": "law"}}, translation={"type": "one_way", "target_language": "fr"}
    )
    before = msgspec.json.encode(config)
    _run(
        transcriptions.create(CONFIG, audio_url="https://x.test/a", transcription_config=config),
        response(201, transcription_json()),
    )
    assert msgspec.json.encode(config) == before


def test_destroy_fetches_then_deletes_transcription_and_file() -> None:
    router = Router(
        {
            ("GET", "/v1/transcriptions/t"): [
                response(200, transcription_json("t", "completed", file_id="f"))
            ],
            ("DELETE", "/v1/transcriptions/t"): [response(204)],
            ("DELETE", "/v1/files/f"): [response(404, api_error(404))],
        }
    )
    driver = Driver(router)
    assert driver.run(transcriptions.destroy(CONFIG, "t")) is None
    assert driver.calls == [
        ("GET", "/v1/transcriptions/t"),
        ("DELETE", "/v1/transcriptions/t"),
        ("DELETE", "/v1/files/f"),
    ]


def test_destroy_without_file_makes_no_files_call() -> None:
    router = Router(
        {
            ("GET", "/v1/transcriptions/t"): [response(200, transcription_json("t", "completed"))],
            ("DELETE", "/v1/transcriptions/t"): [response(204)],
        }
    )
    driver = Driver(router)
    driver.run(transcriptions.destroy(CONFIG, "t"))
    assert all(not path.startswith("/v1/files") for _, path in driver.calls)


# --- models, temporary keys, raw requests ---------------------------------------------------


MODEL = {
    "id": "stt-rt-v4",
    "aliased_model_id": None,
    "name": "Speech-to-Text Real-time v4",
    "context_version": 2,
    "transcription_mode": "real_time",
    "languages": [{"code": "en", "name": "English"}],
    "supports_language_hints_strict": True,
    "supports_max_endpoint_delay": True,
    "supports_endpoint_sensitivity": False,
    "supports_endpoint_latency_adjustment": False,
    "endpoint_latency_adjustment_max_level": 0,
    "translation_targets": [
        {"target_language": "fr", "source_languages": ["*"], "exclude_source_languages": []}
    ],
    "two_way_translation_pairs": ["en:fr"],
    "one_way_translation": "all_languages",
    "two_way_translation": "all_languages",
}


def test_list_models() -> None:
    result, driver = _run(misc.list_models(CONFIG), response(200, {"models": [MODEL]}))
    assert driver.calls == [("GET", "/v1/models")]
    assert isinstance(result, GetModelsResponse)
    model = result.models[0]
    assert model.id == "stt-rt-v4"
    assert model.languages[0].code == "en"
    assert model.translation_targets[0].target_language == "fr"


def test_create_temporary_api_key_defaults() -> None:
    body = example("post", "/v1/auth/temporary-api-key", "201")
    result, driver = _run(misc.create_temporary_api_key(CONFIG), response(201, body))
    sent = driver.sent[0]
    assert (sent.method, sent.path) == ("POST", "/v1/auth/temporary-api-key")
    assert sent.request.idempotent is False
    assert sent.json() == {"usage_type": "transcribe_websocket", "expires_in_seconds": 300}
    assert isinstance(result, CreateTemporaryApiKeyResponse)
    assert result.api_key == body["api_key"]
    assert result.expires_at == datetime(2025, 2, 22, 22, 47, 37, 150000, tzinfo=timezone.utc)


def test_create_temporary_api_key_all_fields() -> None:
    _, driver = _run(
        misc.create_temporary_api_key(
            CONFIG,
            usage_type="tts_rt",
            expires_in_seconds=3600,
            client_reference_id="r",
            single_use=True,
            max_session_duration_seconds=60,
        ),
        response(201, {"api_key": "temp:x", "expires_at": "2025-01-01T00:00:00Z"}),
    )
    assert driver.sent[0].json() == {
        "usage_type": "tts_rt",
        "expires_in_seconds": 3600,
        "client_reference_id": "r",
        "single_use": True,
        "max_session_duration_seconds": 60,
    }


def test_raw_request_variants() -> None:
    describe = misc.describe_raw_request
    get = describe(CONFIG, "get", "/files", params={"limit": 5, "cursor": None, "flag": True})
    assert (get.method, get.target, get.body) == ("GET", "/v1/files?limit=5&flag=true", None)
    post = describe(CONFIG, "POST", "models/x", json={"a": [1, None]})
    assert post.target == "/v1/models/x"
    assert json.loads(post.body) == {"a": [1, None]}  # type: ignore[arg-type]
    form = describe(CONFIG, "POST", "/x", data={"a": "1 2", "b": None})
    assert form.body == b"a=1+2"
    assert (b"Content-Type", b"application/x-www-form-urlencoded") in form.headers
    upload = describe(
        CONFIG, "POST", "/files", files={"file": ("a.wav", b"abc", "audio/x-wav")}, data={"k": "v"}
    )
    driver = Driver(script(response(201, file_json())))
    result = driver.run(misc.raw_request(CONFIG, upload))
    assert isinstance(result, Response)
    assert result.status_code == 201
    assert result.request_method == "POST"
    assert result.request_path == "/v1/files"
    body = driver.sent[0].body or b""
    assert b'filename="a.wav"\r\nContent-Type: audio/x-wav\r\n\r\nabc' in body
    assert b'name="k"\r\n\r\nv' in body
    empty_post = describe(CONFIG, "POST", "/x")
    assert (b"Content-Length", b"0") in empty_post.headers


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"method": "GET /x", "path": "/x"}, "method"),
        ({"method": "GET", "path": "https://evil.test/v1/files"}, "path"),
        ({"method": "POST", "path": "/x", "json": {}, "data": {"a": 1}}, "json"),
        ({"method": "POST", "path": "/x", "files": {"f": ("a",)}}, "f"),
    ],
)
def test_raw_request_rejects_bad_input(kwargs: dict[str, Any], field: str) -> None:
    from soniox_core import SonioxValidationError

    with pytest.raises(SonioxValidationError) as info:
        misc.describe_raw_request(CONFIG, **kwargs)
    assert info.value.field == field


# --- forward compatibility: unknown fields and enum values ----------------------------------

KNOWN: dict[type, Callable[[], Any]] = {
    File: lambda: example("get", "/v1/files/{file_id}", "200"),
    GetFilesResponse: lambda: example("get", "/v1/files", "200"),
    Transcription: lambda: example("get", "/v1/transcriptions/{transcription_id}", "200"),
    GetTranscriptionsResponse: lambda: example("get", "/v1/transcriptions", "200"),
    TranscriptionTranscript: lambda: example(
        "get", "/v1/transcriptions/{transcription_id}/transcript", "200"
    ),
    GetModelsResponse: lambda: {"models": [MODEL]},
    CreateTemporaryApiKeyResponse: lambda: example("post", "/v1/auth/temporary-api-key", "201"),
    GetFilesCountResponse: lambda: example("get", "/v1/files/count", "200"),
}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
extra_keys = st.dictionaries(
    st.text(min_size=1, max_size=12).map(lambda s: "x_" + s), json_values, min_size=1, max_size=5
)


def _add_extras(value: Any, extras: dict[str, Any]) -> Any:
    """Add ``extras`` to every object in ``value``, recursively."""
    if isinstance(value, dict):
        return {**{k: _add_extras(v, extras) for k, v in value.items()}, **extras}
    if isinstance(value, list):
        return [_add_extras(v, extras) for v in value]
    return value


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(model=st.sampled_from(sorted(KNOWN, key=lambda t: t.__name__)), extras=extra_keys)
def test_unknown_fields_are_tolerated(model: type, extras: dict[str, Any]) -> None:
    plain = KNOWN[model]()
    expected = parse_body(response(200, plain), model)
    assert parse_body(response(200, _add_extras(plain, extras)), model) == expected


@given(status=st.text(min_size=1, max_size=20).filter(lambda s: s not in ("queued", "processing")))
def test_unknown_transcription_status_is_tolerated_and_terminal(status: str) -> None:
    result = parse_body(response(200, transcription_json(status=status)), Transcription)
    assert result.status == status
    assert result.is_done


def test_unknown_enum_values_elsewhere_are_tolerated() -> None:
    model = parse_body(
        response(200, {"models": [{**MODEL, "transcription_mode": "batch"}]}), GetModelsResponse
    )
    assert model.models[0].transcription_mode == "batch"
    transcript = parse_body(
        response(200, {"id": "t", "text": "x", "tokens": [{"text": "x", "translation_status": "pending"}]}),
        TranscriptionTranscript,
    )
    assert transcript.tokens[0].translation_status == "pending"


def test_optional_fields_may_be_missing_or_null() -> None:
    minimal = {"id": "t", "status": "queued", "created_at": "2025-01-01T00:00:00Z", "model": "m"}
    result = parse_body(response(200, {**minimal, "file_id": None, "audio_duration_ms": None}), Transcription)
    assert result.file_id is None and result.filename == "" and result.enable_speaker_diarization is False
    page = parse_body(response(200, {"files": [], "next_page_cursor": None}), GetFilesResponse)
    assert page.next_page_cursor is None


# --- helpers ---------------------------------------------------------------------------------


def _run(op: Any, *responses: Any) -> tuple[Any, Driver]:
    driver = Driver(script(*responses))
    return driver.run(op), driver


def test_raw_request_path_with_query_and_params() -> None:
    # httpx (which the official SDK's request() wraps) merges the two; so must we.
    described = misc.describe_raw_request(CONFIG, "GET", "/files?limit=5", params={"cursor": "c1"})
    assert described.target == "/v1/files?limit=5&cursor=c1"
    assert misc.describe_raw_request(CONFIG, "GET", "/files?limit=5").target == "/v1/files?limit=5"


# --- request bodies, property-based -------------------------------------------------------------

langs = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz-"), min_size=1, max_size=10)
maybe = st.none() | st.booleans()


@settings(max_examples=60)
@given(
    model=st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=32),
    source=st.sampled_from(["file_id", "audio_url"]),
    hints=st.none() | st.lists(langs, max_size=5),
    strict=maybe,
    diarization=maybe,
    language_id=maybe,
    reference=st.none() | st.text(max_size=256),
    context=st.none() | st.text(max_size=30),
    as_mapping=st.booleans(),
)
def test_create_body_is_the_flattened_config_without_nones(
    model: str,
    source: str,
    hints: list[str] | None,
    strict: bool | None,
    diarization: bool | None,
    language_id: bool | None,
    reference: str | None,
    context: str | None,
    as_mapping: bool,
) -> None:
    settings_ = {
        "language_hints": hints,
        "language_hints_strict": strict,
        "enable_speaker_diarization": diarization,
        "enable_language_identification": language_id,
        "context": context,
    }
    config: Any = settings_ if as_mapping else CreateTranscriptionConfig(**settings_)
    source_value = "file-1" if source == "file_id" else "https://x.test/a.mp3"
    _, driver = _run(
        transcriptions.create(
            CONFIG,
            model=model,
            client_reference_id=reference,
            transcription_config=config,
            **{source: source_value},
        ),
        response(201, transcription_json()),
    )
    expected = {"model": model, source: source_value, "client_reference_id": reference, **settings_}
    assert driver.sent[0].json() == {k: v for k, v in expected.items() if v is not None}


@given(
    query=st.dictionaries(
        st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=8),
        st.none() | st.integers() | st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
        max_size=4,
    )
)
def test_raw_request_query_round_trips(query: dict[str, Any]) -> None:
    from urllib.parse import parse_qsl, urlsplit

    described = misc.describe_raw_request(CONFIG, "GET", "/files", params=query)
    parsed = parse_qsl(urlsplit(described.target).query, keep_blank_values=True)
    assert parsed == [(k, str(v)) for k, v in query.items() if v is not None]
    assert urlsplit(described.target).path == "/v1/files"


def test_temporary_key_accepts_the_enum() -> None:
    from soniox_core import TemporaryApiKeyUsageType

    _, driver = _run(
        misc.create_temporary_api_key(CONFIG, usage_type=TemporaryApiKeyUsageType.TTS_RT),
        response(201, {"api_key": "temp:x", "expires_at": "2025-01-01T00:00:00Z"}),
    )
    assert driver.sent[0].json()["usage_type"] == "tts_rt"


def test_response_headers_are_case_insensitive() -> None:
    from soniox_core import Headers

    headers = Headers([(b"X-A", b"1"), (b"x-a", b"2"), (b"Content-Type", b"text/plain")])
    assert headers["X-A"] == headers["x-a"] == "2"  # the last value wins
    assert "content-type" in headers and "nope" not in headers and 5 not in headers
    assert len(headers) == 2
    assert headers.items_raw() == [("X-A", "1"), ("x-a", "2"), ("Content-Type", "text/plain")]


@pytest.mark.parametrize(
    ("path", "encoded"), [("/files/ž b", "/v1/files/%C5%BE%20b"), ("/x y?a=1", "/v1/x%20y?a=1")]
)
def test_raw_request_target_is_ascii(path: str, encoded: str) -> None:
    # The drivers put the target on the wire as ASCII; a raw UnicodeEncodeError must never escape.
    described = misc.describe_raw_request(CONFIG, "GET", path)
    assert described.target.isascii()
    assert described.target == encoded


def test_enum_values_in_request_models() -> None:
    from soniox_core import TranslationType

    config = CreateTranscriptionConfig(
        translation=TranslationConfig(type=TranslationType.TWO_WAY, language_a="en", language_b="de")
    )
    _, driver = _run(
        transcriptions.create(CONFIG, audio_url="https://x.test/a", transcription_config=config),
        response(201, transcription_json()),
    )
    assert driver.sent[0].json()["translation"] == {"type": "two_way", "language_a": "en", "language_b": "de"}
