"""Cloned voices: the store and the per-model readiness lifecycle (``emulator.voices``).

Each voice is prepared per TTS model that supports cloning. A model's status is
derived from the clock like a transcription's: ``processing`` for
``processing_sec`` after preparation starts, then ``ready``, or ``failed`` with
``voice_audio_too_long`` when the clip is longer than the model's
``voice_cloning_max_audio_duration_ms``. A model the voice was never prepared for
is ``not_computed`` until ``POST /v1/voices/{id}/recompute``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._state import new_id, utc_now_iso
from ._tts_catalog import TTS_MODELS_BY_ID, cloning_models


@dataclass
class _Preparation:
    started: float
    processing_sec: float
    too_long: bool


@dataclass
class VoiceRecord:
    """A cloned voice."""

    id: str
    seq: int
    name: str
    filename: str
    created_at: str
    duration_ms: int
    preparations: dict[str, _Preparation] = field(default_factory=dict)

    def status(self, model: dict[str, Any], now: float) -> tuple[str, str | None, str | None]:
        """(status, error_type, error_message) for one model at clock time ``now``."""
        prep = self.preparations.get(model["id"])
        if prep is None:
            return "not_computed", None, None
        if now - prep.started < prep.processing_sec:
            return "processing", None, None
        if prep.too_long:
            limit = model["voice_cloning_max_audio_duration_ms"]
            return (
                "failed",
                "voice_audio_too_long",
                f"The reference audio is {self.duration_ms / 1000:.1f} s long; "
                f"model '{model['id']}' accepts at most {limit / 1000:.0f} s.",
            )
        return "ready", None, None

    def to_json(self, now: float) -> dict[str, Any]:
        """The Voice schema."""
        models = []
        for model in cloning_models():
            status, error_type, error_message = self.status(model, now)
            models.append(
                {
                    "model": model["id"],
                    "status": status,
                    "error_type": error_type,
                    "error_message": error_message,
                }
            )
        return {
            "id": self.id,
            "name": self.name,
            "filename": self.filename,
            "created_at": self.created_at,
            "models": models,
        }


class Voices:
    """The voice store (``emulator.voices``). Thread-safe.

    Settings: ``processing_sec`` (how long preparing a voice for a model takes, by the
    emulator's clock), ``prepare_on_create`` (``False`` leaves new voices
    ``not_computed`` for every model until recompute).
    """

    def __init__(self, clock: Callable[[], float], next_seq: Callable[[], int]) -> None:
        self.clock = clock
        self._next_seq = next_seq
        self.lock = threading.Lock()
        self.records: dict[str, VoiceRecord] = {}
        self.processing_sec = 0.1
        self.prepare_on_create = True

    def clear(self) -> None:
        """Forget every voice; settings back to their defaults."""
        with self.lock:
            self.records.clear()
        self.processing_sec = 0.1
        self.prepare_on_create = True

    def _prepare(self, record: VoiceRecord, model: dict[str, Any]) -> None:
        limit = model["voice_cloning_max_audio_duration_ms"] or 0
        record.preparations[model["id"]] = _Preparation(
            self.clock(), self.processing_sec, record.duration_ms > limit
        )

    def create(self, name: str, filename: str, duration_ms: int) -> VoiceRecord | None:
        """A new voice, or None when the name is taken."""
        with self.lock:
            if any(r.name == name for r in self.records.values()):
                return None
            record = VoiceRecord(new_id(), self._next_seq(), name, filename, utc_now_iso(), duration_ms)
            if self.prepare_on_create:
                for model in cloning_models():
                    self._prepare(record, model)
            self.records[record.id] = record
            return record

    def get(self, voice_id: str) -> VoiceRecord | None:
        """The voice, or None."""
        with self.lock:
            return self.records.get(voice_id)

    def ready_for(self, voice_id: str, model_id: str) -> bool:
        """Whether TTS may use this voice id with this model."""
        record = self.get(voice_id)
        model = TTS_MODELS_BY_ID.get(model_id)
        if record is None or model is None or not model["supports_voice_cloning"]:
            return False
        return record.status(model, self.clock())[0] == "ready"

    def recompute(self, record: VoiceRecord, model_id: str | None) -> None:
        """Start preparing for one model, or for every model that is not ready."""
        now = self.clock()
        with self.lock:
            for model in cloning_models():
                if model_id is not None and model["id"] != model_id:
                    continue
                status = record.status(model, now)[0]
                if status in ("not_computed", "failed"):
                    self._prepare(record, model)
