"""The command's pure pieces, in process: error lines, live view, progress, rendering."""

from __future__ import annotations

import io
import logging
import os
import shutil
from pathlib import Path

import pytest
import srt

from soniox_cli._connect import sidecar_transcript
from soniox_cli._errors import CLIError, describe
from soniox_cli._live import LiveView, terminal_width
from soniox_cli._logging import RedactFilter
from soniox_cli._output import Output
from soniox_cli._progress import ProgressReader, StatusLine, progress_bar
from soniox_cli._realtime import _Captioner, paced_chunks
from soniox_cli._render import render
from soniox_core import SonioxAuthenticationError, SonioxInvalidRequestError, SonioxRealtimeError
from soniox_core.models import ApiErrorValidationError, Token, TranscriptionTranscript


def test_api_error_line_has_type_status_and_request_id() -> None:
    exc = SonioxAuthenticationError(
        "Invalid API key.", status_code=401, error_type="unauthenticated", request_id="req-1"
    )
    assert describe(exc) == (
        "soniox: error: SonioxAuthenticationError [unauthenticated]: Invalid API key. "
        "(HTTP 401, request_id=req-1)"
    )


def test_validation_errors_stay_on_one_line() -> None:
    exc = SonioxInvalidRequestError(
        "Invalid request.\nSee below.",
        status_code=400,
        error_type="invalid_request",
        validation_errors=[ApiErrorValidationError(error_type="x", location="body.model", message="bad")],
    )
    line = describe(exc)
    assert "\n" not in line and "body.model: bad" in line and "request_id=none" in line


def test_other_errors() -> None:
    assert describe(SonioxRealtimeError("No audio.", code=400)) == (
        "soniox: error: SonioxRealtimeError [code 400]: No audio."
    )
    assert describe(CLIError("no such file: x")) == "soniox: error: no such file: x"
    assert describe(ValueError("")) == "soniox: error: ValueError: (no message)"


def test_live_view_on_a_pipe_writes_only_final_text() -> None:
    stream = io.StringIO()
    view = LiveView(stream, terminal=False)
    view.update("", "Hel")
    view.update(" Hello", " wor")
    view.update(" world.", "")
    view.close()
    assert stream.getvalue() == "Hello world.\n"


def test_live_view_on_a_terminal_never_outgrows_a_line() -> None:
    stream = io.StringIO()
    view = LiveView(stream, terminal=True, width=30)
    words = [f" word{i}" for i in range(20)]
    for word in words:
        view.update(word, " maybe")
    view.close()
    screen = stream.getvalue()
    committed = [line.split("\x1b[K")[-1] for line in screen.split("\n") if line]
    assert all(len(line) <= 29 for line in committed)
    assert " ".join(committed).split() == [w.strip() for w in words]
    drawn = [part.split("\x1b[K", 1)[-1] for part in screen.split("\r")]
    visible = [p.replace("\x1b[2m", "").replace("\x1b[0m", "").rstrip("\n") for p in drawn]
    assert all(len(p) <= 29 for p in visible)


@pytest.mark.parametrize("reported", [0, -1])
def test_a_terminal_that_reports_no_width_gets_80_columns(
    monkeypatch: pytest.MonkeyPatch, reported: int
) -> None:
    # Python 3.10's shutil passes a 0-column size through instead of the fallback.
    size = os.terminal_size((reported, 0))
    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback=(80, 24): size)
    assert terminal_width() == 80
    stream = io.StringIO()
    view = LiveView(stream, terminal=True, width=reported)
    view.update(" ".join(f"w{i}" for i in range(30)), "")
    view.close()
    lines = [line.split("\x1b[K")[-1] for line in stream.getvalue().split("\n") if line]
    assert max(len(line) for line in lines) > 60  # wrapped near 79 columns, not at 20
    assert all(len(line) <= 79 for line in lines)


def test_terminal_width_follows_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback=(80, 24): os.terminal_size((132, 40)))
    assert terminal_width() == 132


def test_progress_reader_reports_position_and_restarts_on_rewind() -> None:
    shown = io.StringIO()
    line = StatusLine(shown, enabled=True)
    reader = ProgressReader(io.BytesIO(b"x" * 2048), "a.wav", line)
    assert reader.read(1024) == b"x" * 1024
    assert shown.getvalue().endswith("]  50%  1.0 KB / 2.0 KB")
    reader.seek(0)  # a retried upload starts again
    reader.read(10)
    assert shown.getvalue().rsplit("\r", 1)[-1].startswith("Uploading [.....")
    assert progress_bar("Up", 512, 1024).startswith("Up [" + "#" * 15 + "." * 15 + "]  50%")


def test_status_line_is_silent_when_disabled() -> None:
    stream = io.StringIO()
    line = StatusLine(stream, enabled=False)
    line.show("x")
    line.clear()
    assert stream.getvalue() == ""


def test_redaction_masks_secrets_in_any_logger() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactFilter(["secret-key-123"]))
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        logger.debug("Authorization: Bearer %s", "secret-key-123")
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue() == "Authorization: Bearer ***\n"


def _transcript() -> TranscriptionTranscript:
    tokens = [
        Token(text="Hello", start_ms=0, end_ms=400, translation_status="original", speaker="1"),
        Token(text=" there.", start_ms=400, end_ms=900, translation_status="original", speaker="1"),
        Token(
            text="Hallo", start_ms=0, end_ms=900, translation_status="translation", language="de", speaker="1"
        ),
        Token(
            text=" da.", start_ms=0, end_ms=900, translation_status="translation", language="de", speaker="1"
        ),
    ]
    return TranscriptionTranscript(id="t", text="", tokens=tokens)


def test_text_shows_original_then_translation() -> None:
    assert render(_transcript(), "text") == (
        "Speaker 1: Hello there.\n\nTranslation (de):\nSpeaker 1: Hallo da.\n"
    )


def test_subtitles_show_the_translation_when_there_is_one() -> None:
    [cue] = srt.parse(render(_transcript(), "srt"))
    assert cue.content == "Speaker 1: Hallo da."
    assert "Hallo da." in render(_transcript(), "vtt")


def test_sidecar_transcript(tmp_path: Path) -> None:
    audio = tmp_path / "talk.wav"
    audio.write_bytes(b"RIFF")
    assert sidecar_transcript(str(audio)) is None
    (tmp_path / "talk.txt").write_text("  Spoken words.\n", encoding="utf-8")
    assert sidecar_transcript(str(audio)) == "Spoken words."
    assert sidecar_transcript(str(tmp_path / "talk.txt")) is None  # text is not audio


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.srt"
    Output(path=str(target), stderr=io.StringIO()).write("1\n")
    assert target.read_text(encoding="utf-8") == "1\n"
    assert not (tmp_path / "out.srt.part").exists()


def test_realtime_captions_start_a_labelled_line_per_speaker() -> None:
    captioner = _Captioner()
    first = captioner.text([Token(text="Hi", speaker="1"), Token(text=" there.", speaker="1")])
    second = captioner.text(
        [Token(text=" Hello.", speaker="2"), Token(text="Hallo.", translation_status="translation")]
    )
    assert first + second == "Speaker 1: Hi there.\nSpeaker 2: Hello."
    stream = io.StringIO()
    view = LiveView(stream, terminal=True, width=80)
    view.update(first, "")
    view.update(second, " more")
    view.close()
    lines = [line.split("\x1b[K")[-1] for line in stream.getvalue().split("\n") if line]
    assert lines == ["Speaker 1: Hi there.", "Speaker 2: Hello."]


def test_one_version_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    from soniox_cli._args import build_parser
    from soniox_core import __version__
    from soniox_core._config import USER_AGENT

    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.split() == ["soniox", __version__]
    assert version("soniox-sansio") == __version__  # hatch reads src/soniox_core/_version.py
    assert USER_AGENT.endswith("/" + __version__)


@pytest.mark.parametrize("fast", [False, True])
def test_paced_chunks_follow_the_audio_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast: bool
) -> None:
    import wave

    path = tmp_path / "a.wav"
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(16_000)
        writer.writeframes(b"\0\1" * 5_600)  # 0.35 s
    clock = [100.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock[0] += seconds

    # The SDK's stream_audio paces it, on the blocking driver's clock.
    from soniox_sync import _backend

    monkeypatch.setattr(_backend, "clock", lambda: clock[0])
    monkeypatch.setattr(_backend.time, "sleep", sleep)
    chunks = list(paced_chunks(str(path), fast=fast))
    assert b"".join(chunks) == path.read_bytes()
    assert [len(c) for c in chunks[:-1]] == [3_200] * (len(chunks) - 1)
    # Each 0.1 s chunk goes out when the one before would have been spoken.
    assert sleeps == ([] if fast else [pytest.approx(0.1)] * (len(chunks) - 1))
