"""Static fixtures served to every client: one File, one transcript, file-list pages.

Everything is written as plain JSON files so that a static server (nginx in the real
benchmark, a tiny Python server in the smoke test) can serve them without computing
anything per request.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import asdict, dataclass
from pathlib import Path

FILE_ID = "0c9d4a4e-1f7b-4c53-9a43-2f5d6f0b7e11"
TRANSCRIPTION_ID = "7a1c2e3b-5d4f-4e6a-8b9c-0d1e2f3a4b5c"
PAGE_PREFIX = "page_"  # the first page is "page_.json" (empty cursor)


@dataclass(frozen=True)
class Sizes:
    """How big each workload is; the defaults are the sizes the issue names."""

    w1_requests: int = 3_000
    w2_requests: int = 6_000
    w2_concurrency: int = 64
    w3_tokens: int = 100_000
    w4_bytes: int = 1 << 30
    w5_files: int = 100_000
    w5_page: int = 1_000
    w6_seconds: int = 600
    w6_chunk_ms: int = 120
    w8_sessions: int = 100
    w8_seconds: int = 60

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Sizes:
        return cls(**json.loads(text))


FULL = Sizes()
TINY = Sizes(
    w1_requests=40,
    w2_requests=64,
    w2_concurrency=8,
    w3_tokens=500,
    w4_bytes=3 * 1024 * 1024 + 17,
    w5_files=2_500,
    w5_page=1_000,
    w6_seconds=3,
    w6_chunk_ms=120,
    w8_sessions=4,
    w8_seconds=1,
)


def file_json(index: int = 0) -> dict[str, object]:
    return {
        "id": FILE_ID if index == 0 else f"{index:08x}-1f7b-4c53-9a43-2f5d6f0b7e11",
        "filename": f"meeting-{index:06d}.wav",
        "size": 1_234_567 + index,
        "created_at": "2025-11-24T10:15:30.123456Z",
        "client_reference_id": None if index % 2 else f"ref-{index}",
    }


def _transcript(tokens: int) -> dict[str, object]:
    rng = random.Random(1234)
    words = ["hello", "world", "speech", "to", "text", "soniox", "meeting", "notes", "the", "a"]
    toks: list[dict[str, object]] = []
    pieces: list[str] = []
    for i in range(tokens):
        text = (" " if i else "") + rng.choice(words)
        pieces.append(text)
        toks.append(
            {
                "text": text,
                "start_ms": i * 120,
                "end_ms": i * 120 + 100,
                "confidence": round(0.5 + rng.random() / 2, 4),
                "speaker": str(1 + i // 50 % 3),
                "language": "en",
            }
        )
    return {"id": TRANSCRIPTION_ID, "text": "".join(pieces), "tokens": toks}


def page_name(cursor: str) -> str:
    return f"{PAGE_PREFIX}{cursor}.json"


def generate(root: Path, sizes: Sizes) -> Path:
    """Write the fixtures for ``sizes`` under ``root/data`` (skipped when already there)."""
    data = root / "data"
    stamp = data / "sizes.json"
    if stamp.exists() and stamp.read_text() == sizes.to_json():
        return data
    (data / "pages").mkdir(parents=True, exist_ok=True)
    for old in (data / "pages").glob("*.json"):
        old.unlink()
    dumps = json.JSONEncoder(separators=(",", ":")).encode
    (data / "file.json").write_text(dumps(file_json()))
    (data / "transcript.json").write_text(dumps(_transcript(sizes.w3_tokens)))
    pages = max(1, -(-sizes.w5_files // sizes.w5_page))
    index = 0
    for page in range(pages):
        cursor = "" if page == 0 else f"c{page:05d}"
        nxt = f"c{page + 1:05d}" if page + 1 < pages else None
        files = []
        for _ in range(min(sizes.w5_page, sizes.w5_files - index)):
            index += 1
            files.append(file_json(index))
        (data / "pages" / page_name(cursor)).write_text(dumps({"files": files, "next_page_cursor": nxt}))
    stamp.write_text(sizes.to_json())
    return data


def upload_file(root: Path, size: int) -> Path:
    """A file of ``size`` bytes of incompressible data (not sparse), reused across runs."""
    path = root / f"upload-{size}.bin"
    if path.exists() and path.stat().st_size == size:
        return path
    block = random.Random(99).randbytes(1 << 20)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        left = size
        while left:
            n = min(left, len(block))
            fh.write(block[:n])
            left -= n
    os.replace(tmp, path)
    return path
