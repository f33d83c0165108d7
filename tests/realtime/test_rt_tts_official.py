"""The official SDK (soniox==2.10.0) completes realtime text-to-speech sessions against the emulator.

Same venv and subprocess arrangement as test_rt_official.py, so the official
package's dependencies never meet ours.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from test_rt_official import official_python  # noqa: F401  (the shared venv fixture)

from soniox_emulator import Emulator

SCRIPT = Path(__file__).with_name("official_tts_session.py")


@pytest.mark.parametrize("mode", ["sync", "async", "multi", "async-multi"])
def test_official_sdk_realtime_tts(official_python: Path, emulator: Emulator, mode: str) -> None:  # noqa: F811
    result = subprocess.run(
        [str(official_python), str(SCRIPT), emulator.tts_websocket_base_url, emulator.api_key, mode],
        capture_output=True, text=True, timeout=90,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    streams = json.loads(result.stdout)
    records = {r.stream_id: r for r in emulator.tts_realtime.streams}
    assert set(streams) == set(records) == ({"one"} if mode in ("sync", "async") else {"s0", "s1", "s2"})
    for stream_id, seen in streams.items():
        assert seen["terminated"]
        assert seen["bytes"] == records[stream_id].audio_bytes > 0
        assert records[stream_id].text_ended
    assert emulator.tts_realtime.connections[0].auth_method == "header"
