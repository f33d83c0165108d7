"""The emulator's realtime endpoint speaks the service's protocol (raw WebSocket)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rt_helpers import raw_exchange

from soniox_emulator import Emulator

PCM = {"model": "stt-rt-v4", "audio_format": "pcm_s16le", "sample_rate": 16000, "num_channels": 1}
WORD = 3200


def error_of(messages: list[dict[str, Any]]) -> tuple[Any, Any]:
    assert messages, "no message from the emulator"
    last = messages[-1]
    return last.get("error_code"), last.get("error_message")


def test_happy_path_tokens_then_finished(rt_emulator: Emulator) -> None:
    rt_emulator.realtime.queue_transcript("One two three. Four five.")
    config = {**PCM, "enable_endpoint_detection": True, "enable_speaker_diarization": True,
              "enable_language_identification": True, "language_hints": ["en"]}  # fmt: skip
    messages, _ = raw_exchange(rt_emulator, [json.dumps(config), b"\0" * WORD * 3, ""])
    assert messages[-1]["finished"] is True and messages[-1]["tokens"] == []
    tokens = [t for m in messages for t in m["tokens"]]  # type: ignore[attr-defined]
    finals = [t for t in tokens if t["is_final"]]
    spoken_text = "".join(t["text"] for t in finals if t["text"] != "<end>")
    assert spoken_text == "One two three. Four five."
    assert [t["text"] for t in finals].count("<end>") == 2  # after each sentence
    assert any(not t["is_final"] for t in tokens)  # provisional first
    spoken = [t for t in finals if t["text"] != "<end>"]
    assert {t["speaker"] for t in spoken} == {"1", "2"} and {t["language"] for t in spoken} == {"en"}
    # The next session gets the default transcript again.
    messages, _ = raw_exchange(rt_emulator, [json.dumps(PCM), b"\0" * WORD, ""])
    text = "".join(t["text"] for m in messages for t in m["tokens"] if t["is_final"])  # type: ignore[attr-defined]
    assert text == rt_emulator.realtime.transcript


def test_finalize_and_keepalive(rt_emulator: Emulator) -> None:
    frames: list[str | bytes] = [
        json.dumps(PCM),
        b"\0" * WORD * 4,
        '{"type": "keepalive"}',
        '{"type": "finalize", "trailing_silence_ms": 300}',
        "",
    ]
    messages, _ = raw_exchange(rt_emulator, frames)
    fin = next(m for m in messages if any(t["text"] == "<fin>" for t in m["tokens"]))  # type: ignore[attr-defined]
    assert all(t["is_final"] for t in fin["tokens"])  # type: ignore[attr-defined]
    record = rt_emulator.realtime.sessions[0]
    assert (record.keepalives, record.finalizes) == (1, 1)
    assert record.control_messages[1] == {"type": "finalize", "trailing_silence_ms": 300}


def test_subprotocol_auth_is_echoed(rt_emulator: Emulator) -> None:
    messages, selected = raw_exchange(
        rt_emulator,
        [json.dumps(PCM), b"\0" * WORD, b""],
        headers=[],
        subprotocols=["soniox-api-key", rt_emulator.api_key],
    )
    assert selected == "soniox-api-key"
    assert messages[-1]["finished"] is True
    assert rt_emulator.realtime.sessions[0].auth_method == "subprotocol"


def test_legacy_key_in_config(rt_emulator: Emulator) -> None:
    config = {**PCM, "api_key": rt_emulator.api_key}
    messages, _ = raw_exchange(rt_emulator, [json.dumps(config), b"\0" * WORD, ""], headers=[])
    assert messages[-1]["finished"] is True
    assert rt_emulator.realtime.sessions[0].auth_method == "config"
    assert "api_key" not in rt_emulator.realtime.configs[0]


@pytest.mark.parametrize(
    ("headers", "config", "expected"),
    [
        ([], PCM, (401, "Missing API key.")),
        ([], {**PCM, "api_key": "nope"}, (401, "Invalid API key.")),
        ([(b"Authorization", b"Bearer nope")], PCM, (401, "Invalid API key.")),
        (None, {**PCM, "api_key": "test-key"}, (400, "Start request is malformed.")),
    ],
)
def test_auth_errors(
    rt_emulator: Emulator, headers: Any, config: dict[str, Any], expected: tuple[int, str]
) -> None:
    messages, _ = raw_exchange(rt_emulator, [json.dumps(config)], headers=headers)
    assert error_of(messages) == expected
    assert not any(m.get("finished") for m in messages)


@pytest.mark.parametrize(
    ("first_frame", "expected"),
    [
        (b"{}", "Start request must be a text message."),
        ("{not json", "Start request is malformed."),
        (json.dumps({"model": "nope", "audio_format": "auto"}), "Invalid model specified."),
        (json.dumps({"model": "stt-rt-v4"}), "Missing audio format. Specify a valid audio format "
         '(e.g. s16le, f32le, wav, ogg, flac...) or "auto" for auto format detection.'),
        (json.dumps({"model": "stt-rt-v4", "audio_format": "avi"}), "Invalid audio data format: avi"),
        (json.dumps({"model": "stt-rt-v4", "audio_format": "pcm_s16le", "sample_rate": 8000}),
         "Audio data channels must be specified for PCM formats"),
        (json.dumps({"model": "stt-rt-v4", "audio_format": "pcm_s16le", "num_channels": 1}),
         "Audio data sample rate must be specified for PCM formats"),
        (json.dumps({**PCM, "language_hints": ["english"]}), "Invalid language hint."),
        (json.dumps({**PCM, "language_hints": ["en", "en"]}), "Language hints must be unique."),
        (json.dumps({**PCM, "client_reference_id": "x" * 257}),
         "Client reference ID is too long (max length 256)"),
        (json.dumps({**PCM, "context": {"text": "x" * 20001}}), "Context is too long (max length 20000)."),
        (json.dumps({**PCM, "translation": {"type": "one_way"}}), "Invalid translation target language."),
    ],
)  # fmt: skip
def test_config_errors_as_the_service_reports_them(
    rt_emulator: Emulator, first_frame: str | bytes, expected: str
) -> None:
    messages, _ = raw_exchange(rt_emulator, [first_frame])
    assert error_of(messages) == (400, expected)
    assert rt_emulator.realtime.configs == []


@pytest.mark.parametrize(
    ("frames", "expected"),
    [
        (["{oops"], (400, "Control request is malformed.")),
        (['{"type": "rewind"}'], (400, "Control request invalid type.")),
        ([""], (400, "No audio received.")),
    ],
)
def test_control_errors(rt_emulator: Emulator, frames: list[str], expected: tuple[int, str]) -> None:
    messages, _ = raw_exchange(rt_emulator, [json.dumps(PCM), *frames])
    assert error_of(messages) == expected


def test_second_end_of_audio_is_tolerated(rt_emulator: Emulator) -> None:
    messages, _ = raw_exchange(rt_emulator, [json.dumps(PCM), b"\0" * WORD, "", ""])
    assert messages[-1]["finished"] is True


def test_idle_timeout_before_and_after_config(rt_emulator: Emulator) -> None:
    rt_emulator.realtime.idle_timeout_sec = 0.2
    assert error_of(raw_exchange(rt_emulator, [])[0]) == (408, "Start request timeout")
    assert error_of(raw_exchange(rt_emulator, [json.dumps(PCM)])[0]) == (408, "Request timeout.")


def test_send_error_fault_on_demand(rt_emulator: Emulator) -> None:
    rt_emulator.realtime.send_error(500, "boom", after_audio_bytes=WORD * 2)
    messages, _ = raw_exchange(rt_emulator, [json.dumps(PCM), b"\0" * WORD, b"\0" * WORD, ""])
    assert error_of(messages) == (500, "boom")
    assert not any(m.get("finished") for m in messages)
    assert rt_emulator.realtime.sessions[0].error_sent == (500, "boom")


def test_reset_restores_defaults(rt_emulator: Emulator) -> None:
    control = rt_emulator.realtime
    control.stall = True
    control.send_error(500, "x")
    control.reset()
    assert (
        not control.stall
        and control._take_error(10**9, control._generation) is None
        and control.sessions == []
    )
