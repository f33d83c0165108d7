"""Text-to-Speech over REST in the core: the request, the payload rules, errors, streaming."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest
from _driver import Cancelled, CutShort, Driver, WithTrailers, make_config, response, script
from _openapi_examples_tts import EXAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from soniox_core import (
    CreateTtsConfig,
    GetTtsModelsResponse,
    SonioxAPIError,
    SonioxAuthenticationError,
    SonioxConnectionError,
    SonioxInvalidRequestError,
    SonioxPaymentRequiredError,
    SonioxRateLimitError,
    SonioxRequestTimeoutError,
    SonioxServerError,
    SonioxValidationError,
)
from soniox_core._effects import CloseBody, Emit, OpenStream, ReadChunk, ReadTrailers
from soniox_core._ops import tts

CONFIG = make_config(api_base_url="https://api.example.test/v1", tts_api_base_url="https://tts.example.test")
AUDIO = b"RIFF" + bytes(range(256)) * 4


def describe(**overrides: Any) -> Any:
    kwargs: dict[str, Any] = {
        "text": "Hello there",
        "voice": "Adrian",
        "model": "tts-rt-v2",
        "language": "en",
    }
    kwargs.update(overrides)
    if "config" in kwargs:
        kwargs["tts_config"] = kwargs.pop("config")
    return tts.describe_generate(CONFIG, **kwargs)


def sent_json(driver: Driver, index: int = 0) -> Any:
    return json.loads(driver.sent[index].body or b"")


# --- the request ---------------------------------------------------------------------


def test_generate_posts_to_the_tts_host_and_returns_the_audio() -> None:
    driver = Driver(script(response(200, AUDIO, headers=[("Content-Type", "audio/wav")])))
    audio = driver.run(tts.generate(CONFIG, describe()))
    assert audio == AUDIO
    sent = driver.sent[0]
    assert sent.request.origin == "https://tts.example.test"
    assert (sent.method, sent.path) == ("POST", "/tts")
    assert sent.header("authorization") == "Bearer " + CONFIG.api_key
    assert sent.header("content-type") == "application/json"
    assert sent.header("accept") == "*/*"
    assert sent_json(driver) == {
        "text": "Hello there",
        "voice": "Adrian",
        "model": "tts-rt-v2",
        "language": "en",
        "audio_format": "wav",
    }


def test_a_tts_base_url_with_a_path_prefixes_it() -> None:
    config = make_config(tts_api_base_url="http://127.0.0.1:9/proxy/")
    request = tts.describe_generate(config, text="x", voice="v", model="m", language="en")
    assert request.target == "/proxy/tts"
    assert request.origin == "http://127.0.0.1:9/proxy"


def test_other_requests_stay_on_the_api_host() -> None:
    driver = Driver(script(response(200, {"models": []})))
    driver.run(tts.list_tts_models(CONFIG))
    assert driver.sent[0].request.origin is None
    assert driver.sent[0].path == "/v1/tts-models"


# --- the payload rules of the official SDK ---------------------------------------------


def test_config_settings_are_sent_and_none_is_left_out() -> None:
    request = describe(
        config=CreateTtsConfig(audio_format="mp3", bitrate=128000, speed=1.2, reduce_silence=True)
    )
    assert json.loads(request.body) == {
        "text": "Hello there",
        "voice": "Adrian",
        "model": "tts-rt-v2",
        "language": "en",
        "audio_format": "mp3",
        "bitrate": 128000,
        "speed": 1.2,
        "reduce_silence": True,
    }


def test_flat_output_settings_are_deprecated_and_the_config_wins() -> None:
    with pytest.warns(DeprecationWarning, match="audio_format, sample_rate"):
        request = describe(
            audio_format="pcm_s16le", sample_rate=16000, config=CreateTtsConfig(audio_format="flac")
        )
    body = json.loads(request.body)
    assert body["audio_format"] == "flac"
    assert body["sample_rate"] == 16000


def test_no_language_warns_and_means_english() -> None:
    with pytest.warns(DeprecationWarning, match="language 'en'"):
        request = describe(language=None)
    assert json.loads(request.body)["language"] == "en"


def test_identity_on_the_config_is_deprecated_but_honoured() -> None:
    config = CreateTtsConfig(model="tts-other", voice="Maya", language="de")
    with pytest.warns(DeprecationWarning, match="model, voice, language"):
        body = json.loads(describe(config=config, language=None).body)
    assert (body["model"], body["voice"], body["language"]) == ("tts-other", "Maya", "de")
    with pytest.warns(DeprecationWarning):
        body = json.loads(describe(config=config, language="fr").body)
    assert body["language"] == "fr"  # the call's language wins over the config's


def test_a_plain_mapping_config_works_too() -> None:
    body = json.loads(describe(config={"audio_format": "opus", "speed": 0.8}).body)
    assert (body["audio_format"], body["speed"]) == ("opus", 0.8)


def test_no_warning_on_the_recommended_path() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        describe(config=CreateTtsConfig(audio_format="wav"))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"voice": ""}, "voice"),
        ({"model": "m" * 51}, "model"),
        ({"language": ""}, "language"),
        ({"config": CreateTtsConfig(audio_format="mp4")}, "audio_format"),
        ({"config": CreateTtsConfig(sample_rate=12345)}, "sample_rate"),
        ({"config": CreateTtsConfig(bitrate=1)}, "bitrate"),
        ({"config": CreateTtsConfig(speed=1.5)}, "speed"),
        ({"config": CreateTtsConfig(speed=True)}, "speed"),  # type: ignore[arg-type]
        ({"config": {"volume": 3}}, "config"),
        ({"config": "mp3"}, "config"),
        ({"client_reference_id": "r" * 257}, "client_reference_id"),
        ({"text": 42}, "text"),
    ],
)
def test_bad_arguments_fail_before_any_request(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(SonioxValidationError) as caught:
        describe(**overrides)
    assert caught.value.field == field


def test_the_longest_text_is_accepted() -> None:
    assert len(json.loads(describe(text="a" * 5000).body)["text"]) == 5000


@settings(max_examples=50, deadline=None)
@given(speed=st.floats(allow_nan=True, allow_infinity=True))
def test_speed_is_accepted_exactly_in_its_range(speed: float) -> None:
    if 0.7 <= speed <= 1.3:
        assert json.loads(describe(config=CreateTtsConfig(speed=speed)).body)["speed"] == speed
    else:
        with pytest.raises(SonioxValidationError):
            describe(config=CreateTtsConfig(speed=speed))


# --- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, SonioxInvalidRequestError),
        (401, SonioxAuthenticationError),
        (402, SonioxPaymentRequiredError),
        (403, SonioxAuthenticationError),
        (408, SonioxRequestTimeoutError),
        (429, SonioxRateLimitError),
        (500, SonioxServerError),
        (503, SonioxServerError),
    ],
)
def test_tts_error_bodies_map_to_the_typed_errors(status: int, cls: type[SonioxAPIError]) -> None:
    body = EXAMPLES[f"POST /tts {status}"]
    config = make_config(tts_api_base_url="https://tts.example.test", client_kwargs={"max_retries": 0})
    request = tts.describe_generate(config, text="x", voice="v", model="m", language="en")
    for streamed in (False, True):
        driver = Driver(script(response(status, body)))
        with pytest.raises(cls) as caught:
            if streamed:
                driver.iterate(tts.generate_stream(config, request))
            else:
                driver.run(tts.generate(config, request))
        error = caught.value
        assert error.status_code == status
        assert error.error_type == body["error_type"]
        assert str(error).startswith(body["error_message"][:20])
        assert error.request_id == body["request_id"]
        assert error.api_error is not None and error.api_error.more_info == body["more_info"]
        assert all(b.closed for b in driver.bodies)


def test_a_busy_service_is_retried_before_audio_starts() -> None:
    busy = response(503, EXAMPLES["POST /tts 503"])
    driver = Driver(script(busy, response(429, EXAMPLES["POST /tts 429"]), response(200, AUDIO)))
    chunks = driver.iterate(tts.generate_stream(CONFIG, describe()))
    assert b"".join(chunks) == AUDIO
    assert len(driver.sent) == 3 and len(driver.sleeps) == 2
    assert all(b.closed and not b.closed_by_driver for b in driver.bodies)


# --- streaming -------------------------------------------------------------------------


def test_the_stream_emits_each_chunk_as_it_is_read() -> None:
    driver = Driver(script(response(200, AUDIO)), stream_chunk=100)
    op = tts.generate_stream(CONFIG, describe())
    effects: list[Any] = []
    value: Any = None
    while True:
        try:
            effect = op.send(value)
        except StopIteration:
            break
        effects.append(type(effect))
        value = None if isinstance(effect, Emit) else driver.perform(effect)
    # open, then read/emit alternating (one chunk in memory at a time), then release
    assert effects[0] is OpenStream
    assert effects[1:7] == [ReadChunk, Emit, ReadChunk, Emit, ReadChunk, Emit]
    assert effects[-3:] == [ReadChunk, ReadTrailers, CloseBody]
    assert driver.bodies[0].closed


def test_a_body_cut_short_raises_after_the_audio_that_arrived_and_is_not_retried() -> None:
    cut = SonioxConnectionError(
        "peer closed connection without sending complete message body", request_sent=True
    )
    driver = Driver(script(CutShort(response(200, AUDIO[:10]), cut)))
    received: list[bytes] = []
    op = tts.generate_stream(CONFIG, describe())
    with pytest.raises(SonioxConnectionError):
        for item in _items(driver, op):
            received.append(item)
    assert b"".join(received) == AUDIO[:10]
    assert len(driver.sent) == 1
    assert driver.bodies[0].closed and not driver.bodies[0].closed_by_driver


def test_buffered_generate_retries_only_before_the_audio_starts() -> None:
    refused = SonioxConnectionError("connection refused", request_sent=False)
    cut = SonioxConnectionError("incomplete body", request_sent=True)
    driver = Driver(script(refused, CutShort(response(200, AUDIO[:8]), cut)))
    with pytest.raises(SonioxConnectionError, match="incomplete body"):
        driver.run(tts.generate(CONFIG, describe()))
    assert len(driver.sent) == 2
    assert driver.bodies[0].closed


@pytest.mark.parametrize("streamed", [False, True])
def test_an_error_in_the_trailers_is_raised_after_the_audio(streamed: bool) -> None:
    trailers = [("X-Tts-Error-Code", "503"), ("X-Tts-Error-Message", "Service unavailable (code 7)")]
    head = response(200, AUDIO, headers=[("X-Request-Id", "req-9")])
    driver = Driver(script(WithTrailers(head, trailers)))
    with pytest.raises(SonioxServerError) as caught:
        if streamed:
            driver.iterate(tts.generate_stream(CONFIG, describe()))
        else:
            driver.run(tts.generate(CONFIG, describe()))
    assert caught.value.status_code == 503
    assert "Service unavailable (code 7)" in str(caught.value)
    assert caught.value.request_id == "req-9"
    if streamed:
        assert b"".join(driver.emitted) == AUDIO  # the audio came first
    assert len(driver.sent) == 1 and driver.bodies[0].closed


def test_harmless_trailers_are_ignored() -> None:
    driver = Driver(script(WithTrailers(response(200, AUDIO), [("X-Checksum", "abc")])))
    assert driver.run(tts.generate(CONFIG, describe())) == AUDIO


def test_stopping_early_leaves_the_body_to_the_runner() -> None:
    driver = Driver(script(response(200, AUDIO)))
    chunks = driver.iterate(tts.generate_stream(CONFIG, describe()), stop_after=2)
    assert len(chunks) == 2
    body = driver.bodies[0]
    assert body.closed and body.closed_by_driver


def test_cancellation_mid_stream_releases_the_body() -> None:
    driver = Driver(
        script(response(200, AUDIO)),
        cancel_at=lambda effect, index: isinstance(effect, ReadChunk) and index > 3,
    )
    with pytest.raises(Cancelled):
        driver.run(_collect(tts.generate_stream(CONFIG, describe())))
    assert driver.bodies[0].closed and not driver.bodies[0].closed_by_driver


def test_an_error_body_is_read_only_up_to_a_limit() -> None:
    config = make_config(tts_api_base_url="https://tts.example.test", client_kwargs={"max_retries": 0})
    request = tts.describe_generate(config, text="x", voice="v", model="m", language="en")
    driver = Driver(script(response(500, b"x" * 200_000)), stream_chunk=16_384)
    with pytest.raises(SonioxServerError):
        driver.iterate(tts.generate_stream(config, request))
    assert driver.bodies[0].offset <= 64 * 1024 + 16_384
    assert driver.bodies[0].closed


def test_tts_models_parse_with_unknown_fields_and_values() -> None:
    body = {
        "models": [
            {
                "id": "tts-rt-v2",
                "aliased_model_id": None,
                "name": "TTS v2",
                "languages": [{"code": "en", "name": "English"}],
                "voices": [{"id": "Adrian", "description": "calm", "gender": "robotic", "pitch": 3}],
                "supports_timestamps": True,
                "supports_voice_cloning": True,
                "voice_cloning_max_audio_duration_ms": 20000,
                "supports_speed_adjustment": True,
                "speed_min": 0.7,
                "speed_max": 1.3,
                "supports_silence_reduction": False,
                "brand_new_flag": {"x": 1},
            }
        ]
    }
    driver = Driver(script(response(200, body)))
    models = driver.run(tts.list_tts_models(CONFIG))
    assert isinstance(models, GetTtsModelsResponse)
    model = models.models[0]
    assert model.voices[0].gender == "robotic"
    assert model.voice_cloning_max_audio_duration_ms == 20000
    assert model.languages[0].code == "en"


# --- helpers ---------------------------------------------------------------------------


def _items(driver: Driver, op: Any) -> Any:
    """Drive a streaming op and yield its items one by one as ``iterate`` would."""
    value: Any = None
    error: BaseException | None = None
    try:
        while True:
            try:
                effect = op.send(value) if error is None else op.throw(error)
            except StopIteration:
                return
            value, error = None, None
            if isinstance(effect, Emit):
                yield from effect.items
                continue
            try:
                value = driver.perform(effect)
            except SonioxAPIError as exc:
                error = exc
            except SonioxConnectionError as exc:
                error = exc
    finally:
        op.close()


def _collect(op: Any) -> Any:
    """A ``run``-able op gathering what a streaming op emits (what is thrown in goes on to ``op``)."""
    chunks: list[bytes] = []
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            effect = op.send(value) if error is None else op.throw(error)
        except StopIteration:
            return chunks
        value, error = None, None
        if isinstance(effect, Emit):
            chunks.extend(effect.items)
            continue
        try:
            value = yield effect
        except BaseException as exc:
            error = exc
