"""The official ``soniox`` SDK (2.10.0) uses the emulator's TTS, voices, usage and
concurrency endpoints; the audio it gets back is the emulator's speech, which our side
recognises. Runs in the official SDK's venv, like ``test_official_sdk``."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

from test_official_sdk import official_python  # noqa: F401 - the session fixture

from soniox_emulator import Emulator, recognise, synthesize

_SCRIPT = r"""
import base64, datetime, json, sys
from soniox import SonioxClient
from soniox.errors import SonioxConflictError, SonioxInvalidRequestError, SonioxNotFoundError
from soniox.types import RealtimeTTSConfig

api, ws, tts_api, tts_ws, clip = sys.argv[1:]
out = {}
fmt = lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ")
now = datetime.datetime.now(datetime.timezone.utc)
with SonioxClient(api_key="test-key", api_base_url=api, websocket_base_url=ws,
                  tts_api_base_url=tts_api, tts_websocket_base_url=tts_ws) as client:
    audio = client.tts.generate(text="The official SDK speaks.", voice="Adrian", model="tts-rt-v2",
                                language="en")
    out["rest"] = base64.b64encode(audio).decode()
    try:
        client.tts.generate(text="x", voice="Nobody", model="tts-rt-v2", language="en")
    except SonioxInvalidRequestError as exc:
        out["rest_error"] = [exc.status_code, exc.api_error.error_type, exc.api_error.message]
    out["models"] = [m.id for m in client.tts_models.list().models]
    out["shared"] = [v.id for v in client.voices.list_all_shared("tts-rt-v2", gender="male", limit=1)]
    voice = client.voices.create(open(clip, "rb").read(), name="Interop", filename="clip.wav")
    out["voice"] = [voice.name, voice.filename, [m.status for m in voice.models]]
    out["voice_get"] = client.voices.get(voice.id).id
    out["voices_count"] = client.voices.count().total
    try:
        client.voices.create(open(clip, "rb").read(), name="Interop", filename="clip.wav")
    except SonioxConflictError as exc:
        out["duplicate"] = exc.status_code
    out["recompute"] = client.voices.recompute(voice.id).id
    client.voices.delete(voice.id)
    try:
        client.voices.get(voice.id)
    except SonioxNotFoundError as exc:
        out["deleted"] = exc.status_code
    config = RealtimeTTSConfig(stream_id="s", model="tts-rt-v2", language="en", voice="Adrian",
                               audio_format="pcm_s16le", sample_rate=16000, return_timestamps=True)
    with client.realtime.tts.connect(config=config) as conn:
        conn.send_text_chunk("Realtime, ", text_end=False)
        conn.send_text_chunk("from the official SDK.", text_end=True)
        chunks, chars = [], []
        for event in conn.receive_events():
            chunks.append(event.audio_bytes() or b"")
            if event.timestamps:
                chars += event.timestamps.characters
    out["ws"] = base64.b64encode(b"".join(chunks)).decode()
    out["ws_chars"] = "".join(chars)
    logs = client.usage_logs.list(start_time=fmt(now - datetime.timedelta(hours=1)),
                                  end_time=fmt(now + datetime.timedelta(hours=1)))
    out["logs"] = sorted(entry.model for entry in logs.usage_logs)
    summary = client.usage.summary(start_time=fmt(now - datetime.timedelta(days=1)),
                                   end_time=fmt(now + datetime.timedelta(hours=1)))
    out["summary"] = summary.total.total_num_requests
    out["limits"] = client.concurrency_limits.get().project.current.tts_concurrent
    history = client.concurrency_limits.history(start_time=fmt(now - datetime.timedelta(hours=2)),
                                                end_time=fmt(now), period_sec=60, kind="tts")
    out["history"] = len(history.entries)
    key = client.auth.create_temporary_api_key(usage_type="tts_rt", expires_in_seconds=60)
with SonioxClient(api_key=key.api_key, tts_api_base_url=tts_api) as temp:
    out["temp_rest"] = len(temp.tts.generate(text="temp", voice="Adrian", model="tts-rt-v2", language="en"))
print(json.dumps(out))
"""


def test_official_sdk_speaks_through_the_emulator(
    official_python: Path,  # noqa: F811
    emulator: Emulator,
    tmp_path: Path,
) -> None:
    emulator.voices.processing_sec = 0
    clip = tmp_path / "clip.wav"
    clip.write_bytes(synthesize("a short reference clip", "wav", 16000)[0])
    result = subprocess.run(
        [
            str(official_python),
            "-c",
            _SCRIPT,
            emulator.api_base_url,
            emulator.websocket_base_url,
            emulator.tts_api_base_url,
            emulator.tts_websocket_base_url,
            str(clip),
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert recognise(base64.b64decode(out["rest"])) == "The official SDK speaks."
    assert out["rest_error"] == [400, "invalid_request", "Invalid voice 'Nobody' for model 'tts-rt-v2'."]
    assert out["models"] == ["tts-rt-v2", "tts-rt-v1"]
    assert out["shared"] == ["Adrian", "Oliver", "Marcus"]
    assert out["voice"] == ["Interop", "clip.wav", ["ready"]]
    assert out["voices_count"] == 1 and out["duplicate"] == 409 and out["deleted"] == 404
    assert recognise(base64.b64decode(out["ws"]), "pcm_s16le", 16000) == "Realtime, from the official SDK."
    assert out["ws_chars"] == "Realtime, from the official SDK."
    assert out["logs"] == ["tts-rt-v2", "tts-rt-v2"]
    assert out["summary"] == 2
    assert out["limits"] == 0
    assert out["history"] == 120
    assert out["temp_rest"] > 1000
