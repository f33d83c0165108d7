"""Regenerate samples/hello.wav: the sentence in samples/hello.txt, spoken by espeak-ng.

Usage: python scripts/make_sample.py   (needs the espeak-ng program on PATH)

espeak-ng speaks at 22,050 Hz; the SDK's sample is 16 kHz mono 16-bit PCM, the
format speech recognisers expect, so the audio is resampled here with a
windowed-sinc filter (pure Python, no numpy) and written with the wave module.
"""

from __future__ import annotations

import array
import io
import math
import subprocess
import sys
import wave
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TARGET_RATE = 16_000
HALF_TAPS = 16  # filter half-length in input samples; plenty for speech


def speak(text: str) -> tuple[array.array[int], int]:
    """Run espeak-ng and return its 16-bit mono samples and their rate."""
    wav = subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", "150", "--stdout", text],
        check=True,
        capture_output=True,
    ).stdout
    with wave.open(io.BytesIO(wav)) as reader:
        if reader.getnchannels() != 1 or reader.getsampwidth() != 2:
            raise SystemExit("espeak-ng did not produce 16-bit mono audio")
        frames = reader.readframes(reader.getnframes())
        rate = reader.getframerate()
    samples = array.array("h")
    samples.frombytes(frames)
    if sys.byteorder == "big":  # WAV data is little-endian
        samples.byteswap()
    return samples, rate


def resample(samples: array.array[int], rate: int, target: int) -> array.array[int]:
    """Band-limited resampling: a Hann-windowed sinc, cut off below the new Nyquist."""
    step = rate / target
    cutoff = min(1.0, target / rate) * 0.95
    out = array.array("h")
    count = int(len(samples) / step)
    for n in range(count):
        centre = n * step
        first = math.floor(centre) - HALF_TAPS + 1
        acc = 0.0
        for k in range(max(first, 0), min(first + 2 * HALF_TAPS, len(samples))):
            x = (centre - k) * cutoff
            sinc = 1.0 if x == 0 else math.sin(math.pi * x) / (math.pi * x)
            window = 0.5 + 0.5 * math.cos(math.pi * (centre - k) / HALF_TAPS)
            acc += samples[k] * sinc * window * cutoff
        out.append(max(-32768, min(32767, round(acc))))
    return out


def main() -> None:
    text = (SAMPLES / "hello.txt").read_text(encoding="utf-8").strip()
    samples, rate = speak(text)
    pcm = resample(samples, rate, TARGET_RATE) if rate != TARGET_RATE else samples
    if sys.byteorder == "big":
        pcm.byteswap()
    with wave.open(str(SAMPLES / "hello.wav"), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(TARGET_RATE)
        writer.writeframes(pcm.tobytes())
    seconds = len(pcm) / TARGET_RATE
    print(f"wrote {SAMPLES / 'hello.wav'} ({seconds:.2f} s at {TARGET_RATE} Hz)")


if __name__ == "__main__":
    main()
