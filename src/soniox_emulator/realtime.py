"""The emulator's realtime speech-to-text WebSocket endpoint.

It speaks the service's protocol: the key on the handshake (Bearer header or
the ``soniox-api-key`` subprotocol) or, legacy, in the config; the config
checked with the service's own error messages; audio turned into a scripted
transcript whose words arrive first as non-final tokens, then as final ones;
``finalize`` (``<fin>``), keepalives, the idle timeout, and the end of audio
(the last tokens, ``finished``, close). Tests steer it through
``RealtimeControl``: the transcript, the idle timeout, and faults on demand.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn

import anyio

from soniox_core.realtime import (
    HEADER_AUDIO_FORMATS,
    RAW_AUDIO_FORMATS,
    TOKEN_TEXT_END,
    TOKEN_TEXT_FIN,
    wav_bytes_per_second,
)

from ._models import REALTIME_MODEL_IDS
from ._tts_decoder import ToneDecoder

__all__ = ["DEFAULT_TRANSCRIPT", "RealtimeControl", "RealtimeSessionRecord", "websocket_endpoint"]

DEFAULT_TRANSCRIPT = "Hello from the Soniox emulator. This is a realtime transcript."
_SUBPROTOCOL = "soniox-api-key"
_ASSUMED_BYTES_PER_SECOND = 32_000  # 16 kHz, 16-bit mono, when the format says nothing
_POLL_SEC = 0.05  # how often a waiting session looks at the control for new faults
_MAX_CONTEXT = 20_000

_MISSING_FORMAT = (
    "Missing audio format. Specify a valid audio format (e.g. s16le, f32le, wav, ogg, flac...) "
    'or "auto" for auto format detection.'
)


@dataclass
class RealtimeSessionRecord:
    """What one session did, as the emulator saw it."""

    auth_method: str | None = None
    config: dict[str, Any] | None = None
    audio_bytes: int = 0
    keepalives: int = 0
    finalizes: int = 0
    control_messages: list[dict[str, Any]] = field(default_factory=list)
    error_sent: tuple[int, str] | None = None
    finished: bool = False
    client_closed: bool = False
    dropped: bool = False
    audio_ms: int = 0
    transcript: str = ""


@dataclass
class _ErrorFault:
    code: int
    message: str
    after_audio_bytes: int


class RealtimeControl:
    """Settings, faults and observations of the emulator's realtime endpoint.

    Settings: ``transcript`` (the text every session transcribes; queue one
    for the next session with ``queue_transcript``), ``ms_per_word`` (audio
    needed per word), ``non_final_words`` (how many recent words stay
    provisional), ``idle_timeout_sec`` (the service closes a session that hears
    neither audio nor keepalive for this long; 20 s like the service).

    Faults: ``drop_after_audio_bytes`` (cut the TCP connection without a close
    frame once a session received that much audio), ``send_error(code,
    message)`` (the next session to reach ``after_audio_bytes`` gets that
    error message, then a close), ``stall`` (stop answering but keep the
    connection open).

    Observations (safe to read from the test's thread): ``sessions`` (one
    ``RealtimeSessionRecord`` each), and the totals ``keepalives_received``,
    ``finalize_count``, ``configs``, ``audio_bytes_received``.
    """

    def __init__(self, _generation: int = 0) -> None:
        self._lock = threading.Lock()
        # Sessions still winding down from before a reset() belong to an older
        # generation: they may not take the queued transcripts or faults of the next test.
        self._generation = _generation
        self.transcript = DEFAULT_TRANSCRIPT
        self.ms_per_word = 200
        self.non_final_words = 2
        self.idle_timeout_sec = 20.0
        self.drop_after_audio_bytes: int | None = None
        self.stall = False
        self.sessions: list[RealtimeSessionRecord] = []
        self._queued_transcripts: list[str] = []
        self._error_faults: list[_ErrorFault] = []

    # --- settings and faults ----------------------------------------------------------

    def queue_transcript(self, text: str) -> None:
        """Make the next session (only) transcribe ``text``."""
        with self._lock:
            self._queued_transcripts.append(text)

    def send_error(self, code: int, message: str, *, after_audio_bytes: int = 0) -> None:
        """Make a session send this error message (then close) once it has that much audio."""
        with self._lock:
            self._error_faults.append(_ErrorFault(code, message, after_audio_bytes))

    def reset(self) -> None:
        """Back to the defaults, with no faults and no observations."""
        self.__init__(self._generation + 1)  # type: ignore[misc]

    # --- observations -------------------------------------------------------------------

    @property
    def keepalives_received(self) -> int:
        """Keepalive messages received, over all sessions."""
        return sum(s.keepalives for s in self.sessions)

    @property
    def finalize_count(self) -> int:
        """Finalize messages received, over all sessions."""
        return sum(s.finalizes for s in self.sessions)

    @property
    def configs(self) -> list[dict[str, Any]]:
        """The config message of every session that sent a valid one."""
        return [s.config for s in self.sessions if s.config is not None]

    @property
    def audio_bytes_received(self) -> int:
        """Audio bytes received, over all sessions."""
        return sum(s.audio_bytes for s in self.sessions)

    # --- used by the endpoint -----------------------------------------------------------

    def _next_transcript(self, generation: int) -> str:
        with self._lock:
            if self._queued_transcripts and generation == self._generation:
                return self._queued_transcripts.pop(0)
            return self.transcript

    def _take_error(self, audio_bytes: int, generation: int) -> _ErrorFault | None:
        with self._lock:
            if generation != self._generation:
                return None
            for fault in self._error_faults:
                if audio_bytes >= fault.after_audio_bytes:
                    self._error_faults.remove(fault)
                    return fault
        return None


class _SessionEnd(Exception):
    """Unwinds the endpoint once the session is over (after an error or a drop)."""


class _Transcriber:
    """Turns audio progress into the scripted transcript's tokens."""

    def __init__(self, transcript: str, config: dict[str, Any], control: RealtimeControl) -> None:
        self.scripted_words: list[str] = re.findall(r"\s*\S+", transcript)
        self.ms_per_word = max(1, control.ms_per_word)
        self.non_final_words = max(0, control.non_final_words)
        self.diarize = bool(config.get("enable_speaker_diarization"))
        self.endpoints = bool(config.get("enable_endpoint_detection"))
        hints = config.get("language_hints") or ["en"]
        self.language = hints[0] if config.get("enable_language_identification") else None
        fmt = config.get("audio_format", "auto")
        width = RAW_AUDIO_FORMATS.get(fmt)
        self.byte_rate: int | None = None
        if width is not None:
            self.byte_rate = width * int(config["sample_rate"]) * int(config["num_channels"])
        self.header = b""
        # The emulator's own TTS audio is recognised; anything else gets the script.
        if width is not None:
            self.decoder = ToneDecoder(fmt, int(config["sample_rate"]), int(config["num_channels"]))
        else:
            self.decoder = ToneDecoder()
        self._spans: list[tuple[int, int]] = []
        self._spans_for = -1
        self._decoded_words: list[str] = []
        self.audio_bytes = 0
        self.final_upto = 0
        self.last_non_final: list[str] = []

    def add_audio(self, chunk: bytes) -> None:
        if self.byte_rate is None and len(self.header) < 64:
            self.header += chunk[: 64 - len(self.header)]
            if len(self.header) >= 44:
                self.byte_rate = wav_bytes_per_second(self.header) or _ASSUMED_BYTES_PER_SECOND
        self.audio_bytes += len(chunk)
        self.decoder.feed(chunk)

    @property
    def decoding(self) -> bool:
        """Whether the audio is the emulator's own TTS output (so it is read, not scripted)."""
        return self.decoder.found_preamble

    def _word_spans(self) -> list[tuple[int, int]]:
        chars = self.decoder.chars
        if self._spans_for != len(chars):
            text = "".join(c.char for c in chars)
            self._spans = [m.span() for m in re.finditer(r"\s*\S+", text)]
            self._decoded_words = [text[a:b] for a, b in self._spans]
            self._spans_for = len(chars)
        return self._spans

    @property
    def words(self) -> list[str]:
        if not self.decoding:
            return self.scripted_words
        self._word_spans()
        return self._decoded_words

    @property
    def audio_ms(self) -> int:
        rate = self.byte_rate or _ASSUMED_BYTES_PER_SECOND
        return self.audio_bytes * 1000 // rate

    @property
    def heard(self) -> int:
        if self.decoding:
            spans = self._word_spans()
            text_len = len(self.decoder.chars)
            # The last word may still be growing until a space or the utterance's end.
            if self.decoder.in_utterance and spans and spans[-1][1] == text_len:
                return len(spans) - 1
            return len(spans)
        return min(len(self.words), self.audio_ms // self.ms_per_word)

    def _word_ms(self, index: int) -> tuple[int, int]:
        if not self.decoding:
            return index * self.ms_per_word, (index + 1) * self.ms_per_word
        start, end = self._word_spans()[index]
        chars = self.decoder.chars
        first = start
        while first < end - 1 and chars[first].char.isspace():
            first += 1
        return chars[first].start_ms, chars[end - 1].end_ms

    def _proc_ms(self, upto: int) -> int:
        if upto == 0:
            return 0
        return self._word_ms(upto - 1)[1] if self.decoding else upto * self.ms_per_word

    def _token(self, index: int, final: bool) -> dict[str, Any]:
        start_ms, end_ms = self._word_ms(index)
        token: dict[str, Any] = {
            "text": self.words[index],
            "start_ms": start_ms,
            "end_ms": end_ms,
            "confidence": 0.95,
            "is_final": final,
        }
        if self.diarize:
            # A new speaker for every sentence, so that labels can be seen to change.
            sentence = sum(1 for w in self.words[:index] if w.rstrip()[-1:] in ".?!")
            token["speaker"] = str(1 + sentence % 2)
        if self.language:
            token["language"] = self.language
        return token

    def _message(self, upto: int, heard: int, marker: str | None = None) -> dict[str, Any]:
        tokens: list[dict[str, Any]] = []
        for i in range(self.final_upto, upto):
            tokens.append(self._token(i, True))
            if self.endpoints and self.words[i].rstrip()[-1:] in ".?!":
                tokens.append({"text": TOKEN_TEXT_END, "is_final": True})
        if marker:
            tokens.append({"text": marker, "is_final": True})
        tokens += [self._token(i, False) for i in range(upto, heard)]
        self.final_upto = upto
        return {
            "tokens": tokens,
            "final_audio_proc_ms": self._proc_ms(upto),
            "total_audio_proc_ms": max(self.audio_ms, self._proc_ms(upto)),
        }

    def progress(self) -> dict[str, Any] | None:
        """The result message for new audio, or None when nothing changed."""
        heard = self.heard
        upto = max(self.final_upto, heard - self.non_final_words)
        non_final = self.words[upto:heard]
        if upto == self.final_upto and non_final == self.last_non_final:
            return None
        self.last_non_final = non_final
        return self._message(upto, heard)

    def finalize(self) -> dict[str, Any]:
        heard = self.heard
        self.last_non_final = []
        return self._message(heard, heard, TOKEN_TEXT_FIN)

    def flush(self) -> dict[str, Any] | None:
        """At the end of audio every remaining word becomes final."""
        if self.final_upto == len(self.words) and not self.last_non_final:
            return None
        self.last_non_final = []
        return self._message(len(self.words), len(self.words))


class _Session:
    def __init__(
        self,
        websocket: Any,
        control: RealtimeControl,
        authenticate: Callable[[str | None], bool],
    ) -> None:
        self.ws = websocket
        self.control = control
        self.authenticate = authenticate
        self.record = RealtimeSessionRecord()
        self.generation = control._generation
        control.sessions.append(self.record)
        self.idle_deadline = 0.0

    async def send(self, payload: dict[str, Any]) -> None:
        try:
            await self.ws.send_text(json.dumps(payload))
        except Exception:  # the client went away; nothing left to tell it
            raise _SessionEnd from None

    async def fail(self, code: int, message: str) -> NoReturn:
        """The service's way to end a session: one error message, then close."""
        self.record.error_sent = (code, message)
        await self.send({"tokens": [], "error_code": code, "error_message": message})
        await self.close()
        raise _SessionEnd

    async def close(self, code: int = 1000) -> None:
        with contextlib.suppress(Exception):
            await self.ws.close(code=code)

    def touch(self) -> None:
        self.idle_deadline = anyio.current_time() + self.control.idle_timeout_sec

    async def receive(self) -> dict[str, Any]:
        """The next frame; enforces the idle timeout and fires faults meanwhile."""
        while True:
            await self.check_faults()
            if not self.control.stall and anyio.current_time() >= self.idle_deadline:
                if self.record.config is None:
                    await self.fail(408, "Start request timeout")
                await self.fail(408, "Request timeout.")
            with anyio.move_on_after(_POLL_SEC):
                message: dict[str, Any] = await self.ws.receive()
                if message["type"] == "websocket.disconnect":
                    self.record.client_closed = True
                    raise _SessionEnd
                if self.control.stall:
                    continue  # a stalled service reads but never answers
                return message

    async def check_faults(self) -> None:
        if self.record.config is None or self.control.stall:
            return
        fault = self.control._take_error(self.record.audio_bytes, self.generation)
        if fault is not None:
            await self.fail(fault.code, fault.message)

    async def run(self) -> None:
        key, method = _connection_key(self.ws)
        self.record.auth_method = method
        await self.ws.accept(subprotocol=_SUBPROTOCOL if method == "subprotocol" else None)
        if key is not None and not self.authenticate(key):
            await self.fail(401, "Invalid API key.")
        self.touch()
        config = await self.read_config(key)
        self.record.config = config
        self.touch()
        transcriber = _Transcriber(self.control._next_transcript(self.generation), config, self.control)
        await self.stream(transcriber)

    async def read_config(self, key: str | None) -> dict[str, Any]:
        message = await self.receive()
        text = message.get("text")
        if text is None:
            await self.fail(400, "Start request must be a text message.")
        try:
            config = json.loads(text)
        except ValueError:
            config = None
        if not isinstance(config, dict):
            await self.fail(400, "Start request is malformed.")
        legacy_key = config.pop("api_key", None)
        if key is not None and legacy_key is not None:
            await self.fail(400, "Start request is malformed.")
        if key is None:
            if not legacy_key:
                await self.fail(401, "Missing API key.")
            self.record.auth_method = "config"
            if not isinstance(legacy_key, str) or not self.authenticate(legacy_key):
                await self.fail(401, "Invalid API key.")
        problem = _config_problem(config)
        if problem is not None:
            await self.fail(400, problem)
        return config

    async def stream(self, transcriber: _Transcriber) -> None:
        while True:
            message = await self.receive()
            data = message.get("bytes")
            text = message.get("text")
            if data:  # audio
                self.touch()
                self.record.audio_bytes += len(data)
                transcriber.add_audio(data)
                drop_after = self.control.drop_after_audio_bytes
                if drop_after is not None and self.record.audio_bytes >= drop_after:
                    # Returning without a close frame makes the server cut the TCP
                    # connection: what a network failure looks like to the client.
                    self.record.dropped = True
                    raise _SessionEnd
                await self.check_faults()
                result = transcriber.progress()
                if result is not None:
                    await self.send(result)
            elif not data and not text:  # b"" or "": the end of audio
                await self.end_of_audio(transcriber)
                return
            else:
                await self.control_message(str(text), transcriber)

    async def control_message(self, text: str, transcriber: _Transcriber) -> None:
        try:
            request = json.loads(text)
        except ValueError:
            request = None
        if not isinstance(request, dict) or not isinstance(request.get("type"), str):
            await self.fail(400, "Control request is malformed.")
        self.record.control_messages.append(request)
        if request["type"] == "keepalive":
            self.record.keepalives += 1
            self.touch()
        elif request["type"] == "finalize":
            self.record.finalizes += 1
            await self.send(transcriber.finalize())
        else:
            await self.fail(400, "Control request invalid type.")

    async def end_of_audio(self, transcriber: _Transcriber) -> None:
        if transcriber.audio_bytes == 0:
            await self.fail(400, "No audio received.")
        last = transcriber.flush()
        if last is not None:
            await self.send(last)
        ms = transcriber.audio_ms
        self.record.audio_ms = ms
        self.record.transcript = "".join(transcriber.words)
        await self.send(
            {"tokens": [], "final_audio_proc_ms": ms, "total_audio_proc_ms": ms, "finished": True}
        )
        self.record.finished = True
        await self.close(1000)


def _connection_key(websocket: Any) -> tuple[str | None, str | None]:
    header = websocket.headers.get("authorization")
    if header and header[:7].lower() == "bearer ":
        return header[7:].strip(), "header"
    offered = list(websocket.scope.get("subprotocols") or [])
    if len(offered) >= 2 and offered[0] == _SUBPROTOCOL:
        return offered[1], "subprotocol"
    return None, None


def _config_problem(config: dict[str, Any]) -> str | None:
    """The service's message for the first thing wrong with a config, if any."""
    malformed = "Start request is malformed."
    model = config.get("model")
    if not isinstance(model, str) or model not in REALTIME_MODEL_IDS:
        return "Invalid model specified."
    fmt = config.get("audio_format")
    if fmt is None:
        return _MISSING_FORMAT
    if not isinstance(fmt, str):
        return malformed
    if fmt != "auto" and fmt not in HEADER_AUDIO_FORMATS and fmt not in RAW_AUDIO_FORMATS:
        return f"Invalid audio data format: {fmt}"
    for name in ("sample_rate", "num_channels"):
        value = config.get(name)
        if value is not None and (not isinstance(value, int) or value <= 0):
            return malformed
    if fmt in RAW_AUDIO_FORMATS:
        if config.get("num_channels") is None:
            return "Audio data channels must be specified for PCM formats"
        if config.get("sample_rate") is None:
            return "Audio data sample rate must be specified for PCM formats"
    hints = config.get("language_hints")
    if hints is not None:
        if not isinstance(hints, list) or not all(
            isinstance(h, str) and len(h) == 2 and h.isalpha() for h in hints
        ):
            return "Invalid language hint."
        if len(set(hints)) != len(hints):
            return "Language hints must be unique."
    ref = config.get("client_reference_id")
    if ref is not None and (not isinstance(ref, str) or len(ref) > 256):
        return "Client reference ID is too long (max length 256)"
    context = config.get("context")
    if context is not None and len(json.dumps(context)) > _MAX_CONTEXT:
        return "Context is too long (max length 20000)."
    translation = config.get("translation")
    if translation is not None:
        if not isinstance(translation, dict):
            return malformed
        kind = translation.get("type")
        needed = {"one_way": ("target_language",), "two_way": ("language_a", "language_b")}
        if kind not in needed:
            return malformed
        for name in needed[kind]:
            value = translation.get(name)
            if not isinstance(value, str) or len(value) != 2:
                return "Invalid translation target language."
    ranges = {
        "max_endpoint_delay_ms": (500, 3000),
        "endpoint_sensitivity": (-1.0, 1.0),
        "endpoint_latency_adjustment_level": (0, 3),
    }
    for name, (low, high) in ranges.items():
        value = config.get(name)
        if value is not None and (
            not isinstance(value, (int, float)) or isinstance(value, bool) or not low <= value <= high
        ):
            return malformed
    return None


async def websocket_endpoint(
    websocket: Any, control: RealtimeControl, authenticate: Callable[[str | None], bool]
) -> RealtimeSessionRecord:
    """Serve one realtime session on a Starlette ``WebSocket``; returns what it did."""
    session = _Session(websocket, control, authenticate)
    with contextlib.suppress(_SessionEnd):
        await session.run()
    return session.record
