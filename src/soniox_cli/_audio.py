"""Audio-file details of ``soniox speak``: the format an extension implies, WAV sizes."""

from __future__ import annotations

import os
import struct
from typing import BinaryIO

__all__ = ["format_for_path", "seal_wav"]

# Extensions whose format is unambiguous; raw PCM has no header, so only the
# sample encoding can be told from a name.
_EXTENSIONS = {
    ".wav": "wav",
    ".wave": "wav",
    ".mp3": "mp3",
    ".flac": "flac",
    ".opus": "opus",
    ".ogg": "opus",
    ".aac": "aac",
    ".pcm": "pcm_s16le",
    ".raw": "pcm_s16le",
    ".s16": "pcm_s16le",
    ".f32": "pcm_f32le",
    ".ulaw": "pcm_mulaw",
    ".mulaw": "pcm_mulaw",
    ".alaw": "pcm_alaw",
}
DEFAULT_FORMAT = "wav"


def format_for_path(path: str | None) -> tuple[str, bool]:
    """The audio format for ``path``'s extension, and whether the extension said so.

    Args:
        path: The output path, or None for stdout.

    Returns:
        ``(format, known)``: the format (``"wav"`` when the name does not tell)
        and True when the extension chose it.
    """
    if path is None:
        return DEFAULT_FORMAT, False
    found = _EXTENSIONS.get(os.path.splitext(path)[1].lower())
    return (found, True) if found else (DEFAULT_FORMAT, False)


def seal_wav(handle: BinaryIO) -> bool:
    """Write the true RIFF and data sizes into a complete WAV file open for update.

    Streamed WAV audio starts before its length is known, so its header carries
    placeholder sizes (``0xFFFFFFFF``) that many readers reject; once the whole
    file is written the sizes are known.

    Args:
        handle: The file, opened ``"r+b"``; its position is left at the end.

    Returns:
        True when sizes were rewritten, False when they were already right or the
        file is not a WAV file this can read.
    """
    handle.seek(0, os.SEEK_END)
    total = handle.tell()
    handle.seek(0)
    head = handle.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return False
    changed = False
    if struct.unpack("<I", head[4:8])[0] != total - 8:
        handle.seek(4)
        handle.write(struct.pack("<I", total - 8))
        changed = True
    offset = 12
    while offset + 8 <= total:
        handle.seek(offset)
        chunk_id, size = struct.unpack("<4sI", handle.read(8))
        if chunk_id == b"data":
            actual = total - offset - 8
            if size != actual:
                handle.seek(offset + 4)
                handle.write(struct.pack("<I", actual))
                changed = True
            break
        offset += 8 + size + (size & 1)
    handle.seek(0, os.SEEK_END)
    return changed
