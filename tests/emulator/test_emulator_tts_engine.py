"""The emulator's TTS engine and its decoder: audio round trips with no server."""

from __future__ import annotations

import itertools
import math
import random
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soniox_emulator import _pcm
from soniox_emulator._tts_decoder import ToneDecoder
from soniox_emulator._tts_engine import (
    SAMPLE_RATES,
    WRITABLE_FORMATS,
    Synthesizer,
    normalise,
    synthesize,
)

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


def _decode(audio: bytes, audio_format: str, sample_rate: int, chunk: int = 4096) -> ToneDecoder:
    decoder = ToneDecoder() if audio_format == "wav" else ToneDecoder(audio_format, sample_rate)
    for start in range(0, len(audio), chunk):
        decoder.feed(audio[start : start + chunk])
    return decoder


@settings(max_examples=60, deadline=None)
@given(
    text=_TEXT,
    audio_format=st.sampled_from(WRITABLE_FORMATS),
    sample_rate=st.sampled_from(SAMPLE_RATES),
    speed=st.sampled_from([0.7, 0.85, 1.0, 1.15, 1.3]),
    chunk=st.integers(1, 9000),
)
def test_any_text_round_trips_in_every_format_and_rate(
    text: str, audio_format: str, sample_rate: int, speed: float, chunk: int
) -> None:
    audio, timings = synthesize(text, audio_format, sample_rate, speed)
    decoder = _decode(audio, audio_format, sample_rate, chunk)
    assert decoder.found_preamble
    assert decoder.utterances == 1
    assert decoder.text == normalise(text)
    assert "".join(t.char for t in timings) == normalise(text)


@settings(max_examples=20, deadline=None)
@given(pieces=st.lists(_TEXT, max_size=5), sample_rate=st.sampled_from(SAMPLE_RATES))
def test_streamed_text_normalises_whitespace_across_pieces(pieces: list[str], sample_rate: int) -> None:
    synth = Synthesizer("pcm_s16le", sample_rate)
    audio = synth.start() + b"".join(synth.feed(p) for p in pieces) + synth.finish()
    assert _decode(audio, "pcm_s16le", sample_rate).text == normalise("".join(pieces))


def test_timings_are_ordered_and_inside_the_audio() -> None:
    audio, timings = synthesize("Hello, wörld!", "pcm_s16le", 24000)
    duration = len(audio) / 2 / 24000
    assert [t.char for t in timings] == list("Hello, wörld!")
    for before, after in itertools.pairwise(timings):
        assert before.start < before.end <= after.start
    assert timings[0].start > 0 and timings[-1].end < duration
    # Two bytes of UTF-8 take twice the time of one.
    o_umlaut = timings[8]
    assert o_umlaut.char == "ö"
    assert (o_umlaut.end - o_umlaut.start) > 1.8 * (timings[7].end - timings[7].start)


def test_output_is_deterministic_and_audible() -> None:
    first, _ = synthesize("Same input, same bytes.", "wav", 16000)
    second, _ = synthesize("Same input, same bytes.", "wav", 16000)
    assert first == second
    samples = struct.unpack(f"<{(len(first) - 44) // 2}h", first[44:])
    rms = math.sqrt(sum(s * s for s in samples) / len(samples))
    assert rms > 3000  # about -20 dBFS: real sound, not silence


def test_wav_header_describes_the_data() -> None:
    audio, _ = synthesize("abc", "wav", 44100)
    assert audio[:4] == b"RIFF" and audio[8:16] == b"WAVEfmt "
    channels, rate, byte_rate = struct.unpack_from("<HII", audio, 22)
    assert (channels, rate, byte_rate) == (1, 44100, 88200)
    assert struct.unpack_from("<I", audio, 40)[0] == len(audio) - 44
    assert struct.unpack_from("<I", audio, 4)[0] == len(audio) - 8


@pytest.mark.parametrize("audio_format", ["pcm_s16le", "pcm_f32le", "pcm_mulaw", "pcm_alaw"])
def test_raw_formats_have_the_documented_sample_width(audio_format: str) -> None:
    synth = Synthesizer(audio_format, 8000)
    audio = synth.start() + synth.feed("x") + synth.finish()
    assert len(audio) == synth.written * _pcm.bytes_per_sample(audio_format)


def test_five_thousand_characters_make_a_long_recognisable_clip() -> None:
    text = ("The quick brown fox jumps over the lazy dog. " * 120)[:5000]
    audio, timings = synthesize(text, "pcm_s16le", 8000)
    assert len(timings) == len(normalise(text))
    assert 200 < len(audio) / 2 / 8000 < 500  # speech-like pace: 10-25 characters a second
    assert _decode(audio, "pcm_s16le", 8000, 65536).text == normalise(text)


def test_audio_that_is_not_tts_made_is_not_recognised() -> None:
    rng = random.Random(7)
    noise = struct.pack("<16000h", *(rng.randint(-20000, 20000) for _ in range(16000)))
    tone = struct.pack("<16000h", *(int(12000 * math.sin(i / 3)) for i in range(16000)))
    for audio in (b"\x00\x00" * 16000, noise, tone):
        decoder = _decode(audio, "pcm_s16le", 16000)
        assert not decoder.found_preamble
        assert decoder.text == ""
    mp3ish = ToneDecoder()
    mp3ish.feed(b"ID3\x04" + bytes(5000))
    assert mp3ish.unreadable and not mp3ish.found_preamble


def test_two_clips_in_one_recording_read_as_two_phrases() -> None:
    one, _ = synthesize("first part", "pcm_s16le", 16000)
    two, _ = synthesize("second part", "pcm_s16le", 16000)
    decoder = _decode(one + two, "pcm_s16le", 16000)
    assert decoder.text == "first part second part"
    assert decoder.utterances == 2


def test_stereo_and_big_endian_input_decode() -> None:
    mono, _ = synthesize("stereo", "pcm_s16le", 16000)
    samples = struct.unpack(f"<{len(mono) // 2}h", mono)
    stereo = struct.pack(f"<{2 * len(samples)}h", *(v for s in samples for v in (s, 0)))
    decoder = ToneDecoder("pcm_s16le", 16000, 2)
    decoder.feed(stereo)
    assert decoder.text == "stereo"
    big = struct.pack(f">{len(samples)}h", *samples)
    decoder = ToneDecoder("pcm_s16be", 16000)
    decoder.feed(big)
    assert decoder.text == "stereo"


@pytest.mark.parametrize(
    ("encode", "decode"),
    [(_pcm.linear_to_ulaw, _pcm.ulaw_to_linear), (_pcm.linear_to_alaw, _pcm.alaw_to_linear)],
)
def test_g711_round_trip_keeps_sign_and_stays_close(encode: object, decode: object) -> None:
    for value in range(-32768, 32768, 97):
        back = decode(encode(value))  # type: ignore[operator]
        assert abs(back - value) <= max(16, abs(value) // 16)
        if abs(value) > 64:
            assert (back < 0) == (value < 0)


def test_g711_silence_bytes_are_the_standard_ones() -> None:
    assert _pcm.linear_to_ulaw(0) == 0xFF
    assert _pcm.linear_to_alaw(0) == 0xD5
    assert _pcm.silence("pcm_mulaw", 2) == b"\xff\xff"
    assert _pcm.silence("pcm_alaw", 2) == b"\xd5\xd5"


def test_importing_the_package_loads_neither_anyio_nor_multipart() -> None:
    import subprocess
    import sys

    code = (
        "import sys, soniox_emulator\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "assert not loaded & {'anyio', 'python_multipart', 'uvicorn', 'starlette'}, loaded\n"
        "soniox_emulator.recognise(soniox_emulator.synthesize('x', 'wav')[0])\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
