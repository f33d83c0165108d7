"""The emulator's realtime text-to-speech WebSocket (``/tts-websocket``).

Protocol (the service's): the key on the handshake (``Authorization: Bearer`` or the
``soniox-api-key`` subprotocol; legacy: ``api_key`` in a config); JSON text frames
only. A config message (with ``stream_id``) opens a stream, up to five per
connection; ``{"text", "text_end", "stream_id"}`` feeds it; audio comes back as
base64 in ``{"stream_id", "audio", "audio_end"}`` frames (``timestamps`` too when
the config asked for them), the last with ``audio_end: true``, then
``{"terminated": true, "stream_id"}``. ``{"stream_id", "cancel": true}`` stops a
stream (``terminated`` follows, no ``audio_end``); ``{"keep_alive": true}`` keeps an
idle connection open. Stream errors are ``{"stream_id", "error_code",
"error_message"}`` followed by ``terminated``, and the connection stays open;
connection errors have no ``stream_id`` and close the connection.

Tests steer it through :class:`TtsRealtimeControl` (``emulator.tts_realtime``).
"""

from __future__ import annotations

import base64
import contextlib
import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, NoReturn

import anyio

from ._pcm import bytes_per_sample
from ._state import MASKED_SECRET
from ._tts_common import SESSION_EXPIRED, TtsError, TtsSettings, authenticate_tts, check_settings
from ._tts_engine import Synthesizer
from ._tts_ws_control import TtsConnectionRecord, TtsRealtimeControl, TtsStreamRecord
from ._usage import ConcurrencyLimitExceeded, tts_entry

if TYPE_CHECKING:
    from ._emulator import Emulator

__all__ = ["tts_websocket_endpoint"]

_SUBPROTOCOL = "soniox-api-key"
_POLL_SEC = 0.02
MAX_STREAMS_PER_CONNECTION = 5
_MAX_TEXT = 5000
_MAX_STREAM_ID = 256


class _End(Exception):
    """Unwinds the connection handler."""


class _Stream:
    def __init__(self, record: TtsStreamRecord, settings: TtsSettings, opened: float) -> None:
        self.record = record
        self.settings = settings
        self.opened = opened
        self.started_at = datetime.now(timezone.utc)
        self.synth = Synthesizer(settings.audio_format, settings.sample_rate, settings.speed)
        self.pending = bytearray(self.synth.start())
        self.header_bytes = len(self.pending) - self.synth.written * self._width
        self.sent_bytes = 0
        self.timings_sent = 0
        self.next_send = 0.0
        self.finished = False  # all audio generated (text_end seen)

    @property
    def _width(self) -> int:
        return bytes_per_sample(self.settings.audio_format)

    def add_text(self, text: str) -> None:
        self.record.text += text
        self.pending += self.synth.feed(text)

    def end_text(self) -> None:
        self.pending += self.synth.finish()
        self.finished = True

    def timestamps_upto(self, offset: int, final: bool) -> dict[str, list[Any]] | None:
        """Timings of characters whose audio ends at or before byte ``offset``."""
        timings = self.synth.timings
        upto = self.timings_sent
        rate = self.settings.sample_rate
        while upto < len(timings) and (
            final or self.header_bytes + round(timings[upto].end * rate) * self._width <= offset
        ):
            upto += 1
        chosen = timings[self.timings_sent : upto]
        self.timings_sent = upto
        if not chosen:
            return None
        return {
            "characters": [t.char for t in chosen],
            "character_start_times_seconds": [t.start for t in chosen],
            "character_end_times_seconds": [t.end for t in chosen],
        }


class _Connection:
    def __init__(self, websocket: Any, emulator: Emulator) -> None:
        self.ws = websocket
        self.emulator = emulator
        self.control: TtsRealtimeControl = emulator.tts_realtime
        self.generation = self.control._generation
        self.record = TtsConnectionRecord()
        self.control.connections.append(self.record)
        self.streams: dict[str, _Stream] = {}
        self.idle_deadline = 0.0
        self.audio_messages = 0
        self.key_on_handshake: str | None = None
        self.authenticated = False
        self.session_deadline: float | None = None  # a temporary key's session cap
        self.bound_reference: str | None = None  # a temporary key's client_reference_id

    # --- sending -------------------------------------------------------------------------

    async def send(self, payload: dict[str, Any]) -> None:
        try:
            await self.ws.send_text(json.dumps(payload))
        except Exception:
            raise _End from None

    async def fail_connection(self, code: int, message: str) -> NoReturn:
        self.record.error_sent = (code, message)
        await self.send({"error_code": code, "error_message": message})
        with contextlib.suppress(Exception):
            await self.ws.close(code=1000)
        raise _End

    async def terminate(self, stream_id: str, error: tuple[int, str] | None = None) -> None:
        stream = self.streams.pop(stream_id, None)
        if error is not None:
            await self.send({"stream_id": stream_id, "error_code": error[0], "error_message": error[1]})
        if stream is not None:
            stream.record.error_sent = error
            stream.record.terminated = True
            self.emulator.usage.close_stream("tts")
        await self.send({"terminated": True, "stream_id": stream_id})

    # --- main loop -----------------------------------------------------------------------

    def touch(self) -> None:
        self.idle_deadline = anyio.current_time() + self.control.idle_timeout_sec

    async def run(self) -> None:
        key, method = _handshake_key(self.ws)
        self.record.auth_method = method
        await self.ws.accept(subprotocol=_SUBPROTOCOL if method == "subprotocol" else None)
        if key is not None:
            await self.authenticate(key)
        self.key_on_handshake = key
        self.touch()
        try:
            while True:
                await self.step()
        finally:
            for stream_id in list(self.streams):
                self.streams.pop(stream_id)
                self.emulator.usage.close_stream("tts")

    async def authenticate(self, key: str) -> None:
        try:
            temporary = authenticate_tts(self.emulator, key)
        except TtsError as error:
            await self.fail_connection(error.code, error.message)
        self.authenticated = True
        if temporary is not None:
            self.bound_reference = temporary.client_reference_id
            if temporary.max_session_duration_seconds is not None:
                self.session_deadline = anyio.current_time() + temporary.max_session_duration_seconds

    async def step(self) -> None:
        now = anyio.current_time()
        if self.session_deadline is not None and now >= self.session_deadline:
            await self.fail_connection(403, SESSION_EXPIRED)
        if self.control.stall:
            await self.receive_one(_POLL_SEC)
            return
        if now >= self.idle_deadline and not any(s.pending for s in self.streams.values()):
            await self.fail_connection(408, "Request timeout.")
        for stream in list(self.streams.values()):
            if now - stream.opened > self.control.max_stream_sec:
                limit = self.control.max_stream_sec
                await self.terminate(
                    stream.record.stream_id, (400, f"Stream duration limit exceeded (max {limit:g} seconds).")
                )
        size = max(1, self.control.chunk_bytes)
        ready = [s for s in self.streams.values() if s.finished or len(s.pending) >= size]
        due = [s for s in ready if s.next_send <= now]
        waiting = [s.next_send for s in ready]
        timeout = 0.001 if due else (max(0.001, min(waiting) - now) if waiting else _POLL_SEC)
        await self.receive_one(min(timeout, _POLL_SEC))
        for stream in due:
            if stream.record.stream_id in self.streams:
                await self.pump(stream)

    async def receive_one(self, timeout: float) -> None:
        message: dict[str, Any] | None = None
        with anyio.move_on_after(timeout):
            message = await self.ws.receive()
        if message is None:
            return
        if message["type"] == "websocket.disconnect":
            self.record.client_closed = True
            raise _End
        if self.control.stall:
            return
        self.touch()
        text = message.get("text")
        if text is None:
            await self.fail_connection(400, "Binary messages are not supported; send JSON text messages.")
        try:
            request = json.loads(text)
        except ValueError:
            request = None
        if not isinstance(request, dict):
            await self.fail_connection(400, "Invalid message: expected a JSON object.")
        logged = dict(request)
        if "api_key" in logged:
            logged["api_key"] = MASKED_SECRET
        self.record.messages.append(logged)
        await self.handle(request)

    # --- requests ------------------------------------------------------------------------

    async def handle(self, request: dict[str, Any]) -> None:
        if request.get("keep_alive") is True and "stream_id" not in request:
            self.record.keepalives += 1
            return
        stream_id = request.get("stream_id")
        if not isinstance(stream_id, str) or not stream_id:
            await self.fail_connection(400, "Missing required field: stream_id")
        if len(stream_id) > _MAX_STREAM_ID:
            await self.fail_connection(400, f"Stream ID is too long (max length {_MAX_STREAM_ID}).")
        if "cancel" in request:
            stream = self.streams.get(stream_id)
            if stream is not None:
                stream.record.cancelled = True
                await self.terminate(stream_id)
            return
        if "text" in request or "text_end" in request:
            await self.text(stream_id, request)
            return
        await self.open(stream_id, request)

    async def open(self, stream_id: str, config: dict[str, Any]) -> None:
        legacy_key = config.pop("api_key", None)
        if not self.authenticated:
            if self.key_on_handshake is None and not legacy_key:
                await self.fail_connection(
                    401,
                    "Missing API key. Provide it as an Authorization header "
                    "(e.g. 'Authorization: Bearer <SONIOX_API_KEY>'). You can get an API key at "
                    "https://console.soniox.com.",
                )
            await self.authenticate(str(legacy_key))
            self.record.auth_method = "config"
        elif legacy_key is not None and self.record.auth_method != "config":
            await self.fail_connection(
                400, "Send the API key either on the connection or in the config, not both."
            )
        record = TtsStreamRecord(stream_id, dict(config))
        self.record.streams.append(record)
        if stream_id in self.streams:
            record.error_sent = (400, f"Stream '{stream_id}' is already active.")
            await self.send(
                {"stream_id": stream_id, "error_code": 400, "error_message": record.error_sent[1]}
            )
            return
        try:
            if len(self.streams) >= MAX_STREAMS_PER_CONNECTION:
                raise TtsError(
                    400,
                    "invalid_request",
                    f"Too many concurrent streams on this connection (max {MAX_STREAMS_PER_CONNECTION}).",
                )
            settings = check_settings(self.emulator, config, streaming=True)
            self.emulator.usage.open_stream("tts")
        except TtsError as error:
            record.error_sent = (error.code, error.message)
            await self.send(
                {"stream_id": stream_id, "error_code": error.code, "error_message": error.message}
            )
            await self.send({"terminated": True, "stream_id": stream_id})
            record.terminated = True
            return
        except ConcurrencyLimitExceeded as exc:
            message = f"Concurrent requests limit for text-to-speech has been exceeded for your {exc.tier}."
            record.error_sent = (429, message)
            await self.send({"stream_id": stream_id, "error_code": 429, "error_message": message})
            await self.send({"terminated": True, "stream_id": stream_id})
            record.terminated = True
            return
        self.streams[stream_id] = _Stream(record, settings, anyio.current_time())

    async def text(self, stream_id: str, request: dict[str, Any]) -> None:
        stream = self.streams.get(stream_id)
        if stream is None:
            await self.send(
                {
                    "stream_id": stream_id,
                    "error_code": 400,
                    "error_message": f"Unknown stream_id '{stream_id}'.",
                }
            )
            await self.send({"terminated": True, "stream_id": stream_id})
            return
        text = request.get("text", "")
        text_end = request.get("text_end", False)
        if not isinstance(text, str) or not isinstance(text_end, bool):
            await self.terminate(stream_id, (400, "Invalid text message."))
            return
        if len(text) > _MAX_TEXT:
            await self.terminate(stream_id, (400, f"Text is too long (max length {_MAX_TEXT})."))
            return
        if stream.record.text_ended:
            await self.terminate(stream_id, (400, "Text received after text_end."))
            return
        stream.add_text(text)
        if text_end:
            stream.record.text_ended = True
            stream.end_text()

    async def pump(self, stream: _Stream) -> None:
        """Send one audio message of ``stream`` if it has a full chunk (or its last one)."""
        size = max(1, self.control.chunk_bytes)
        if len(stream.pending) < size and not stream.finished:
            return
        chunk = bytes(stream.pending[:size])
        del stream.pending[:size]
        last = stream.finished and not stream.pending
        stream.sent_bytes += len(chunk)
        payload: dict[str, Any] = {
            "stream_id": stream.record.stream_id,
            "audio": base64.b64encode(chunk).decode("ascii"),
            "audio_end": last,
        }
        if stream.settings.return_timestamps:
            stamps = stream.timestamps_upto(stream.sent_bytes, last)
            if stamps is not None:
                payload["timestamps"] = stamps
        fault = self.control._take_error(stream.record.audio_messages, self.generation)
        if fault is not None:
            if fault.connection_level:
                await self.fail_connection(fault.code, fault.message)
            await self.terminate(stream.record.stream_id, (fault.code, fault.message))
            return
        await self.send(payload)
        stream.record.audio_messages += 1
        stream.record.audio_bytes += len(chunk)
        self.audio_messages += 1
        stream.next_send = anyio.current_time() + self.control.audio_interval_sec
        drop = self.control.drop_after_audio_messages
        if drop is not None and self.audio_messages >= drop:
            self.record.dropped = True
            raise _End  # no close frame: the client sees the TCP connection cut
        if last:
            self.record_usage(stream)
            await self.terminate(stream.record.stream_id)

    def record_usage(self, stream: _Stream) -> None:
        settings = stream.settings
        audio_ms = round(stream.synth.duration_sec * 1000)
        self.emulator.usage.add(
            tts_entry(
                settings.model,
                stream.record.text,
                audio_ms,
                stream.started_at,
                datetime.now(timezone.utc),
                self.emulator._state.clock(),
                self.bound_reference or settings.client_reference_id,
            )
        )


def _handshake_key(websocket: Any) -> tuple[str | None, str | None]:
    header = websocket.headers.get("authorization")
    if header and header[:7].lower() == "bearer ":
        return header[7:].strip(), "header"
    offered = list(websocket.scope.get("subprotocols") or [])
    if len(offered) >= 2 and offered[0] == _SUBPROTOCOL:
        return offered[1], "subprotocol"
    return None, None


async def tts_websocket_endpoint(websocket: Any, emulator: Emulator) -> None:
    """Serve one TTS WebSocket connection on a Starlette ``WebSocket``."""
    connection = _Connection(websocket, emulator)
    with contextlib.suppress(_End):
        await connection.run()
