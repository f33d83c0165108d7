"""Reading the emulator's own TTS audio back into text (the STT side of a round trip).

:class:`ToneDecoder` is fed audio as it arrives (a WAV file, or raw PCM whose format
the caller knows) and finds utterances laid out by :mod:`._tts_engine`: it waits for
a loud onset, checks the sync tone and the magic nibble, reads the speed step, then
measures one frequency per slot by timing zero crossings in the middle of the tone.
Audio that is not TTS-made never passes the preamble check, so callers fall back to
their scripted transcripts.
"""

from __future__ import annotations

import codecs
import struct
from array import array
from dataclasses import dataclass, field

from . import _pcm
from ._tts_engine import (
    BASE_SLOT_SEC,
    HEADER_SEC,
    MAGIC_NIBBLE,
    NIBBLE_HZ,
    SPEED_STEPS,
    SYNC_HZ,
    SYNC_SEC,
    TONE_FRACTION,
    slot_seconds,
)

_THRESHOLD = 0.1  # of full scale; tones are at 0.5
_TOLERANCE_HZ = 55.0
_SCAN_BLOCK = 1024
_MAX_WAV_HEADER = 4096


@dataclass
class DecodedChar:
    """One recognised character and when it sounded, in milliseconds."""

    char: str
    start_ms: int
    end_ms: int


def _nearest(frequency: float) -> int | None:
    """The nibble a frequency stands for, ``16`` for the sync tone, None for noise."""
    if abs(frequency - SYNC_HZ) <= _TOLERANCE_HZ:
        return 16
    index = round((frequency - NIBBLE_HZ[0]) / (NIBBLE_HZ[1] - NIBBLE_HZ[0]))
    if 0 <= index < 16 and abs(frequency - NIBBLE_HZ[index]) <= _TOLERANCE_HZ:
        return index
    return None


@dataclass
class ToneDecoder:
    """Incremental decoder. ``encoding`` is a raw sample encoding (see ``_pcm``), or
    None to read a WAV header first (anything else is then "not TTS audio")."""

    encoding: str | None = None
    sample_rate: int = 16000
    channels: int = 1
    chars: list[DecodedChar] = field(default_factory=list)
    utterances: int = 0  # utterances that reached their end marker
    found_preamble: bool = False
    unreadable: bool = False  # the header said this is no audio we can read

    def __post_init__(self) -> None:
        self._header = bytearray()
        self._pending = b""  # bytes short of a whole sample frame
        self._samples: array[int] | array[float] = array("h")
        self._base = 0  # absolute index of _samples[0]
        self._pos = 0  # absolute index where scanning continues
        self._state = "search"
        self._origin = 0
        self._slot_sec = BASE_SLOT_SEC
        self._slot = 0
        self._nibble: int | None = None
        self._utf8 = codecs.getincrementaldecoder("utf-8")("replace")
        self._char_start = 0.0
        self._full = 32768.0
        self._width = 0
        self._stride = 1
        if self.encoding is not None:
            self._configure(self.encoding, self.sample_rate, self.channels)

    def _configure(self, encoding: str, sample_rate: int, channels: int) -> None:
        encoding = _pcm.ALIASES.get(encoding, encoding)
        if encoding not in _pcm.SAMPLE_WIDTHS or sample_rate <= 0 or channels <= 0:
            self.unreadable = True
            return
        self.encoding = encoding
        self.sample_rate = sample_rate
        self.channels = channels
        self._width = _pcm.SAMPLE_WIDTHS[encoding] * channels
        # Every tone is under 2.7 kHz, so reading every n-th sample (about 8 kHz) loses
        # nothing and makes frequency measurement several times cheaper at high rates.
        self._stride = max(1, sample_rate // 8000)
        self._full = _pcm.full_scale(encoding)
        self._samples = _pcm.to_samples(b"", encoding)

    # --- input ---------------------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        """Add audio bytes (any split) and decode what they complete."""
        if self.unreadable or not data:
            return
        if self._width == 0:
            self._header += data
            data = self._parse_wav_header()
            if self._width == 0 or not data:
                return
        data = self._pending + data
        whole = len(data) - len(data) % self._width
        self._pending = data[whole:]
        samples = _pcm.to_samples(data[:whole], str(self.encoding))
        if self.channels > 1:
            samples = samples[:: self.channels]
        self._samples.extend(samples)  # type: ignore[arg-type]
        self._run()

    def _parse_wav_header(self) -> bytes:
        head = bytes(self._header)
        if len(head) >= 12 and (head[:4] != b"RIFF" or head[8:12] != b"WAVE"):
            self.unreadable = True
            return b""
        pos = 12
        fmt: tuple[int, int, int, int] | None = None
        while pos + 8 <= len(head):
            chunk, size = head[pos : pos + 4], struct.unpack_from("<I", head, pos + 4)[0]
            if chunk == b"data":
                if fmt is None:
                    self.unreadable = True
                    return b""
                code, channels, rate, bits = fmt
                encoding = {(1, 8): "pcm_u8", (1, 16): "pcm_s16le", (3, 32): "pcm_f32le"}.get(
                    (code, bits), {6: "alaw", 7: "mulaw"}.get(code, "")
                )
                self._configure(encoding, rate, channels)
                return b"" if self.unreadable else head[pos + 8 :]
            if chunk == b"fmt ":
                if pos + 24 > len(head):
                    break
                code, channels, rate = struct.unpack_from("<HHI", head, pos + 8)
                bits = struct.unpack_from("<H", head, pos + 22)[0]
                if code == 0xFFFE and pos + 34 <= len(head):
                    code = struct.unpack_from("<H", head, pos + 32)[0]
                fmt = (code, channels, rate, bits)
            pos += 8 + size + (size & 1)
        if len(head) > _MAX_WAV_HEADER:
            self.unreadable = True
        return b""

    # --- results -------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """Everything recognised so far."""
        return "".join(c.char for c in self.chars)

    @property
    def in_utterance(self) -> bool:
        """Whether an utterance has started and not yet ended."""
        return self._state == "data"

    def time_ms(self) -> int:
        """How much audio has been fed, in milliseconds."""
        total = self._base + len(self._samples)
        return total * 1000 // self.sample_rate if self._width else 0

    # --- decoding ------------------------------------------------------------------------

    def _index(self, seconds: float) -> int:
        return self._origin + round(seconds * self.sample_rate)

    def _have(self, end: int) -> bool:
        return end <= self._base + len(self._samples)

    def _window(self, start_sec: float, length_sec: float) -> array[int] | array[float]:
        start = self._index(start_sec + 0.2 * length_sec) - self._base
        end = self._index(start_sec + 0.8 * length_sec) - self._base
        return self._samples[max(0, start) : max(0, end) : self._stride]

    def _frequency(self, window: array[int] | array[float]) -> float | None:
        if len(window) < 4 or max(max(window), -min(window)) < _THRESHOLD * self._full:
            return None
        first = last = -1.0
        crossings = 0
        previous = window[0]
        for i in range(1, len(window)):
            current = window[i]
            if (previous < 0) != (current < 0):
                moment = i - 1 + previous / (previous - current)
                if crossings == 0:
                    first = moment
                last = moment
                crossings += 1
            previous = current
        if crossings < 2 or last <= first:
            return None
        return (crossings - 1) / (2.0 * (last - first)) * self.sample_rate / self._stride

    def _find_onset(self) -> int | None:
        limit = _THRESHOLD * self._full
        samples = self._samples
        start = max(0, self._pos - self._base)
        for block in range(start, len(samples), _SCAN_BLOCK):
            chunk = samples[block : block + _SCAN_BLOCK]
            if max(chunk) >= limit or -min(chunk) >= limit:
                for i in range(block, block + len(chunk)):
                    if abs(samples[i]) >= limit:
                        return self._base + i
        self._pos = self._base + len(samples)
        return None

    def _run(self) -> None:
        while True:
            progressed = self._search() if self._state == "search" else self._data()
            if not progressed:
                break
        self._trim()

    def _search(self) -> bool:
        onset = self._find_onset()
        if onset is None:
            return False
        self._origin = onset
        base_tone = BASE_SLOT_SEC * TONE_FRACTION
        first_header = SYNC_SEC + 0.010
        if not self._have(self._index(HEADER_SEC + 0.005)):
            self._pos = onset
            return False
        sync = self._frequency(self._window(0.0, SYNC_SEC))
        magic = self._frequency(self._window(first_header, base_tone))
        step = self._frequency(self._window(first_header + BASE_SLOT_SEC, base_tone))
        step_nibble = _nearest(step) if step is not None else None
        if (
            sync is not None
            and _nearest(sync) == 16
            and magic is not None
            and _nearest(magic) == MAGIC_NIBBLE
            and step_nibble is not None
            and step_nibble < SPEED_STEPS
        ):
            self.found_preamble = True
            if self.chars:
                # A second utterance in the same audio reads as a new word.
                moment = self._ms(self._index(0.0))
                self.chars.append(DecodedChar(" ", moment, moment))
            self._state = "data"
            self._slot_sec = slot_seconds(step_nibble)
            self._slot = 0
            self._nibble = None
            self._utf8.reset()
        else:
            self._pos = onset + max(1, int(0.02 * self.sample_rate))
        return True

    def _ms(self, index: int) -> int:
        return index * 1000 // self.sample_rate

    def _data(self) -> bool:
        start = HEADER_SEC + self._slot * self._slot_sec
        tone = self._slot_sec * TONE_FRACTION
        if not self._have(self._index(start + tone)):
            return False
        frequency = self._frequency(self._window(start, tone))
        symbol = _nearest(frequency) if frequency is not None else None
        if symbol is None or symbol == 16:
            if symbol == 16:
                self.utterances += 1
            self._end_utterance(self._index(start + tone))
            return True
        if self._nibble is None:
            self._nibble = symbol
            if not self._utf8_pending():
                self._char_start = start
        else:
            byte = (self._nibble << 4) | symbol
            self._nibble = None
            for char in self._utf8.decode(bytes([byte])):
                self.chars.append(
                    DecodedChar(
                        char, self._ms(self._index(self._char_start)), self._ms(self._index(start + tone))
                    )
                )
        self._slot += 1
        return True

    def _utf8_pending(self) -> bool:
        buffered, _ = self._utf8.getstate()
        return bool(buffered)

    def _end_utterance(self, end: int) -> None:
        for char in self._utf8.decode(b"", final=True):
            self.chars.append(DecodedChar(char, self._ms(end), self._ms(end)))
        self._state = "search"
        self._pos = end

    def _trim(self) -> None:
        # Keep only what the next step may still look at.
        if self._state == "search":
            keep_from = self._pos
        else:
            keep_from = self._index(HEADER_SEC + self._slot * self._slot_sec) - 16
        drop = min(keep_from - self._base, len(self._samples))
        if drop > 65536:
            del self._samples[:drop]
            self._base += drop


def recognise(
    audio: bytes, audio_format: str = "wav", sample_rate: int = 24000, num_channels: int = 1
) -> str | None:
    """The text spoken in audio the emulator's TTS made, or None for any other audio.

    Args:
        audio: A whole recording: a WAV file, or raw samples.
        audio_format: ``"wav"`` (read the header), or a raw encoding such as
            ``"pcm_s16le"``, ``"pcm_f32le"``, ``"pcm_mulaw"``/``"mulaw"``, ``"pcm_alaw"``/``"alaw"``.
        sample_rate: Samples per second of raw audio (ignored for WAV).
        num_channels: Interleaved channels of raw audio; the first is read.

    Returns:
        The recognised text (whitespace-normalised), or None when the audio carries no
        emulator TTS preamble.
    """
    decoder = ToneDecoder() if audio_format == "wav" else ToneDecoder(audio_format, sample_rate, num_channels)
    decoder.feed(audio)
    return decoder.text if decoder.found_preamble else None
