"""Generate the blocking client facade from the async one.

    python scripts/unasync.py          # rewrite src/soniox_sync/_client.py
    python scripts/unasync.py --check  # fail if it is out of date (CI)

Every rule must apply at least once, so a rename in the async source that a
rule no longer matches fails loudly instead of leaving the twins apart.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAIRS = [
    (ROOT / "src/soniox_async/_client.py", ROOT / "src/soniox_sync/_client.py"),
    (ROOT / "src/soniox_async/_client_tts.py", ROOT / "src/soniox_sync/_client_tts.py"),
    (ROOT / "src/soniox_async/_client_account.py", ROOT / "src/soniox_sync/_client_account.py"),
]

HEADER = (
    "# Generated from {source} by scripts/unasync.py: do not edit.\n"
    "# Change the async source and run `python scripts/unasync.py`.\n"
)

RULES: list[tuple[str, str]] = [
    (
        r"This file is the source of ``soniox_sync/_client.py``, which\n"
        r"``scripts/unasync.py`` generates from it; edit this one\.",
        "Generated from ``soniox_async/_client.py``; edit that one.",
    ),
    (r"\bAsyncRunner\b", "Runner"),
    (r"\bAsyncIterator\b", "Iterator"),
    (r"\bAsyncSonioxClient\b", "SonioxClient"),
    (r"\bAsync(\w+API)\b", r"\1"),
    (r"Asynchronous Soniox REST client", "Blocking Soniox REST client"),
    (r"outstanding async HTTP connections", "outstanding HTTP connections"),
    (r"\basync def ", "def "),
    (r"\basync for ", "for "),
    (r"\bawait ", ""),
    (r"__aenter__", "__enter__"),
    (r"__aexit__", "__exit__"),
    (r"\baclose\b", "close"),
]


def transform(
    source: str, hits: dict[str, int] | None = None, name: str = "src/soniox_async/_client.py"
) -> str:
    """The sync text for the async source ``name``. Without ``hits`` to count
    matches into, a rule that matched nothing raises."""
    for pattern, replacement in RULES:
        source, count = re.subn(pattern, replacement, source)
        if hits is None and count == 0:
            raise SystemExit(f"unasync: rule {pattern!r} matched nothing; update the rules")
        if hits is not None:
            hits[pattern] = hits.get(pattern, 0) + count
    return HEADER.format(source=name) + source


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    # Every rule must match somewhere in the sources taken together.
    hits: dict[str, int] = {}
    outputs = [
        (target, transform(source.read_text(), hits, str(source.relative_to(ROOT))))
        for source, target in PAIRS
    ]
    unused = [pattern for pattern, count in hits.items() if count == 0]
    if unused:
        raise SystemExit(f"unasync: rule(s) {unused!r} matched nothing; update the rules")
    for target_path, generated in outputs:
        current = target_path.read_text() if target_path.exists() else None
        if generated == current:
            continue
        if check:
            stale.append(target_path)
        else:
            target_path.write_text(generated)
            print(f"wrote {target_path.relative_to(ROOT)}")
    if stale:
        names = ", ".join(str(p.relative_to(ROOT)) for p in stale)
        print(f"unasync: out of date: {names}; run python scripts/unasync.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
