"""The official ``soniox`` SDK (2.10.0, own venv) completes Text-to-Speech, voices, usage and
concurrency calls against our emulator, and gets the same audio as our client.

The official SDK's pydantic models are strict, so its parsing the emulator's answers is
evidence that the emulator (and so what our models were tested against) speaks the
service's shapes.
"""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

from test_official_sdk import official_python  # noqa: F401  (the fixture)

from soniox_emulator import Emulator
from soniox_sync import CreateTtsConfig, SonioxClient

_SCRIPT = r"""
import json, sys, time
from soniox import SonioxClient
from soniox.types import CreateTtsConfig

base_url, tts_url, out_path, start, end = sys.argv[1:]
out = {}
with SonioxClient(api_key="test-key", api_base_url=base_url, tts_api_base_url=tts_url) as client:
    audio = client.tts.generate(text="Interop speaks", voice="Adrian", language="en",
                                config=CreateTtsConfig(audio_format="wav", sample_rate=16000))
    out["generate"] = audio.hex()
    out["to_file"] = client.tts.generate_to_file(out_path, text="Interop writes", language="en")
    out["tts_models"] = [m.id for m in client.tts_models.list().models]

    voice = client.voices.create(audio, name="interop-voice", filename="ref.wav")
    out["voice_create"] = [voice.name, voice.filename, [m.status for m in voice.models]]
    out["voice_get"] = client.voices.get(voice.id).id
    out["voice_list"] = [v.id for v in client.voices.list(limit=5).voices]
    out["voice_list_all"] = [v.id for v in client.voices.list_all(limit=1)]
    out["voice_count"] = client.voices.count().total
    out["voice_recompute"] = client.voices.recompute(voice.id, model="tts-rt-v2").id
    out["shared"] = [v.id for v in client.voices.list_all_shared("tts-rt-v2", gender="male", limit=1)]
    client.voices.delete(voice.id)
    out["voice_after_delete"] = client.voices.get_or_none(voice.id) is None

    out["usage_logs"] = [[e.model, e.cost_usd] for e in client.usage_logs.list_all(start, end, limit=1)]
    summary = client.usage.summary(start, end)
    out["summary"] = [summary.total.total_num_requests, [m.model for m in summary.models]]
    limits = client.concurrency_limits.get()
    out["limits"] = [limits.project.current.tts_concurrent, limits.organization.limits.tts_concurrent]
    history = client.concurrency_limits.history(start, end, period_sec=3600, kind="tts")
    out["history"] = [history.kind, len(history.entries)]
print(json.dumps(out))
"""


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_official_sdk_tts_voices_usage_against_the_emulator(
    official_python: Path,  # noqa: F811
    emulator: Emulator,
    tmp_path: Path,
) -> None:
    emulator.queued_sec = 0.01
    emulator.processing_sec = 0.03
    now = datetime.now(timezone.utc)
    start, end = _iso(now - timedelta(hours=2)), _iso(now + timedelta(hours=2))
    target = tmp_path / "official.wav"
    result = subprocess.run(
        [
            str(official_python),
            "-c",
            _SCRIPT,
            emulator.api_base_url,
            emulator.tts_api_base_url,
            str(target),
            start,
            end,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])

    official_audio = bytes.fromhex(out["generate"])
    with SonioxClient(
        api_key="test-key", api_base_url=emulator.api_base_url, tts_api_base_url=emulator.tts_api_base_url
    ) as ours:
        our_audio = ours.tts.generate(
            text="Interop speaks",
            voice="Adrian",
            language="en",
            config=CreateTtsConfig(audio_format="wav", sample_rate=16000),
        )
        ours_to_file = tmp_path / "ours.wav"
        ours.tts.generate_to_file(ours_to_file, text="Interop writes", language="en")
    assert official_audio[:4] == b"RIFF" and official_audio == our_audio
    assert out["to_file"] == target.stat().st_size
    assert target.read_bytes() == ours_to_file.read_bytes()
    assert "tts-rt-v2" in out["tts_models"]

    name, filename, statuses = out["voice_create"]
    assert (name, filename) == ("interop-voice", "ref.wav") and statuses
    assert out["voice_get"] in out["voice_list"] and out["voice_get"] in out["voice_list_all"]
    assert out["voice_count"] == 1
    assert out["voice_recompute"] == out["voice_get"]
    assert out["shared"]
    assert out["voice_after_delete"] is True

    models = {model for model, _cost in out["usage_logs"]}
    assert models == {"tts-rt-v2"} and len(out["usage_logs"]) >= 2
    assert out["summary"][0] >= 2 and "tts-rt-v2" in out["summary"][1]
    assert out["history"][0] == "tts" and out["history"][1] > 0
    assert {r.route for r in emulator.requests} >= {
        "/tts",
        "/v1/voices",
        "/v1/voices/{voice_id}",
        "/v1/usage-logs",
        "/v1/usage/summary",
        "/v1/concurrency-limits",
        "/v1/concurrent-streams-history",
    }
