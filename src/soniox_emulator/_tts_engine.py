"""The emulator's text-to-speech "voice": text in, real audio out, deterministically.

The audio is a modem-like tone sequence that the emulator's own speech-to-text side
(:mod:`._tts_decoder`) reads back, so a TTS -> STT round trip returns the text offline.

Layout, in time from the first sample (``LEAD_SEC`` of silence first):

- a sync tone (``SYNC_HZ``, ``SYNC_SEC`` long), then two header slots at the base slot
  length: the magic nibble ``0xA`` and the speed step (0..12 for speed 0.7..1.3);
- one slot per 4-bit nibble of the UTF-8 text, high nibble first, each a tone at
  ``NIBBLE_HZ[n]``; the slot length is ``BASE_SLOT_SEC / speed``;
- an end marker: one slot at ``SYNC_HZ``, then a little silence.

Every tone has raised-cosine edges (no clicks) and sits at -6 dBFS. Slot starts are
computed from time, not accumulated in samples, so resampled audio stays aligned.
Frequencies stay under 2.7 kHz, so 8 kHz audio and G.711 companding keep them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from . import _pcm

SAMPLE_RATES = (8000, 16000, 24000, 44100, 48000)
DEFAULT_SAMPLE_RATE = 24000
WRITABLE_FORMATS = ("wav", "pcm_s16le", "pcm_f32le", "pcm_mulaw", "pcm_alaw")
CODEC_FORMATS = ("mp3", "aac", "opus", "flac")
# The OpenAPI document lists audio/pcm, audio/mpeg, audio/opus, audio/flac and
# application/octet-stream for POST /tts; WAV (the docs say audio/wav) takes the
# document's generic type so that replies conform to the document.
CONTENT_TYPES = {
    "wav": "application/octet-stream",
    "pcm_s16le": "audio/pcm",
    "pcm_f32le": "audio/pcm",
    "pcm_mulaw": "audio/pcm",
    "pcm_alaw": "audio/pcm",
}

LEAD_SEC = 0.010
SYNC_SEC = 0.060
BASE_SLOT_SEC = 0.034
TONE_FRACTION = 0.85
HEADER_SEC = SYNC_SEC + 0.010 + 2 * BASE_SLOT_SEC  # sync, a gap, magic, speed
TAIL_SEC = 0.050
SYNC_HZ = 350.0
NIBBLE_HZ = tuple(500.0 + 140.0 * n for n in range(16))
MAGIC_NIBBLE = 0xA
SPEED_MIN = 0.7
SPEED_STEP = 0.05
SPEED_STEPS = 13  # 0.7, 0.75, ..., 1.3
_AMPLITUDE = 0.5
_RAMP_SEC = 0.0015


def speed_step(speed: float) -> int:
    """The header's speed step for a requested speed (clamped to 0.7..1.3)."""
    return max(0, min(SPEED_STEPS - 1, round((speed - SPEED_MIN) / SPEED_STEP)))


def slot_seconds(step: int) -> float:
    """Length of one data slot for a speed step."""
    return BASE_SLOT_SEC / (SPEED_MIN + SPEED_STEP * step)


def normalise(text: str) -> str:
    """The text as it is spoken: whitespace runs become one space, ends trimmed."""
    return " ".join(text.split())


@lru_cache(maxsize=512)
def _tone(frequency: float, count: int, sample_rate: int, audio_format: str) -> bytes:
    ramp = max(1, int(_RAMP_SEC * sample_rate))
    step = 2.0 * math.pi * frequency / sample_rate
    samples = []
    for i in range(count):
        edge = min(i, count - 1 - i)
        gain = 0.5 - 0.5 * math.cos(math.pi * edge / ramp) if edge < ramp else 1.0
        # Cosine phase: the first loud sample comes right after the ramp, which keeps
        # the decoder's onset estimate tight.
        samples.append(_AMPLITUDE * gain * math.cos(step * i))
    return _pcm.encode(samples, audio_format)


@dataclass
class CharTiming:
    """When one spoken character sounds, in seconds from the start of the audio."""

    char: str
    start: float
    end: float


@dataclass
class Synthesizer:
    """Streams the audio of one utterance; feed text as it arrives.

    ``audio_format`` is a writable TTS format, ``sample_rate`` one of ``SAMPLE_RATES``.
    Call :meth:`start` once, :meth:`feed` for each piece of text, :meth:`finish` once;
    concatenating what they return gives the whole file. WAV output written this way
    carries the streaming placeholder length; :func:`synthesize` writes exact sizes.
    """

    audio_format: str
    sample_rate: int = DEFAULT_SAMPLE_RATE
    speed: float = 1.0
    written: int = 0  # samples so far
    slots: int = 0  # data slots so far
    _space_pending: bool = False
    _spoken_any: bool = False
    timings: list[CharTiming] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.audio_format not in WRITABLE_FORMATS:
            raise ValueError(f"cannot write {self.audio_format!r}")
        self._step = speed_step(self.speed)
        self._slot_sec = slot_seconds(self._step)
        self._pcm_format = "pcm_s16le" if self.audio_format == "wav" else self.audio_format

    def _at(self, seconds: float, frequency: float, length_sec: float) -> bytes:
        start = round(seconds * self.sample_rate)
        count = max(1, round(length_sec * self.sample_rate))
        gap = max(0, start - self.written)
        self.written += gap + count
        return _pcm.silence(self._pcm_format, gap) + _tone(
            frequency, count, self.sample_rate, self._pcm_format
        )

    def _slot_start(self, index: int) -> float:
        return LEAD_SEC + HEADER_SEC + index * self._slot_sec

    def _data_slot(self, frequency: float) -> bytes:
        out = self._at(self._slot_start(self.slots), frequency, self._slot_sec * TONE_FRACTION)
        self.slots += 1
        return out

    def start(self, data_bytes: int | None = None) -> bytes:
        """The beginning of the file: the WAV header (if any) and the preamble."""
        head = _pcm.wav_header(self.sample_rate, data_bytes) if self.audio_format == "wav" else b""
        base_tone = BASE_SLOT_SEC * TONE_FRACTION
        first_header_slot = LEAD_SEC + SYNC_SEC + 0.010
        return (
            head
            + self._at(LEAD_SEC, SYNC_HZ, SYNC_SEC)
            + self._at(first_header_slot, NIBBLE_HZ[MAGIC_NIBBLE], base_tone)
            + self._at(first_header_slot + BASE_SLOT_SEC, NIBBLE_HZ[self._step], base_tone)
        )

    def feed(self, text: str) -> bytes:
        """Audio for more text; whitespace is normalised across calls."""
        parts: list[bytes] = []
        for char in text:
            if char.isspace():
                self._space_pending = self._spoken_any
                continue
            if self._space_pending:
                self._space_pending = False
                parts.append(self._char(" "))
            parts.append(self._char(char))
            self._spoken_any = True
        return b"".join(parts)

    def _char(self, char: str) -> bytes:
        start = self._slot_start(self.slots)
        parts = []
        for byte in char.encode("utf-8", "surrogatepass"):
            parts.append(self._data_slot(NIBBLE_HZ[byte >> 4]))
            parts.append(self._data_slot(NIBBLE_HZ[byte & 0x0F]))
        end = self._slot_start(self.slots - 1) + self._slot_sec * TONE_FRACTION
        self.timings.append(CharTiming(char, round(start, 4), round(end, 4)))
        return b"".join(parts)

    def finish(self) -> bytes:
        """The end marker and a short tail of silence."""
        marker = self._data_slot(SYNC_HZ)
        end = round((self._slot_start(self.slots) + TAIL_SEC) * self.sample_rate)
        tail = max(0, end - self.written)
        self.written += tail
        return marker + _pcm.silence(self._pcm_format, tail)

    @property
    def duration_sec(self) -> float:
        """Audio written so far, in seconds."""
        return self.written / self.sample_rate


def synthesize(
    text: str, audio_format: str, sample_rate: int = DEFAULT_SAMPLE_RATE, speed: float = 1.0
) -> tuple[bytes, list[CharTiming]]:
    """Speak ``text`` with the emulator's voice, as ``POST /tts`` does.

    Args:
        text: Any text; whitespace runs are spoken as one space.
        audio_format: One of ``WRITABLE_FORMATS``.
        sample_rate: One of ``SAMPLE_RATES``.
        speed: Speaking rate, 0.7 to 1.3 (in steps of 0.05).

    Returns:
        The complete audio file and the timing of each spoken character.

    Raises:
        ValueError: ``audio_format`` is not one the emulator can write.
    """
    synth = Synthesizer(audio_format, sample_rate, speed)
    preamble = synth.start()
    body = preamble + synth.feed(text) + synth.finish()
    if audio_format == "wav":
        header_len = len(_pcm.wav_header(sample_rate, 0))
        body = _pcm.wav_header(sample_rate, len(body) - header_len) + body[header_len:]
    return body, synth.timings
