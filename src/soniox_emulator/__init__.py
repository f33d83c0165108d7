"""A local emulator of the Soniox speech-to-text service, for tests and offline use.

Quick start::

    from soniox_emulator import Emulator

    with Emulator(api_key="test-key") as emu:
        emu.set_transcript("Hello world", filename="hello.wav")
        emu.faults.inject("status", method="POST", path="/v1/files", status=503)
        ...  # point a client at emu.base_url / emu.websocket_url
        ...  # TTS: emu.tts_api_base_url (POST /tts) / emu.tts_websocket_base_url

``import soniox_emulator`` is cheap: uvicorn and Starlette load only in ``start()``.
Pytest users can enable ``soniox_emulator.pytest_plugin`` for the ``emulator_server``
(session) and ``emulator`` (reset per test) fixtures.

Behaviour choices where the OpenAPI document leaves room:

- ``POST /v1/transcriptions`` with an unknown ``file_id`` is a 400 ``invalid_request``
  (``validation_errors`` location ``body.payload.file_id``): the document lists no 404
  for that operation.
- ``DELETE /v1/transcriptions/{id}`` leaves the transcription's uploaded file alone,
  as the document says ("Files uploaded through the Files API are not deleted"); set
  ``emulator.delete_files_with_transcription = True`` to imitate the older service,
  which deleted it too.
- Malformed resource ids in paths are 404 ``file_not_found`` / ``transcription_not_found``.
- Lists are newest first; cursors are opaque and tied to the listing they came from.
- Audio URLs are never fetched. Hosts under the reserved ``.invalid`` domain end in
  ``error`` (``audio_download_error``); other URLs "contain" five seconds of audio.
- Transcript text and failures set by tests apply to transcriptions created afterwards.
- Status is computed from the (injectable) clock; one background thread delivers
  webhooks, retrying non-2xx answers ``emulator.webhooks.max_attempts`` times.
- Connection resets and truncated bodies are done on the TCP transport: see
  ``soniox_emulator._transport``.

Text to speech and beyond:

- ``POST /tts`` and the ``/tts-websocket`` speak with a deterministic tone "voice"
  (``_tts_engine``) in ``wav``, ``pcm_s16le``, ``pcm_f32le``, ``pcm_mulaw`` and
  ``pcm_alaw`` at 8, 16, 24 (default), 44.1 and 48 kHz; ``mp3``, ``aac``, ``opus`` and
  ``flac`` are a 400 ``invalid_request``. The emulator's speech-to-text (files and
  realtime) recognises that audio, so TTS -> STT round trips return the text offline;
  other audio keeps the scripted transcripts. A transcript set with ``set_transcript``
  wins over recognition.
- ``emulator.tts_realtime`` steers the TTS WebSocket (faults, limits, observations);
  ``emulator.voices`` the cloned voices (``processing_sec``, ``prepare_on_create``);
  ``emulator.usage`` the usage logs and concurrency (``usage.limits[tier][kind]``).
- WAV from ``POST /tts`` is sent as ``application/octet-stream``, a type the document
  lists (the docs say ``audio/wav``); raw PCM as ``audio/pcm``.
- A voice's 404 and 409 use ``invalid_request`` (the document names no voice error types).
"""

from __future__ import annotations

from ._emulator import Emulator
from ._faults import Fault, Faults
from ._state import RecordedRequest, TemporaryKey
from ._tts_decoder import recognise
from ._tts_engine import synthesize
from ._tts_ws_control import TtsConnectionRecord, TtsRealtimeControl, TtsStreamRecord
from ._webhooks import WebhookDelivery

__all__ = [
    "Emulator",
    "Fault",
    "Faults",
    "RecordedRequest",
    "TemporaryKey",
    "TtsConnectionRecord",
    "TtsRealtimeControl",
    "TtsStreamRecord",
    "WebhookDelivery",
    "recognise",
    "synthesize",
]
