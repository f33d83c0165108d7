"""Bad input fails with a SonioxValidationError naming the field, before any request."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from _driver import Driver, make_config, never
from hypothesis import given, settings
from hypothesis import strategies as st

from soniox_core import CreateTranscriptionConfig, SonioxValidationError, TranslationConfig
from soniox_core._ops import files, misc, transcriptions, workflows

CONFIG = make_config()
URL = "https://x.test/a.mp3"


def assert_rejected_before_sending(
    make_op: Callable[[], Any], field: str, *, in_message_only: bool = False
) -> SonioxValidationError:
    """Building or running the op raises, naming ``field``, and nothing is sent.

    ``in_message_only``: msgspec reports an unknown or missing top-level key without
    a path, so the name is only in the message there.
    """
    driver = Driver(never)
    with pytest.raises(SonioxValidationError) as info:
        op = make_op()
        driver.run(op)
    assert driver.sent == [], "a request was sent before validation"
    error = info.value
    if not in_message_only:
        assert error.field is not None and error.field.startswith(field), (error.field, str(error))
    assert field in str(error)
    assert isinstance(error, ValueError)
    return error


def create(**kwargs: Any) -> Callable[[], Any]:
    return lambda: transcriptions.create(CONFIG, **kwargs)


def with_config(**settings: Any) -> Callable[[], Any]:
    return create(audio_url=URL, transcription_config=CreateTranscriptionConfig(**settings))


# --- sources -----------------------------------------------------------------------


def test_file_id_and_audio_url_together() -> None:
    assert_rejected_before_sending(create(file_id="f", audio_url=URL), "file_id")


def test_neither_file_id_nor_audio_url() -> None:
    assert_rejected_before_sending(create(), "file_id")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "file"),
        ({"file": b"x", "audio_url": URL}, "audio_url"),
        ({"file_id": "f", "audio_url": URL}, "file_id"),
        ({"file": b"x", "file_id": "f"}, "file"),
    ],
)
def test_transcribe_needs_exactly_one_source(kwargs: dict[str, Any], field: str) -> None:
    error = assert_rejected_before_sending(lambda: workflows.transcribe(CONFIG, **kwargs), "")
    assert error.field in ("file", "file_id", "audio_url")
    assert_rejected_before_sending(lambda: workflows.transcribe_and_wait(CONFIG, **kwargs), "")
    assert_rejected_before_sending(lambda: workflows.transcribe_and_wait_with_tokens(CONFIG, **kwargs), "")


# --- the transcription payload ------------------------------------------------------


def test_language_hint_too_long() -> None:
    assert_rejected_before_sending(with_config(language_hints=["en", "x" * 11]), "language_hints")


def test_empty_language_hint() -> None:
    assert_rejected_before_sending(with_config(language_hints=[""]), "language_hints")


def test_too_many_language_hints() -> None:
    assert_rejected_before_sending(with_config(language_hints=["en"] * 101), "language_hints")


def test_hundred_language_hints_are_fine() -> None:
    from _driver import response, script, transcription_json

    driver = Driver(script(response(201, transcription_json())))
    driver.run(with_config(language_hints=["en"] * 100)())
    assert len(driver.sent) == 1


@given(st.text(min_size=33, max_size=60))
def test_model_too_long(model: str) -> None:
    assert_rejected_before_sending(create(audio_url=URL, model=model), "model")


def test_model_empty() -> None:
    assert_rejected_before_sending(create(audio_url=URL, model=""), "model")


@pytest.mark.parametrize(
    "url", ["ftp://x.test/a.mp3", "x.test/a.mp3", "https://x.test/a b.mp3", "https://", "", "https://x/\n"]
)
def test_bad_audio_url(url: str) -> None:
    assert_rejected_before_sending(create(audio_url=url), "audio_url")


def test_audio_url_too_long() -> None:
    assert_rejected_before_sending(create(audio_url="https://x.test/" + "a" * 4096), "audio_url")


@pytest.mark.parametrize(
    "url", ["ftp://hooks.test/x", "hooks.test", "https://hooks.test/a b", "https://hooks.test/x\n"]
)
def test_bad_webhook_url(url: str) -> None:
    assert_rejected_before_sending(with_config(webhook_url=url), "webhook_url")


def test_webhook_url_too_long() -> None:
    assert_rejected_before_sending(with_config(webhook_url="https://h.test/" + "a" * 250), "webhook_url")


def test_webhook_header_value_too_long() -> None:
    assert_rejected_before_sending(
        with_config(webhook_url="https://h.test/", webhook_auth_header_value="v" * 257),
        "webhook_auth_header_value",
    )


def test_translation_one_way_needs_target_language() -> None:
    error = assert_rejected_before_sending(
        with_config(translation=TranslationConfig(type="one_way")), "translation.target_language"
    )
    assert "target_language is required" in str(error)


@pytest.mark.parametrize(
    "translation",
    [
        TranslationConfig(type="two_way"),
        TranslationConfig(type="two_way", language_a="en"),
        TranslationConfig(type="two_way", language_b="fr"),
        {"type": "two_way", "language_a": "en", "language_b": ""},
    ],
)
def test_translation_two_way_needs_both_languages(translation: Any) -> None:
    error = assert_rejected_before_sending(with_config(translation=translation), "translation.language_")
    assert "language_a and language_b" in str(error)


def test_translation_unknown_type() -> None:
    assert_rejected_before_sending(with_config(translation={"type": "three_way"}), "translation.type")


def test_translation_language_too_long() -> None:
    assert_rejected_before_sending(
        with_config(translation={"type": "one_way", "target_language": "x" * 11}),
        "translation.target_language",
    )


def test_unknown_config_key_in_mapping() -> None:
    assert_rejected_before_sending(
        lambda: transcriptions.create(CONFIG, audio_url=URL, transcription_config={"lanugage_hints": ["en"]}),
        "lanugage_hints",
        in_message_only=True,
    )


def test_config_of_wrong_type() -> None:
    assert_rejected_before_sending(
        lambda: transcriptions.create(CONFIG, audio_url=URL, transcription_config=["en"]),  # type: ignore[arg-type]
        "config",
    )


def test_context_of_wrong_shape() -> None:
    assert_rejected_before_sending(with_config(context={"general": [{"key": "k"}]}), "context")


@pytest.mark.parametrize("length", [257, 1000])
def test_client_reference_id_too_long(length: int) -> None:
    ref = "r" * length
    assert_rejected_before_sending(create(audio_url=URL, client_reference_id=ref), "client_reference_id")
    assert_rejected_before_sending(
        lambda: files.upload(CONFIG, b"x", client_reference_id=ref), "client_reference_id"
    )
    assert_rejected_before_sending(
        lambda: misc.create_temporary_api_key(CONFIG, client_reference_id=ref), "client_reference_id"
    )
    assert_rejected_before_sending(
        lambda: workflows.transcribe(CONFIG, file=b"x", client_reference_id=ref), "client_reference_id"
    )


# --- temporary keys ------------------------------------------------------------------------


@pytest.mark.parametrize("seconds", [0, -1, 3601, 10**9])
def test_temporary_key_expiry_out_of_range(seconds: int) -> None:
    assert_rejected_before_sending(
        lambda: misc.create_temporary_api_key(CONFIG, expires_in_seconds=seconds), "expires_in_seconds"
    )


@pytest.mark.parametrize("usage", ["websocket", "", "TRANSCRIBE_WEBSOCKET", None])
def test_temporary_key_bad_usage_type(usage: Any) -> None:
    assert_rejected_before_sending(
        lambda: misc.create_temporary_api_key(CONFIG, usage_type=usage),
        "usage_type",
        in_message_only=usage is None,
    )


def test_temporary_key_bad_session_duration() -> None:
    assert_rejected_before_sending(
        lambda: misc.create_temporary_api_key(CONFIG, max_session_duration_seconds=0),
        "max_session_duration_seconds",
    )


# --- limits and IDs -----------------------------------------------------------------------


@pytest.mark.parametrize("limit", [0, 1001, -5, 1.5, "10", True])
def test_bad_limits(limit: Any) -> None:
    for make in (
        lambda: files.list_page(CONFIG, limit),
        lambda: transcriptions.list_page(CONFIG, limit),
        lambda: files.list_all(CONFIG, limit),
        lambda: transcriptions.list_all(CONFIG, limit),
        lambda: files.delete_all(CONFIG, limit),
        lambda: transcriptions.delete_all(CONFIG, limit),
        lambda: transcriptions.destroy_all(CONFIG, limit),
    ):
        assert_rejected_before_sending(make, "limit")


@pytest.mark.parametrize("bad", ["", "/", "a/b", "../x", ".", "..", None, 5])
def test_bad_ids(bad: Any) -> None:
    for make, field in (
        (lambda: files.get(CONFIG, bad), "file_id"),
        (lambda: files.get_or_none(CONFIG, bad), "file_id"),
        (lambda: files.delete(CONFIG, bad), "file_id"),
        (lambda: files.delete_if_exists(CONFIG, bad), "file_id"),
        (lambda: transcriptions.get(CONFIG, bad), "transcription_id"),
        (lambda: transcriptions.get_or_none(CONFIG, bad), "transcription_id"),
        (lambda: transcriptions.delete(CONFIG, bad), "transcription_id"),
        (lambda: transcriptions.delete_if_exists(CONFIG, bad), "transcription_id"),
        (lambda: transcriptions.get_transcript(CONFIG, bad), "transcription_id"),
        (lambda: transcriptions.destroy(CONFIG, bad), "transcription_id"),
        (lambda: workflows.wait(CONFIG, bad), "transcription_id"),
    ):
        assert_rejected_before_sending(make, field)


# --- files ------------------------------------------------------------------------------


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.wav"
    error = assert_rejected_before_sending(lambda: files.upload(CONFIG, missing), "file")
    assert "nope.wav" in str(error)
    assert_rejected_before_sending(lambda: files.upload(CONFIG, str(missing)), "file")
    assert_rejected_before_sending(lambda: workflows.transcribe(CONFIG, file=missing), "file")
    assert_rejected_before_sending(
        lambda: workflows.transcribe_and_wait(CONFIG, file=missing, delete_after=True), "file"
    )


def test_directory_path(tmp_path: Path) -> None:
    error = assert_rejected_before_sending(lambda: files.upload(CONFIG, tmp_path), "file")
    assert "not a regular file" in str(error)


def test_text_mode_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("hello")
    with open(path) as handle:
        assert_rejected_before_sending(lambda: files.upload(CONFIG, handle), "file")
    assert_rejected_before_sending(lambda: files.upload(CONFIG, io.StringIO("x")), "file")


def test_closed_file() -> None:
    stream = io.BytesIO(b"abc")
    stream.close()
    assert_rejected_before_sending(lambda: files.upload(CONFIG, stream), "file")


@pytest.mark.parametrize("bad", [123, 1.5, ["a"], {"a": 1}, object()])
def test_unsupported_file_type(bad: Any) -> None:
    error = assert_rejected_before_sending(lambda: files.upload(CONFIG, bad), "file")
    assert type(bad).__name__ in str(error)


def test_empty_filename() -> None:
    assert_rejected_before_sending(lambda: files.upload(CONFIG, b"x", ""), "filename")


def test_transcribe_from_file_checks_the_config_before_uploading() -> None:
    assert_rejected_before_sending(
        lambda: workflows.transcribe_from_file(
            CONFIG, file=b"x", transcription_config={"language_hints": ["x" * 20]}
        ),
        "language_hints",
    )
    assert_rejected_before_sending(
        lambda: workflows.transcribe_file_with_webhook(
            CONFIG, file=b"x", webhook_url="nope", webhook_auth=None
        ),
        "webhook_url",
    )


# --- wait arguments --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"), [({"interval_sec": 0}, "interval_sec"), ({"timeout_sec": -1}, "timeout_sec")]
)
def test_wait_arguments(kwargs: dict[str, Any], field: str) -> None:
    assert_rejected_before_sending(lambda: workflows.wait(CONFIG, "t", **kwargs), field)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"wait_interval_sec": 0}, "wait_interval_sec"), ({"wait_timeout_sec": -5}, "wait_timeout_sec")],
)
def test_transcribe_and_wait_checks_wait_arguments_before_creating(
    kwargs: dict[str, Any], field: str
) -> None:
    # A bad polling argument must not leave a created transcription (and upload) behind.
    assert_rejected_before_sending(
        lambda: workflows.transcribe_and_wait(CONFIG, audio_url=URL, **kwargs), field
    )
    assert_rejected_before_sending(
        lambda: workflows.transcribe_and_wait_with_tokens(CONFIG, file=b"x", delete_after=True, **kwargs),
        field,
    )


# --- never anything but SonioxValidationError -------------------------------------------------

_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_keys = st.sampled_from(
    [
        "language_hints",
        "language_hints_strict",
        "enable_speaker_diarization",
        "enable_language_identification",
        "translation",
        "context",
        "webhook_url",
        "webhook_auth_header_name",
        "webhook_auth_header_value",
        "model",
        "client_reference_id",
    ]
) | st.text(max_size=8)


@settings(max_examples=150, deadline=None)
@given(config=st.dictionaries(_keys, _values, max_size=5), model=_values, file_id=_values)
def test_any_config_is_sent_or_rejected_cleanly(config: dict[str, Any], model: Any, file_id: Any) -> None:
    from _driver import response, script, transcription_json

    driver = Driver(script(response(201, transcription_json())))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            driver.run(
                transcriptions.create(
                    CONFIG,
                    model=model if isinstance(model, str) else "stt-async-v5",
                    file_id=file_id if isinstance(file_id, str) else "f",
                    transcription_config=config,
                )
            )
        except SonioxValidationError:
            assert driver.sent == []
        else:
            assert len(driver.sent) == 1
