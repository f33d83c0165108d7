"""Speed of the emulator's TTS engine and decoder: 5,000 characters in every writable
format at every sample rate (best of three). Run: .venv/bin/python benchmarks/experiments/tts_engine.py"""

from __future__ import annotations

import time

from soniox_emulator._tts_decoder import ToneDecoder
from soniox_emulator._tts_engine import SAMPLE_RATES, WRITABLE_FORMATS, normalise, synthesize

TEXT = ("The quick brown fox jumps over the lazy dog. Ünïcödé, 日本語! " * 100)[:5000]


def _best(fn: object, reps: int = 3) -> float:
    best = float("inf")
    for _ in range(reps):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    print(f"{'format':<10} {'rate':>6} {'audio s':>8} {'MB':>6} {'synth s':>8} {'decode s':>9}")
    for audio_format in WRITABLE_FORMATS:
        for rate in SAMPLE_RATES:
            audio, _ = synthesize(TEXT, audio_format, rate)
            synth = _best(lambda f=audio_format, r=rate: synthesize(TEXT, f, r))

            def decode(a: bytes = audio, f: str = audio_format, r: int = rate) -> None:
                decoder = ToneDecoder() if f == "wav" else ToneDecoder(f, r)
                for i in range(0, len(a), 1 << 16):
                    decoder.feed(a[i : i + (1 << 16)])
                assert decoder.text == normalise(TEXT)

            dec = _best(decode, 1)
            width = {"pcm_f32le": 4, "pcm_mulaw": 1, "pcm_alaw": 1}.get(audio_format, 2)
            seconds = len(audio) / width / rate
            megabytes = len(audio) / 1e6
            print(f"{audio_format:<10} {rate:>6} {seconds:>8.1f} {megabytes:>6.1f} {synth:>8.3f} {dec:>9.2f}")


if __name__ == "__main__":
    main()
