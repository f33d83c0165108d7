"""Transcript utilities: text, paragraphs, segments, SRT and WebVTT.

Subtitle output is checked with the ``srt`` and ``webvtt-py`` parsers, never
with our own, so a formatting slip cannot hide behind a matching parsing slip.
"""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
import srt
import webvtt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soniox_core.models import Token
from soniox_core.transcript import (
    Segment,
    SubtitleOptions,
    final_tokens,
    format_srt_timestamp,
    format_vtt_timestamp,
    split_translation,
    to_srt,
    to_webvtt,
    tokens_to_paragraphs,
    tokens_to_segments,
    tokens_to_subtitle_cues,
    tokens_to_text,
)


def tok(text: str, start: int | None, end: int | None, **fields: object) -> Token:
    return Token(text=text, start_ms=start, end_ms=end, confidence=0.9, **fields)  # type: ignore[arg-type]


def words(text: str, start: int = 0, step: int = 300, **fields: object) -> list[Token]:
    """One token per word, each ``step`` ms long, with Soniox-style leading spaces
    (every word but the very first of the audio starts with a space)."""
    out = []
    for i, word in enumerate(text.split()):
        begin = start + i * step
        text = word if i == 0 and start == 0 else " " + word
        out.append(tok(text, begin, begin + step - 50, **fields))
    return out


# --- Plain text and paragraphs ----------------------------------------------------


def test_text_joins_subword_tokens_and_strips() -> None:
    tokens = [tok("Hel", 0, 100), tok("lo", 100, 200), tok(" world", 250, 500), tok(".", 500, 510)]
    assert tokens_to_text(tokens) == "Hello world."


def test_text_of_nothing_is_empty() -> None:
    assert tokens_to_text([]) == ""
    assert tokens_to_paragraphs([]) == ""
    assert tokens_to_segments([]) == []
    assert to_srt([]) == ""
    assert to_webvtt([]) == "WEBVTT\n"


def test_realtime_markers_are_dropped() -> None:
    tokens = [tok("Hi", 0, 100, is_final=True), tok("<end>", None, None, is_final=True)]
    tokens.append(tok("<fin>", None, None, is_final=True))
    assert tokens_to_text(tokens) == "Hi"
    assert final_tokens(tokens) == tokens[:1]


def test_translation_is_kept_apart() -> None:
    tokens = [
        tok("Good", 0, 200, translation_status="original", language="en"),
        tok(" morning", 200, 500, translation_status="original", language="en"),
        tok("Guten", None, None, translation_status="translation", language="de"),
        tok(" Morgen", None, None, translation_status="translation", language="de"),
        tok(" ciao", 600, 800, translation_status="none", language="it"),
    ]
    original, translation = split_translation(tokens)
    assert [t.text for t in translation] == ["Guten", " Morgen"]
    assert len(original) == 3
    assert tokens_to_text(tokens) == "Good morning ciao"
    assert tokens_to_text(tokens, translated=True) == "Guten Morgen"
    assert "Guten" not in to_srt(tokens) and "Guten" in to_srt(tokens, translated=True)


def test_translation_without_timestamps_borrows_the_original_time() -> None:
    tokens = [
        tok("Good morning.", 1000, 2000, translation_status="original"),
        tok("Guten Morgen.", None, None, translation_status="translation"),
    ]
    [segment] = tokens_to_segments(tokens, translated=True)
    assert (segment.start_ms, segment.end_ms) == (2000, 2000)
    [cue] = srt.parse(to_srt(tokens, translated=True))
    assert cue.start == timedelta(seconds=2) and cue.end == timedelta(seconds=2.7)


def test_paragraphs_label_speaker_turns() -> None:
    tokens = [
        *words("Hello there.", speaker="1"),
        *words("Hi! How are you?", start=1000, speaker="2"),
        *words("Fine.", start=3000, speaker="1"),
    ]
    assert tokens_to_paragraphs(tokens) == (
        "Speaker 1: Hello there.\n\nSpeaker 2: Hi! How are you?\n\nSpeaker 1: Fine."
    )


def test_paragraphs_without_diarization_are_the_text() -> None:
    tokens = words("Just one voice here.")
    assert tokens_to_paragraphs(tokens) == tokens_to_text(tokens)


def test_paragraphs_can_show_language() -> None:
    tokens = [*words("Hello.", language="en"), *words("Hola.", start=500, language="es")]
    assert tokens_to_paragraphs(tokens, show_language=True) == "[en] Hello.\n\n[es] Hola."


# --- Segments ----------------------------------------------------------------------


def test_segments_split_at_sentence_end_pause_and_speaker() -> None:
    tokens = [
        *words("One two.", start=0, speaker="1"),  # 0..550
        *words("Three four", start=600, speaker="1"),  # sentence end before
        *words("five", start=3000, speaker="1"),  # pause of > 1 s before
        *words("six", start=3300, speaker="2"),  # speaker change
    ]
    assert tokens_to_segments(tokens) == [
        Segment(start_ms=0, end_ms=550, text="One two.", speaker="1"),
        Segment(start_ms=600, end_ms=1150, text="Three four", speaker="1"),
        Segment(start_ms=3000, end_ms=3250, text="five", speaker="1"),
        Segment(start_ms=3300, end_ms=3550, text="six", speaker="2"),
    ]


def test_segments_options() -> None:
    tokens = [*words("One two.", start=0), *words("Three", start=2000)]
    merged = tokens_to_segments(tokens, max_gap_ms=5000, split_sentences=False)
    assert [s.text for s in merged] == ["One two. Three"]


def test_decimal_point_does_not_end_a_sentence() -> None:
    tokens = [tok("It", 0, 100), tok(" costs", 100, 200), tok(" 3", 200, 300)]
    tokens += [tok(".", 300, 310), tok("5", 310, 400), tok(" euros", 400, 500)]
    assert [s.text for s in tokens_to_segments(tokens)] == ["It costs 3.5 euros"]


def test_cjk_text_may_break_between_tokens() -> None:
    chars = "今日はとても良い天気ですね散歩に行きましょう" * 3
    tokens = [tok(c, i * 100, i * 100 + 90) for i, c in enumerate(chars)]
    cues = srt.parse(to_srt(tokens))
    assert "".join(c.content.replace("\n", "") for c in cues) == chars
    assert all(len(line) <= 42 for c in cues for line in c.content.splitlines())


# --- SRT and WebVTT: examples -----------------------------------------------------


def test_srt_example() -> None:
    tokens = [*words("Hello world.", start=0, speaker="1"), *words("Bye.", start=2000, speaker="2")]
    assert to_srt(tokens) == (
        "1\n00:00:00,000 --> 00:00:00,700\nSpeaker 1: Hello world.\n\n"
        "2\n00:00:02,000 --> 00:00:02,700\nSpeaker 2: Bye.\n"
    )
    plain = to_srt(tokens, options=SubtitleOptions(speaker_labels=False))
    assert "Speaker" not in plain


def test_webvtt_example_and_escaping() -> None:
    tokens = words("Tom & Jerry <3 --> fun")
    assert to_webvtt(tokens) == (
        "WEBVTT\n\n00:00:00.000 --> 00:00:01.750\nTom &amp; Jerry &lt;3 --&gt; fun\n"
    )
    [caption] = webvtt.from_string(to_webvtt(tokens)).captions
    assert html.unescape(caption.text) == "Tom & Jerry <3 --> fun"


def test_long_speech_is_split_into_two_line_cues() -> None:
    tokens = words(" ".join(f"word{i}" for i in range(60)))
    cues = list(srt.parse(to_srt(tokens)))
    assert len(cues) > 3
    for cue in cues:
        lines = cue.content.splitlines()
        assert 1 <= len(lines) <= 2
        assert all(len(line) <= 42 for line in lines)
        assert cue.end - cue.start <= timedelta(seconds=7)
    # Two-line cues are balanced rather than one full line and a stub.
    first = cues[0].content.splitlines()
    assert abs(len(first[0]) - len(first[1])) < 10


def test_short_cue_is_stretched_to_the_minimum_unless_the_next_starts() -> None:
    tokens = [tok("Yes.", 0, 100), tok(" No.", 300, 400)]
    first, second = srt.parse(to_srt(tokens))
    assert first.end == timedelta(milliseconds=300)  # the next cue starts first
    assert second.end - second.start == timedelta(milliseconds=700)


def test_very_long_token_is_capped_at_the_maximum_duration() -> None:
    [cue] = srt.parse(to_srt([tok("Hmmmm", 0, 20_000)]))
    assert cue.end - cue.start == timedelta(seconds=7)


def test_timestamps() -> None:
    assert format_srt_timestamp(0) == "00:00:00,000"
    assert format_srt_timestamp(3_723_456) == "01:02:03,456"
    assert format_vtt_timestamp(3_723_456) == "01:02:03.456"
    assert format_vtt_timestamp(100 * 3_600_000) == "100:00:00.000"


def test_subtitle_options_are_checked() -> None:
    with pytest.raises(ValueError):
        SubtitleOptions(max_line_chars=0)
    with pytest.raises(ValueError):
        SubtitleOptions(min_cue_ms=8000, max_cue_ms=7000)


def test_subtitle_cues_match_srt() -> None:
    tokens = words("A b c. D e f.")
    cues = tokens_to_subtitle_cues(tokens)
    assert [c.text for c in cues] == [c.content for c in srt.parse(to_srt(tokens))]


# --- Properties over arbitrary token streams -------------------------------------


# Printable text of any script, including markup and subtitle syntax; control
# characters are left out (the API never sends them).
_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from("<>&.?! -"),
    min_size=0,
    max_size=30,
)


@st.composite
def token_streams(draw: st.DrawFn) -> list[Token]:
    count = draw(st.integers(0, 40))
    clock = draw(st.integers(0, 10_000_000))
    speakers = draw(st.sampled_from([[None], ["1"], ["1", "2", "3"]]))
    tokens = []
    for _ in range(count):
        clock += draw(st.integers(0, 3000))
        duration = draw(st.integers(0, 9000))
        translated = draw(st.booleans()) and draw(st.booleans())
        timed = not translated or draw(st.booleans())
        text = draw(_text)
        if draw(st.booleans()):
            text = " " + text
        tokens.append(
            Token(
                text=text,
                start_ms=clock if timed else None,
                end_ms=clock + duration if timed else None,
                speaker=draw(st.sampled_from(speakers)),
                translation_status="translation" if translated else "original",
            )
        )
        clock += duration // 2  # tokens may overlap a little, as real ones can
    return tokens


def _visible(text: str) -> str:
    return "".join(text.split())


def _check_cue_timing(spans: list[tuple[timedelta, timedelta]]) -> None:
    previous_end = timedelta(0)
    for start, end in spans:
        assert start >= previous_end, "cues overlap or run backwards"
        assert end > start
        assert end - start <= timedelta(seconds=7)
        previous_end = end


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(token_streams(), st.booleans())
def test_srt_parses_and_keeps_every_word(tokens: list[Token], translated: bool) -> None:
    options = SubtitleOptions(speaker_labels=False)
    output = to_srt(tokens, translated=translated, options=options)
    cues = list(srt.parse(output))
    assert [c.index for c in cues] == list(range(1, len(cues) + 1))
    _check_cue_timing([(c.start, c.end) for c in cues])
    for cue in cues:
        lines = cue.content.split("\n")
        assert 1 <= len(lines) <= 2
        assert all(0 < len(line) <= 42 and line == line.strip() for line in lines)
    expected = tokens_to_text(tokens, translated=translated).replace("-->", "->")
    assert _visible("".join(c.content for c in cues)) == _visible(expected.replace("-->", "->"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(token_streams(), st.booleans())
def test_webvtt_parses_and_matches_srt(tokens: list[Token], translated: bool) -> None:
    output = to_webvtt(tokens, translated=translated)
    captions = webvtt.from_string(output).captions
    srt_cues = list(srt.parse(to_srt(tokens, translated=translated)))
    assert len(captions) == len(srt_cues)
    _check_cue_timing(
        [
            (
                timedelta(milliseconds=c.start_time.in_milliseconds()),
                timedelta(milliseconds=c.end_time.in_milliseconds()),
            )
            for c in captions
        ]
    )
    for caption, cue in zip(captions, srt_cues, strict=True):
        assert caption.start.replace(".", ",") == srt.timedelta_to_srt_timestamp(cue.start)
        assert caption.end.replace(".", ",") == srt.timedelta_to_srt_timestamp(cue.end)
        shown = [html.unescape(line) for line in caption.lines]
        assert len(shown) <= 2 and all(len(line) <= 42 for line in shown)
        assert "\n".join(shown).replace("-->", "->") == cue.content


@settings(max_examples=150, deadline=None)
@given(token_streams())
def test_segments_are_ordered_and_cover_the_text(tokens: list[Token]) -> None:
    segments = tokens_to_segments(tokens)
    for segment in segments:
        assert segment.text and segment.end_ms >= segment.start_ms >= 0
    assert _visible("".join(s.text for s in segments)) == _visible(tokens_to_text(tokens))
    unlabelled = [t for t in tokens if t.speaker is None]
    if len(unlabelled) == len(tokens):
        assert tokens_to_paragraphs(tokens).replace("\n\n", "") == tokens_to_text(tokens)
