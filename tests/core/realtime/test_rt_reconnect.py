"""The replay buffer and the reconnect policy: pure bookkeeping, no connection."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soniox_core._errors import SonioxValidationError
from soniox_core.models import Token
from soniox_core.realtime import RealtimeEvent, RealtimeSTTConfig, ReconnectPolicy
from soniox_core.realtime._reconnect import ReplayBuffer, check_reconnect

PCM = RealtimeSTTConfig(model="stt-rt-v4", audio_format="pcm_s16le", sample_rate=16000, num_channels=1)
BYTES_PER_MS = 32


def event(final_ms: int | None, *tokens: tuple[int, int, bool]) -> RealtimeEvent:
    return RealtimeEvent(
        tokens=[Token(text="w", start_ms=a, end_ms=b, is_final=f) for a, b, f in tokens],
        final_audio_proc_ms=final_ms,
        total_audio_proc_ms=final_ms,
    )


def test_replay_starts_at_the_last_final_position_and_shifts_the_new_connection() -> None:
    buffer = ReplayBuffer(PCM)
    buffer.add(b"a" * 100 * BYTES_PER_MS)
    buffer.add(b"b" * 100 * BYTES_PER_MS)
    first = buffer.on_event(event(120, (0, 120, True)))
    assert not first.reconnected and first.tokens[0].end_ms == 120
    assert buffer.pending_bytes == 80 * BYTES_PER_MS
    replayed = b"".join(buffer.start_replay())
    assert replayed == b"b" * (80 * BYTES_PER_MS)
    shifted = buffer.on_event(event(50, (0, 50, True), (50, 60, False)))
    assert shifted.reconnected
    assert [(t.start_ms, t.end_ms) for t in shifted.tokens] == [(120, 170), (170, 180)]
    assert shifted.final_audio_proc_ms == 170
    assert buffer.pending_bytes == 30 * BYTES_PER_MS


@given(chunks=st.lists(st.integers(1, 5000), max_size=20), finals=st.lists(st.integers(0, 4000), max_size=10))
def test_replay_never_cuts_a_sample_frame_nor_goes_back(chunks: list[int], finals: list[int]) -> None:
    stereo = RealtimeSTTConfig(model="m", audio_format="pcm_s16le", sample_rate=8000, num_channels=2)
    buffer = ReplayBuffer(stereo)
    total = 0
    for size in chunks:
        buffer.add(b"\0" * size)
        total += size
    pending = [buffer.pending_bytes]
    for final in sorted(finals):
        buffer.on_event(event(final))
        pending.append(buffer.pending_bytes)
    assert pending == sorted(pending, reverse=True)  # only ever trimmed
    assert (total - buffer.pending_bytes) % 4 == 0  # whole 4-byte frames cut


def test_policy_and_config_checks() -> None:
    policy = ReconnectPolicy(max_attempts=4, backoff_sec=0.5, max_backoff_sec=1.5)
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [0.5, 1.0, 1.5, 1.5]
    for bad in ({"max_attempts": 0}, {"max_attempts": True}, {"backoff_sec": -1}):
        with pytest.raises(SonioxValidationError):
            ReconnectPolicy(**bad)  # type: ignore[arg-type]
    check_reconnect(None, RealtimeSTTConfig(model="m"))
    with pytest.raises(SonioxValidationError) as info:
        check_reconnect(policy, RealtimeSTTConfig(model="m", audio_format="auto"))
    assert info.value.field == "reconnect"
    with pytest.raises(SonioxValidationError):
        check_reconnect("yes", PCM)  # type: ignore[arg-type]
