"""Webhook verification (fails closed) and event parsing."""

from __future__ import annotations

import contextlib
import json

import pytest
from _driver import make_config
from hypothesis import given
from hypothesis import strategies as st

from soniox_core import (
    InvalidWebhookPayloadError,
    InvalidWebhookSignatureError,
    SonioxError,
    SonioxValidationError,
    SonioxWebhooksAPI,
    WebhookAuthConfig,
    WebhookEvent,
)

SECRET = "whsec-123"
HEADER = "X-Soniox-Webhook-Secret"
EVENT = json.dumps({"id": "tr-1", "status": "completed"})


@pytest.fixture
def hooks() -> SonioxWebhooksAPI:
    return SonioxWebhooksAPI(webhook_secret=SECRET)


def test_valid_header_passes(hooks: SonioxWebhooksAPI) -> None:
    assert hooks.verify_signature({HEADER: SECRET}) is None
    assert hooks.verify_signature([(HEADER, SECRET), ("Content-Type", "application/json")]) is None
    assert hooks.verify_signature([(HEADER.encode(), SECRET.encode())]) is None


def test_missing_header(hooks: SonioxWebhooksAPI) -> None:
    with pytest.raises(InvalidWebhookSignatureError, match="Missing"):
        hooks.verify_signature({"Content-Type": "application/json"})
    with pytest.raises(InvalidWebhookSignatureError):
        hooks.verify_signature({})


@pytest.mark.parametrize("value", ["wrong", "", SECRET + " ", SECRET.upper(), SECRET[:-1], "whsec-123\x00"])
def test_wrong_value(hooks: SonioxWebhooksAPI, value: str) -> None:
    with pytest.raises(InvalidWebhookSignatureError) as info:
        hooks.verify_signature({HEADER: value})
    assert SECRET not in str(info.value)
    assert isinstance(info.value, SonioxError)


@pytest.mark.parametrize("name", [HEADER.lower(), HEADER.upper(), "x-SONIOX-webhook-SECRET"])
def test_header_name_is_case_insensitive(hooks: SonioxWebhooksAPI, name: str) -> None:
    hooks.verify_signature({name: SECRET})
    hooks.verify_signature([(name.encode("latin-1"), SECRET.encode())])


@pytest.mark.parametrize(
    "pairs",
    [
        [(HEADER, SECRET), (HEADER, SECRET)],
        [(HEADER, "wrong"), (HEADER.lower(), SECRET)],
        [(HEADER, SECRET), (HEADER.lower(), "wrong")],
    ],
)
def test_duplicate_header_is_rejected(hooks: SonioxWebhooksAPI, pairs: list[tuple[str, str]]) -> None:
    with pytest.raises(InvalidWebhookSignatureError):
        hooks.verify_signature(pairs)


def test_no_secret_fails_closed() -> None:
    hooks = SonioxWebhooksAPI(webhook_secret=None)
    for headers in ({}, {HEADER: "anything"}):
        with pytest.raises(InvalidWebhookSignatureError, match="allow_unauthenticated"):
            hooks.verify_signature(headers)
        with pytest.raises(InvalidWebhookSignatureError):
            hooks.unwrap(EVENT, headers)
    assert SonioxWebhooksAPI(webhook_secret="").auth_config() is None  # an empty secret is no secret


def test_allow_unauthenticated_opt_out() -> None:
    hooks = SonioxWebhooksAPI(webhook_secret=None)
    assert hooks.verify_signature({}, allow_unauthenticated=True) is None
    event = hooks.unwrap(EVENT, {}, allow_unauthenticated=True)
    assert (event.id, event.status) == ("tr-1", "completed")


def test_allow_unauthenticated_does_not_skip_a_configured_secret(hooks: SonioxWebhooksAPI) -> None:
    with pytest.raises(InvalidWebhookSignatureError):
        hooks.verify_signature({HEADER: "wrong"}, allow_unauthenticated=True)


def test_per_call_auth_overrides_the_configured_one(hooks: SonioxWebhooksAPI) -> None:
    auth = WebhookAuthConfig(name="X-Custom", value="per-call")
    hooks.verify_signature({"x-custom": "per-call"}, auth=auth)
    with pytest.raises(InvalidWebhookSignatureError):
        hooks.verify_signature({HEADER: SECRET}, auth=auth)
    # Per-call auth also works with no configured secret.
    SonioxWebhooksAPI(webhook_secret=None).verify_signature({"X-Custom": "per-call"}, auth=auth)


def test_secret_and_header_from_environment() -> None:
    config = make_config(
        environ={"SONIOX_API_WEBHOOK_SECRET": "env-secret", "SONIOX_API_WEBHOOK_HEADER": "X-Env-Auth"}
    )
    assert config.webhook_secret == "env-secret"
    assert config.webhook_signature_header == "X-Env-Auth"
    hooks = SonioxWebhooksAPI(
        webhook_secret=config.webhook_secret, webhook_header=config.webhook_signature_header
    )
    hooks.verify_signature({"x-env-auth": "env-secret"})
    with pytest.raises(InvalidWebhookSignatureError):
        hooks.verify_signature({HEADER: "env-secret"})
    assert "env-secret" not in repr(hooks) and "env-secret" not in repr(config)


def test_arguments_win_over_environment() -> None:
    config = make_config(
        webhook_secret="arg-secret",
        webhook_signature_header="X-Arg",
        environ={"SONIOX_API_WEBHOOK_SECRET": "env-secret", "SONIOX_API_WEBHOOK_HEADER": "X-Env-Auth"},
    )
    assert (config.webhook_secret, config.webhook_signature_header) == ("arg-secret", "X-Arg")


# --- unwrap -----------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [EVENT, EVENT.encode(), bytearray(EVENT.encode())])
def test_unwrap_accepts_str_and_bytes(hooks: SonioxWebhooksAPI, payload: str | bytes) -> None:
    event = hooks.unwrap(payload, {HEADER: SECRET})
    assert isinstance(event, WebhookEvent)
    assert (event.id, event.status) == ("tr-1", "completed")


def test_unwrap_verifies_first(hooks: SonioxWebhooksAPI) -> None:
    with pytest.raises(InvalidWebhookSignatureError):
        hooks.unwrap("not even json", {HEADER: "wrong"})


@pytest.mark.parametrize("payload", ["", "{", "not json", b"\xff\xfe", "{'id': 1}"])
def test_unwrap_bad_json(hooks: SonioxWebhooksAPI, payload: str | bytes) -> None:
    with pytest.raises(InvalidWebhookPayloadError):
        hooks.unwrap(payload, {HEADER: SECRET})


@pytest.mark.parametrize(
    "body",
    [
        [],
        "completed",
        {"id": "tr-1"},
        {"status": "completed"},
        {"id": 5, "status": "completed"},
        {"id": "", "status": "completed"},
        {"id": "tr-1", "status": ""},
        {"id": "tr-1", "status": None},
    ],
)
def test_unwrap_bad_shape(hooks: SonioxWebhooksAPI, body: object) -> None:
    with pytest.raises(InvalidWebhookPayloadError):
        hooks.unwrap(json.dumps(body), {HEADER: SECRET})


def test_unwrap_tolerates_unknown_fields_and_statuses(hooks: SonioxWebhooksAPI) -> None:
    event = hooks.unwrap(json.dumps({"id": "t", "status": "archived", "extra": {"a": 1}}), {HEADER: SECRET})
    assert event.status == "archived"


@given(st.binary(max_size=200))
def test_unwrap_never_leaks_other_exceptions(payload: bytes) -> None:
    hooks = SonioxWebhooksAPI(webhook_secret=SECRET)
    with contextlib.suppress(InvalidWebhookPayloadError):
        hooks.unwrap(payload, {HEADER: SECRET})


# --- webhook_payload ---------------------------------------------------------------------------


def test_webhook_payload_with_secret(hooks: SonioxWebhooksAPI) -> None:
    assert hooks.webhook_payload("https://app.test/hook") == {
        "webhook_url": "https://app.test/hook",
        "webhook_auth_header_name": HEADER,
        "webhook_auth_header_value": SECRET,
    }


def test_webhook_payload_without_secret() -> None:
    assert SonioxWebhooksAPI(webhook_secret=None).webhook_payload("https://app.test/hook") == {
        "webhook_url": "https://app.test/hook"
    }


def test_webhook_payload_with_per_call_auth(hooks: SonioxWebhooksAPI) -> None:
    payload = hooks.webhook_payload("https://app.test/hook", auth=WebhookAuthConfig(name="X-A", value="v"))
    assert payload == {
        "webhook_url": "https://app.test/hook",
        "webhook_auth_header_name": "X-A",
        "webhook_auth_header_value": "v",
    }


def test_webhook_payload_uses_the_configured_header_name() -> None:
    hooks = SonioxWebhooksAPI(webhook_secret="s", webhook_header="X-Mine")
    assert hooks.webhook_payload("https://a.test/")["webhook_auth_header_name"] == "X-Mine"
    assert hooks.auth_config() == WebhookAuthConfig(name="X-Mine", value="s")


def test_payload_and_verification_agree(hooks: SonioxWebhooksAPI) -> None:
    payload = hooks.webhook_payload("https://app.test/hook")
    # What Soniox will send back is exactly what verification expects.
    hooks.verify_signature({payload["webhook_auth_header_name"]: payload["webhook_auth_header_value"]})


# What can travel in a header value: no line breaks or other control characters.
_HEADER_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")) | st.just("\t"), min_size=1, max_size=40
)


@given(secret=_HEADER_TEXT, other=st.text(max_size=40))
def test_verification_property(secret: str, other: str) -> None:
    hooks = SonioxWebhooksAPI(webhook_secret=secret)
    hooks.verify_signature({HEADER.lower(): secret})
    # Raw byte pairs, as an ASGI server hands them over, verify the same (UTF-8).
    hooks.verify_signature([(HEADER.lower().encode(), secret.encode("utf-8"))])
    if other != secret:
        with pytest.raises(InvalidWebhookSignatureError):
            hooks.verify_signature({HEADER: other})
        with pytest.raises(InvalidWebhookSignatureError):
            hooks.verify_signature([(HEADER.encode(), other.encode("utf-8", "surrogatepass"))])


@given(secret=st.text(max_size=40).filter(lambda s: any(ord(c) < 32 and c != "\t" for c in s)))
def test_secret_with_control_characters_is_refused(secret: str) -> None:
    with pytest.raises(SonioxValidationError) as info:
        SonioxWebhooksAPI(webhook_secret=secret)
    assert info.value.field == "webhook_secret"


def test_empty_per_call_secret_fails_closed_too() -> None:
    # An empty configured secret counts as none (every request is rejected); an empty
    # per-call value must not turn into "any request with an empty header passes".
    auth = WebhookAuthConfig(name="X-Hook", value="")
    for hooks in (SonioxWebhooksAPI(webhook_secret=None), SonioxWebhooksAPI(webhook_secret=SECRET)):
        with pytest.raises(InvalidWebhookSignatureError):
            hooks.verify_signature({"X-Hook": ""}, auth=auth)
