"""What only the blocking realtime client does: threads of the caller's own, Ctrl-C.

Everything the two clients share is in ``test_rt_async.py`` (and the
``test_rt_sync.py`` generated from it).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from rt_helpers import client_config
from rt_sync_support import wait_for

from soniox_core._errors import SonioxRealtimeError
from soniox_core.realtime import RealtimeSTTConfig, SessionState, TranscriptAccumulator
from soniox_emulator import Emulator
from soniox_sync._realtime import RealtimeAPI, RealtimeSTTSession, stream_audio

WAV = RealtimeSTTConfig(model="stt-rt-v4")
PCM = RealtimeSTTConfig(model="stt-rt-v4", audio_format="pcm_s16le", sample_rate=16000, num_channels=1)
WORD = 3200  # bytes of 16 kHz s16 mono audio per emulator word at 100 ms/word


def api(emulator: Emulator) -> RealtimeAPI:
    return RealtimeAPI(client_config(emulator))


def test_whole_session_from_wav_file_with_a_sender_thread(rt_emulator: Emulator, wav_file: Path) -> None:
    transcript = TranscriptAccumulator()
    with api(rt_emulator).stt.connect(config=WAV) as session:
        sender = session.send_in_background(stream_audio(wav_file, chunk_size_bytes=4096))
        for event in session:
            transcript.add(event)
        sender.join(2)
    assert transcript.finished
    assert transcript.final_text == rt_emulator.realtime.transcript
    assert session.state is SessionState.CLOSED
    assert rt_emulator.realtime.sessions[0].audio_bytes == wav_file.stat().st_size


def test_two_plain_threads(rt_emulator: Emulator, wav_file: Path) -> None:
    events = []
    with api(rt_emulator).stt.connect(config=WAV) as session:
        reader = threading.Thread(target=lambda: events.extend(session.receive_events()))
        reader.start()
        session.send_bytes(stream_audio(wav_file))
        reader.join(5)
    assert events[-1].finished


def test_interrupt_leaves_nothing_open(rt_emulator: Emulator) -> None:
    rt_emulator.realtime.stall = True
    captured: list[RealtimeSTTSession] = []
    with (
        pytest.raises(KeyboardInterrupt),
        api(rt_emulator).stt.connect(config=PCM, keepalive_interval_sec=0.05) as session,
    ):
        captured.append(session)
        session.send_bytes(b"\0" * WORD)
        raise KeyboardInterrupt  # what Ctrl-C looks like to the session
    session = captured[0]
    assert session._driver._stream is None
    assert not session._driver._workers.running
    assert not any(t.name.startswith("soniox-realtime") and t.is_alive() for t in threading.enumerate())
    wait_for(lambda: rt_emulator.realtime.sessions[0].client_closed)


def test_enter_twice_and_close_before_enter(rt_emulator: Emulator) -> None:
    session = api(rt_emulator).stt.connect(config=PCM)
    session.close()  # a no-op before entering
    with session, pytest.raises(SonioxRealtimeError, match="only once"):
        session.__enter__()
    with pytest.raises(SonioxRealtimeError, match="only once"):
        session.__enter__()
