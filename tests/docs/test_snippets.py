"""Every Python block of README.md and docs/*.md runs, as written, against the emulator."""

from __future__ import annotations

from pathlib import Path

import pytest
from snippets import Snippet, count_skip_markers, emulator_env, markdown_files, parse, run_python

from soniox_emulator import Emulator

ALL = [snippet for path in markdown_files() for snippet in parse(path, path.read_text(encoding="utf-8"))]
RUN = [s for s in ALL if s.skip_reason is None]
SKIPPED = [s for s in ALL if s.skip_reason is not None]

# Opted-out blocks, by id; anything else that is not run fails the count below.
EXPECTED_SKIPS: dict[str, str] = {}


@pytest.mark.parametrize("snippet", RUN, ids=[s.id for s in RUN])
def test_snippet_runs(snippet: Snippet, emulator: Emulator, tmp_path: Path) -> None:
    result = run_python(snippet.code, tmp_path, emulator_env(emulator), as_pytest=snippet.is_pytest_module)
    assert result.returncode == 0, f"{snippet.id}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    if snippet.is_pytest_module:
        assert " passed" in result.stdout and "failed" not in result.stdout, result.stdout


def test_nothing_is_skipped_but_the_declared_blocks() -> None:
    assert len(ALL) >= 30, [s.id for s in ALL]  # the pages were found and parsed
    assert {s.id: s.skip_reason for s in SKIPPED} == EXPECTED_SKIPS
    assert len(RUN) + len(SKIPPED) == len(ALL)
    # A marker that is not right above a block would silently skip nothing, or the wrong block.
    markers = sum(count_skip_markers(p.read_text(encoding="utf-8")) for p in markdown_files())
    assert markers == len(SKIPPED)


def test_every_docs_page_has_a_runnable_block_or_none_at_all() -> None:
    pages = {s.path for s in ALL}
    assert Path(__file__).resolve().parents[2] / "README.md" in pages
    assert len(pages) >= 10


def test_the_skip_marker_needs_a_reason() -> None:
    page = Path("page.md")
    text = (
        "<!-- snippet: skip - needs a microphone -->\n```python\nimport mic\n```\n\n```python\nx = 1\n```\n"
    )
    first, second = parse(page, text)
    assert (first.skip_reason, first.line, first.code) == ("needs a microphone", 2, "import mic\n")
    assert second.skip_reason is None
    with pytest.raises(ValueError, match="must say why"):
        parse(page, "<!-- snippet: skip -->\n```python\nx = 1\n```\n")
