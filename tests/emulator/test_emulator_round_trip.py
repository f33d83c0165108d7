"""TTS -> STT through the running emulator: whatever the emulator says, it hears."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tts_helpers import TTS_PAYLOAD, tts_request
from websockets.sync.client import connect

from soniox_emulator import Emulator
from soniox_emulator._tts_engine import SAMPLE_RATES, normalise

# The TTS format and the realtime STT config that reads it.
_STT_FORMATS = {
    "wav": {"audio_format": "auto"},
    "pcm_s16le": {"audio_format": "pcm_s16le"},
    "pcm_f32le": {"audio_format": "pcm_f32le"},
    "pcm_mulaw": {"audio_format": "mulaw"},
    "pcm_alaw": {"audio_format": "alaw"},
}


def _transcribe_realtime(emulator: Emulator, audio: bytes, config: dict[str, object]) -> str:
    with connect(
        emulator.websocket_url, additional_headers={"Authorization": f"Bearer {emulator.api_key}"}
    ) as ws:
        ws.send(json.dumps({"model": "stt-rt-v5", **config}))
        for start in range(0, len(audio), 4000):
            ws.send(audio[start : start + 4000])
        ws.send(b"")
        final: list[str] = []
        while True:
            message = json.loads(ws.recv(timeout=10))
            assert "error_code" not in message, message
            final += [t["text"] for t in message["tokens"] if t.get("is_final")]
            if message.get("finished"):
                return "".join(final)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
        lambda t: normalise(t) != ""
    ),
    audio_format=st.sampled_from(sorted(_STT_FORMATS)),
    sample_rate=st.sampled_from(SAMPLE_RATES),
    speed=st.sampled_from([0.7, 1.0, 1.3]),
)
def test_speech_from_post_tts_is_heard_by_realtime_stt(
    emulator_server: Emulator, text: str, audio_format: str, sample_rate: int, speed: float
) -> None:
    emulator_server.reset()  # the session emulator, as the ``emulator`` fixture would give it
    payload = {**TTS_PAYLOAD, "text": text, "audio_format": audio_format, "sample_rate": sample_rate}
    status, _, audio = tts_request(emulator_server, {**payload, "speed": speed})
    assert status == 200
    config: dict[str, object] = dict(_STT_FORMATS[audio_format])
    if audio_format != "wav":
        config.update(sample_rate=sample_rate, num_channels=1)
    assert _transcribe_realtime(emulator_server, audio, config) == normalise(text)


def test_scripted_transcripts_still_apply_to_other_audio(emulator: Emulator) -> None:
    emulator.realtime.transcript = "Scripted words."
    silence = b"\x00\x00" * 16000
    config = {"audio_format": "pcm_s16le", "sample_rate": 16000, "num_channels": 1}
    assert _transcribe_realtime(emulator, silence, config) == "Scripted words."
