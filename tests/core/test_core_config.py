"""Client configuration: key resolution, URLs, timeouts, options, and keeping the key secret."""

from __future__ import annotations

import pytest
from _driver import API_KEY, Driver, file_json, make_config, response, script, transcription_json
from hypothesis import given
from hypothesis import strategies as st

from soniox_core import (
    ClientConfig,
    CreateTemporaryApiKeyResponse,
    CreateTranscriptionConfig,
    HttpResponse,
    SonioxAPIError,
    SonioxValidationError,
    Timeouts,
    WebhookAuthConfig,
    __version__,
    resolve_config,
)
from soniox_core._config import DEFAULT_API_BASE_URL, DEFAULT_WEBSOCKET_BASE_URL
from soniox_core._ops import files, misc, transcriptions
from soniox_core._responses import error_from_response, parse_body
from soniox_core.webhooks import SonioxWebhooksAPI


def resolve(**overrides: object) -> ClientConfig:
    kwargs: dict[str, object] = {
        "api_key": None,
        "api_base_url": None,
        "websocket_base_url": None,
        "timeout_sec": None,
        "webhook_secret": None,
        "webhook_signature_header": None,
        "client_kwargs": {},
        "environ": {},
    }
    kwargs.update(overrides)
    return resolve_config(**kwargs)  # type: ignore[arg-type]


# --- the API key ---------------------------------------------------------------------


def test_key_from_argument_wins_over_environment() -> None:
    config = resolve(api_key="from-arg", environ={"SONIOX_API_KEY": "from-env"})
    assert config.api_key == "from-arg"


def test_key_from_environment() -> None:
    assert resolve(environ={"SONIOX_API_KEY": "from-env"}).api_key == "from-env"


@pytest.mark.parametrize("environ", [{}, {"SONIOX_API_KEY": ""}])
def test_no_key_is_a_validation_error(environ: dict[str, str]) -> None:
    with pytest.raises(SonioxValidationError) as info:
        resolve(environ=environ)
    assert info.value.field == "api_key"
    assert "SONIOX_API_KEY" in str(info.value)


def test_empty_key_argument_is_rejected_even_with_environment() -> None:
    # An explicit empty key is a mistake, not a request to read the environment.
    with pytest.raises(SonioxValidationError):
        resolve(api_key="", environ={"SONIOX_API_KEY": "from-env"})


@pytest.mark.parametrize("bad", ["key\r\nX-Evil: 1", "key\n", "k\0", "kéy"])
def test_key_that_would_break_the_header_is_rejected(bad: str) -> None:
    with pytest.raises(SonioxValidationError) as info:
        resolve(api_key=bad)
    assert info.value.field == "api_key"
    assert bad not in str(info.value)


def test_real_environment_is_used_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SONIOX_API_KEY", "env-key-123")
    config = resolve_config(
        api_key=None,
        api_base_url=None,
        websocket_base_url=None,
        timeout_sec=None,
        webhook_secret=None,
        webhook_signature_header=None,
        client_kwargs={},
    )
    assert config.api_key == "env-key-123"


# --- URLs ------------------------------------------------------------------------


def test_defaults() -> None:
    config = resolve(api_key="k")
    assert config.api_base_url == DEFAULT_API_BASE_URL == "https://api.soniox.com/v1"
    assert config.websocket_base_url == DEFAULT_WEBSOCKET_BASE_URL
    assert config.timeout_sec == 30.0
    assert config.timeouts == Timeouts(30.0, 30.0, 30.0, 30.0)
    assert config.max_retries == 2
    assert config.webhook_signature_header == "X-Soniox-Webhook-Secret"
    assert config.webhook_secret is None


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("https://api.soniox.com/v1", "/v1/models"),
        ("https://api.soniox.com/v1/", "/v1/models"),
        ("https://api.soniox.com/v1//", "/v1/models"),
        ("http://localhost:8080/custom/v1/", "/custom/v1/models"),
        ("http://127.0.0.1:9000", "/models"),
    ],
)
def test_base_url_trailing_slash_makes_no_difference(base: str, expected: str) -> None:
    config = make_config(api_base_url=base)
    assert not config.api_base_url.endswith("/")
    driver = Driver(script(response(200, {"models": []})))
    driver.run(misc.list_models(config))
    assert driver.sent[0].request.target == expected


def test_base_urls_from_environment() -> None:
    config = resolve(
        api_key="k",
        environ={
            "SONIOX_API_BASE_URL": "http://localhost:1234/v1/",
            "SONIOX_WEBSOCKET_BASE_URL": "ws://localhost:1235/ws",
        },
    )
    assert config.api_base_url == "http://localhost:1234/v1"
    assert config.websocket_base_url == "ws://localhost:1235/ws"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("api_base_url", "ftp://x/v1"),
        ("api_base_url", "api.soniox.com/v1"),
        ("websocket_base_url", "https://stt-rt.soniox.com"),
    ],
)
def test_bad_urls_are_rejected(name: str, value: str) -> None:
    with pytest.raises(SonioxValidationError) as info:
        resolve(api_key="k", **{name: value})
    assert info.value.field == name


# --- timeouts --------------------------------------------------------------------


@given(st.floats(min_value=0.001, max_value=1e6) | st.integers(min_value=1, max_value=10**6))
def test_one_number_sets_all_four_phases(seconds: float) -> None:
    config = resolve(api_key="k", timeout_sec=seconds)
    assert config.timeouts == Timeouts(seconds, seconds, seconds, seconds, max(seconds, 600.0))
    assert config.timeout_sec == seconds
    assert (config.timeouts.connect, config.timeouts.write, config.timeouts.pool) == (seconds,) * 3


def test_timeouts_object_is_taken_as_is() -> None:
    timeouts = Timeouts(connect=1.0, read=120.0, write=5.0, pool=None)
    config = resolve(api_key="k", timeout_sec=timeouts)
    assert config.timeouts is timeouts
    assert config.timeout_sec == 120.0


@pytest.mark.parametrize("bad", [0, -1, "10", float("nan"), True])
def test_bad_timeouts_are_rejected(bad: object) -> None:
    with pytest.raises(SonioxValidationError) as info:
        resolve(api_key="k", timeout_sec=bad)
    assert info.value.field == "timeout_sec"


def test_timeouts_reach_every_send() -> None:
    timeouts = Timeouts(connect=1.0, read=2.0, write=3.0, pool=4.0)
    config = make_config(timeout_sec=timeouts)
    driver = Driver(script(response(200, {"models": []})))
    driver.run(misc.list_models(config))
    assert driver.sent[0].timeouts == timeouts


def test_capped_timeouts() -> None:
    assert Timeouts(1.0, None, 30.0, 5.0).capped(5.0) == Timeouts(1.0, 5.0, 5.0, 5.0, 5.0)


def test_with_options() -> None:
    config = make_config()
    faster = config.with_options(timeout_sec=2.5, max_retries=0)
    assert faster.timeouts == Timeouts(2.5, 2.5, 2.5, 2.5, 600.0)
    assert faster.max_retries == 0
    assert faster.api_key == config.api_key
    assert config.max_retries == 2  # the original is unchanged
    assert config.with_options() == config
    with pytest.raises(SonioxValidationError):
        config.with_options(max_retries=-1)


# --- client_kwargs -----------------------------------------------------------------


def test_supported_client_kwargs_are_kept() -> None:
    config = resolve(
        api_key="k",
        client_kwargs={"max_connections": 5, "http2": False, "max_retries": 4},
        transport_options={"max_connections", "http2"},  # what a driver's pool takes
    )
    assert config.max_retries == 4
    assert dict(config.http_options) == {"max_connections": 5, "http2": False}


@pytest.mark.parametrize("kwargs", [{"transport": object()}, {"follow_redirects": True}, {"timeout": 5}])
def test_unknown_client_kwargs_are_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(SonioxValidationError) as info:
        resolve(api_key="k", client_kwargs=kwargs)
    assert info.value.field == "client_kwargs"
    assert next(iter(kwargs)) in str(info.value)


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True, None])
def test_bad_max_retries_is_rejected(bad: object) -> None:
    with pytest.raises(SonioxValidationError) as info:
        resolve(api_key="k", client_kwargs={"max_retries": bad})
    assert info.value.field == "max_retries"


# --- the key never shows --------------------------------------------------------------


def test_config_repr_hides_key_and_webhook_secret() -> None:
    config = make_config(webhook_secret="whsec-very-secret")
    for text in (repr(config), str(config)):
        assert API_KEY not in text
        assert "whsec-very-secret" not in text
    assert config.api_key == API_KEY


def test_model_reprs_hide_credentials() -> None:
    temp = parse_body(
        HttpResponse(201, [], b'{"api_key": "temp:abcdef-secret", "expires_at": "2025-01-01T00:00:00Z"}'),
        CreateTemporaryApiKeyResponse,
    )
    assert temp.api_key == "temp:abcdef-secret"
    assert "abcdef-secret" not in repr(temp)
    auth = WebhookAuthConfig(name="X-Hook", value="hook-secret-value")
    assert "hook-secret-value" not in repr(auth)
    cfg = CreateTranscriptionConfig(
        webhook_url="https://x.test/h", webhook_auth_header_value="hook-secret-value"
    )
    assert "hook-secret-value" not in repr(cfg)
    hooks = SonioxWebhooksAPI(webhook_secret="hook-secret-value")
    assert "hook-secret-value" not in repr(hooks)


def test_error_texts_hide_the_key() -> None:
    config = make_config()
    driver = Driver(
        script(response(401, {"status_code": 401, "error_type": "unauthenticated", "message": "no"}))
    )
    with pytest.raises(SonioxAPIError) as info:
        driver.run(files.count(config))
    error = info.value
    for text in (repr(error), str(error), repr(error.__dict__)):
        assert API_KEY not in text
    bad = error_from_response(HttpResponse(500, [], b"oops"))
    assert API_KEY not in repr(bad)


# --- headers on every request ----------------------------------------------------------


def _every_kind_of_request(config: ClientConfig, driver: Driver) -> None:
    driver.run(files.count(config))
    driver.run(files.upload(config, b"RIFF", "a.wav"))
    driver.run(transcriptions.create(config, audio_url="https://x.test/a.mp3"))
    driver.run(transcriptions.delete(config, "tr-1"))
    driver.run(misc.create_temporary_api_key(config))
    driver.run(misc.raw_request(config, misc.describe_raw_request(config, "get", "/models")))


def test_auth_and_user_agent_on_every_request() -> None:
    config = make_config()
    driver = Driver(
        script(
            response(200, {"total": 1}),
            response(201, file_json()),
            response(201, transcription_json()),
            response(204),
            response(201, {"api_key": "temp:x", "expires_at": "2025-01-01T00:00:00Z"}),
            response(200, {"models": []}),
        )
    )
    _every_kind_of_request(config, driver)
    assert len(driver.sent) == 6
    for sent in driver.sent:
        assert sent.header("Authorization") == f"Bearer {API_KEY}"
        assert sent.header("User-Agent") == f"soniox-sansio-python/{__version__}"
        assert sent.header("Accept") == "application/json"


def test_each_client_uses_its_own_key() -> None:
    one, two = make_config(api_key="key-one"), make_config(api_key="key-two")
    driver = Driver(script(response(200, {"total": 0}), response(200, {"total": 0})))
    driver.run(files.count(one))
    driver.run(files.count(two))
    assert [s.header("Authorization") for s in driver.sent] == ["Bearer key-one", "Bearer key-two"]


def test_request_and_effect_reprs_hide_the_key() -> None:
    # Described requests sit in frame locals (client.request, the runners), which
    # error trackers and ``pytest -l`` print with repr().
    from soniox_core import Send

    config = make_config()
    described = misc.describe_raw_request(config, "GET", "/files")
    assert (b"Authorization", f"Bearer {API_KEY}".encode()) in described.headers
    for text in (repr(described), repr(Send(described, config.timeouts))):
        assert API_KEY not in text
        assert "/v1/files" in text


@given(st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=12, max_size=64))
def test_any_printable_key_is_sent_and_never_shown(secret: str) -> None:
    key = "sk-" + secret
    config = make_config(api_key=key)
    driver = Driver(script(response(200, {"total": 0})))
    driver.run(files.count(config))
    assert driver.sent[0].header("Authorization") == f"Bearer {key}"
    assert key not in repr(config) and key not in str(config)


@pytest.mark.parametrize(
    "timeouts",
    [Timeouts(connect=-1.0), Timeouts(read=0), Timeouts(write=float("nan")), Timeouts(pool="5")],  # type: ignore[arg-type]
)
def test_bad_phase_in_a_timeouts_object_is_rejected(timeouts: Timeouts) -> None:
    with pytest.raises(SonioxValidationError) as info:
        resolve(api_key="k", timeout_sec=timeouts)
    assert (info.value.field or "").startswith("timeout_sec")


def test_timeouts_object_may_leave_phases_unlimited() -> None:
    timeouts = Timeouts(connect=5.0, read=None, write=None, pool=None)
    assert resolve(api_key="k", timeout_sec=timeouts).timeouts == timeouts
