"""Testing your own code against the emulator with pytest (pip install 'soniox-sansio[emulator]').

    python -m pytest examples/test_with_emulator.py

The `emulator` fixture comes from the plugin enabled below: a real local server,
reset before each test, that accepts the key "test-key".
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from soniox_core import SonioxServerError
from soniox_emulator import Emulator
from soniox_sync import SonioxClient

pytest_plugins = ["soniox_emulator.pytest_plugin"]


def summarise(client: SonioxClient, path: str) -> str:
    """The code under test: transcribe a file and return its first sentence."""
    transcript = client.stt.transcribe_and_wait_with_tokens(file=path, delete_after=True)
    return transcript.text.split(".")[0] + "."


@pytest.fixture
def client(emulator: Emulator) -> Iterator[SonioxClient]:
    with SonioxClient(
        api_key="test-key", api_base_url=emulator.base_url, websocket_base_url=emulator.websocket_url
    ) as sdk:
        yield sdk


def test_summary_is_the_first_sentence(emulator: Emulator, client: SonioxClient) -> None:
    emulator.set_transcript("First sentence. Second one.", filename="talk.wav")
    assert summarise(client, _audio("talk.wav")) == "First sentence."
    # delete_after=True left nothing behind.
    assert client.files.list().files == [] and client.stt.list().transcriptions == []


def test_failed_polls_are_retried(emulator: Emulator, client: SonioxClient) -> None:
    emulator.faults.inject("status", method="GET", path="/v1/transcriptions", status=500, times=2)
    assert summarise(client, _audio("talk.wav")).endswith(".")


def test_a_failed_create_is_not_retried_and_leaves_no_upload(
    emulator: Emulator, client: SonioxClient
) -> None:
    # A POST that reached the server is never repeated (no duplicate transcriptions).
    emulator.faults.inject("status", method="POST", path="/v1/transcriptions", status=503, times=1)
    with pytest.raises(SonioxServerError):
        summarise(client, _audio("talk.wav"))
    assert emulator.request_count("POST", "/v1/transcriptions") == 1
    assert client.files.list().files == []  # the upload was deleted again


def test_an_outage_reaches_the_caller(emulator: Emulator, client: SonioxClient) -> None:
    emulator.faults.inject("status", method="GET", path="/v1/models", status=503, times=None)
    with pytest.raises(SonioxServerError):
        client.models.list()


_AUDIO_DIR: list[str] = []


def _audio(name: str) -> str:
    """A small WAV file named ``name`` (the emulator never listens to it)."""
    import tempfile
    import wave

    if not _AUDIO_DIR:
        _AUDIO_DIR.append(tempfile.mkdtemp())
    path = f"{_AUDIO_DIR[0]}/{name}"
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\0\0" * 1600)
    return path
