"""Sample encodings the emulator writes and reads without a codec library.

G.711 mu-law and A-law are implemented here because ``audioop`` left the standard
library in Python 3.13. Samples on the "linear" side are signed 16-bit integers.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Sequence

_ULAW_BIAS = 0x84
_ULAW_CLIP = 32635
_ALAW_SEGMENT_ENDS = (0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF)

#: Bytes per sample of each encoding the decoder reads.
SAMPLE_WIDTHS = {
    "pcm_s8": 1,
    "pcm_u8": 1,
    "mulaw": 1,
    "alaw": 1,
    "pcm_s16le": 2,
    "pcm_s16be": 2,
    "pcm_f32le": 4,
    "pcm_f32be": 4,
}

# TTS format names for the same encodings, so both vocabularies can be decoded.
ALIASES = {"pcm_mulaw": "mulaw", "pcm_alaw": "alaw"}


def linear_to_ulaw(sample: int) -> int:
    """One 16-bit sample as a G.711 mu-law byte."""
    sign = 0
    if sample < 0:
        sample = -sample
        sign = 0x80
    sample = min(sample, _ULAW_CLIP) + _ULAW_BIAS
    exponent = max(0, (sample >> 7).bit_length() - 1)
    mantissa = (sample >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def ulaw_to_linear(byte: int) -> int:
    """One G.711 mu-law byte as a 16-bit sample."""
    byte = ~byte & 0xFF
    exponent = (byte >> 4) & 0x07
    magnitude = (((byte & 0x0F) << 3) + _ULAW_BIAS) << exponent
    magnitude -= _ULAW_BIAS
    return -magnitude if byte & 0x80 else magnitude


def linear_to_alaw(sample: int) -> int:
    """One 16-bit sample as a G.711 A-law byte."""
    value = sample >> 3
    if value >= 0:
        mask = 0xD5
    else:
        mask = 0x55
        value = -value - 1
    segment = 0
    while segment < 8 and value > _ALAW_SEGMENT_ENDS[segment]:
        segment += 1
    if segment >= 8:
        return 0x7F ^ mask
    coded = segment << 4
    coded |= (value >> 1) & 0x0F if segment < 2 else (value >> segment) & 0x0F
    return coded ^ mask


def alaw_to_linear(byte: int) -> int:
    """One G.711 A-law byte as a 16-bit sample."""
    byte ^= 0x55
    magnitude = (byte & 0x0F) << 4
    segment = (byte & 0x70) >> 4
    if segment == 0:
        magnitude += 8
    elif segment == 1:
        magnitude += 0x108
    else:
        magnitude = (magnitude + 0x108) << (segment - 1)
    return magnitude if byte & 0x80 else -magnitude


def _byte_tables(decode: object) -> tuple[bytes, bytes]:
    """Translation tables giving the low and high byte of each code's 16-bit sample."""
    values = [decode(b) & 0xFFFF for b in range(256)]  # type: ignore[operator]
    return bytes(v & 0xFF for v in values), bytes(v >> 8 for v in values)


_ULAW_BYTES = _byte_tables(ulaw_to_linear)
_ALAW_BYTES = _byte_tables(alaw_to_linear)


def _expand(data: bytes, tables: tuple[bytes, bytes]) -> array[int]:
    """G.711 bytes to 16-bit samples, with bytes.translate doing the work in C."""
    low, high = tables
    out = bytearray(2 * len(data))
    first, second = (low, high) if sys.byteorder == "little" else (high, low)
    out[0::2] = data.translate(first)
    out[1::2] = data.translate(second)
    return array("h", out)


def encode(samples: Sequence[float], audio_format: str) -> bytes:
    """Samples in [-1, 1] as bytes of ``audio_format`` (a TTS raw format name)."""
    if audio_format == "pcm_f32le":
        return struct.pack(f"<{len(samples)}f", *samples)
    ints = [max(-32768, min(32767, round(s * 32767))) for s in samples]
    if audio_format in ("pcm_s16le", "wav"):
        return struct.pack(f"<{len(ints)}h", *ints)
    if audio_format == "pcm_mulaw":
        return bytes(linear_to_ulaw(i) for i in ints)
    if audio_format == "pcm_alaw":
        return bytes(linear_to_alaw(i) for i in ints)
    raise ValueError(f"cannot write {audio_format!r}")


def silence(audio_format: str, count: int) -> bytes:
    """``count`` samples of digital silence."""
    if audio_format == "pcm_f32le":
        return b"\x00" * (4 * count)
    if audio_format == "pcm_mulaw":
        return b"\xff" * count
    if audio_format == "pcm_alaw":
        return b"\xd5" * count
    return b"\x00" * (2 * count)


def bytes_per_sample(audio_format: str) -> int:
    """Width of one sample of a writable TTS format (``wav`` is 16-bit PCM)."""
    return {"pcm_f32le": 4, "pcm_mulaw": 1, "pcm_alaw": 1}.get(audio_format, 2)


def wav_header(sample_rate: int, data_bytes: int | None) -> bytes:
    """A 44-byte header of a mono 16-bit WAV; unknown length -> the streaming placeholder."""
    size = 0xFFFFFFFF if data_bytes is None else data_bytes
    riff = 0xFFFFFFFF if data_bytes is None else 36 + data_bytes
    return (
        b"RIFF"
        + struct.pack("<I", riff)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, sample_rate, sample_rate * 2, 2, 16)
        + b"data"
        + struct.pack("<I", size)
    )


def to_samples(data: bytes, encoding: str) -> array[int] | array[float]:
    """Raw bytes (a whole number of samples) as an array of 16-bit ints or floats."""
    encoding = ALIASES.get(encoding, encoding)
    if encoding in ("pcm_s16le", "pcm_s16be"):
        ints = array("h", data)
        if (encoding == "pcm_s16be") == (sys.byteorder == "little"):
            ints.byteswap()
        return ints
    if encoding in ("pcm_f32le", "pcm_f32be"):
        floats = array("f", data)
        if (encoding == "pcm_f32be") == (sys.byteorder == "little"):
            floats.byteswap()
        return floats
    if encoding == "mulaw":
        return _expand(data, _ULAW_BYTES)
    if encoding == "alaw":
        return _expand(data, _ALAW_BYTES)
    if encoding == "pcm_s8":
        return array("h", [(b - 256 if b > 127 else b) << 8 for b in data])
    if encoding == "pcm_u8":
        return array("h", [(b - 128) << 8 for b in data])
    raise ValueError(f"cannot read {encoding!r}")


def full_scale(encoding: str) -> float:
    """The value of a full-scale sample in :func:`to_samples` output."""
    return 1.0 if ALIASES.get(encoding, encoding) in ("pcm_f32le", "pcm_f32be") else 32768.0
