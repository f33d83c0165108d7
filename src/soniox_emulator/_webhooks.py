"""Webhook delivery: one background thread per emulator POSTs completion notices.

Transcription status is computed lazily from the clock, so nothing "happens" when a
job finishes. This thread is the one place that must act at that moment: it keeps the
pending notices, wakes when one is due, and delivers it with a few retries.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from ._state import State

_POLL_SECONDS = 0.02  # how often pending notices are re-checked (the clock may be fake)


@dataclass(frozen=True)
class WebhookDelivery:
    """One delivery attempt, as recorded in ``emulator.webhook_deliveries``."""

    transcription_id: str
    url: str
    status: str
    attempt: int
    status_code: int | None
    error: str | None
    headers: dict[str, str]
    body: bytes

    @property
    def ok(self) -> bool:
        """Whether the receiver answered 2xx."""
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass
class _Pending:
    transcription_id: str
    due_clock: float
    not_before: float  # monotonic time, so retry backoff works with a fake clock too
    attempt: int
    generation: int


class WebhookDispatcher:
    """Delivers ``{"id", "status"}`` notices for finished webhook-bearing transcriptions."""

    def __init__(
        self, state: State, *, max_attempts: int = 3, backoff: float = 0.05, timeout: float = 2.0
    ) -> None:
        self.state = state
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.timeout = timeout
        self._cond = threading.Condition()
        self._pending: list[_Pending] = []
        self._deliveries: list[WebhookDelivery] = []
        self._generation = 0
        self._stopping = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the delivery thread (idempotent)."""
        with self._cond:
            if self._thread is not None:
                return
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name="soniox-emulator-webhooks", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the thread; undelivered notices are dropped."""
        with self._cond:
            self._stopping = True
            thread, self._thread = self._thread, None
            self._cond.notify_all()
        if thread is not None:
            thread.join(timeout=5)

    def clear(self) -> None:
        """Forget pending notices and recorded deliveries (in-flight results are dropped)."""
        with self._cond:
            self._generation += 1
            self._pending.clear()
            self._deliveries.clear()

    def schedule(self, transcription_id: str, due_clock: float) -> None:
        """Deliver a notice for this transcription once the clock reaches ``due_clock``."""
        with self._cond:
            self._pending.append(_Pending(transcription_id, due_clock, 0.0, 1, self._generation))
            self._cond.notify_all()

    @property
    def deliveries(self) -> list[WebhookDelivery]:
        """Every attempt so far, oldest first."""
        with self._cond:
            return list(self._deliveries)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[WebhookDelivery]:
        """Block until at least ``count`` attempts are recorded (or the timeout passes)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self._deliveries) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            return list(self._deliveries)

    def _next_ready(self) -> _Pending | None:
        now, mono = self.state.clock(), time.monotonic()
        for item in self._pending:
            if now >= item.due_clock and mono >= item.not_before:
                self._pending.remove(item)
                return item
        return None

    def _run(self) -> None:
        while True:
            with self._cond:
                item = None
                while not self._stopping:
                    item = self._next_ready()
                    if item is not None:
                        break
                    self._cond.wait(_POLL_SECONDS if self._pending else None)
                if self._stopping or item is None:
                    return
            self._deliver(item)

    def _deliver(self, item: _Pending) -> None:
        record = self.state.get_transcription(item.transcription_id)
        if record is None or record.webhook_url is None:
            return  # deleted before its notice went out
        status = record.status(self.state.clock())
        if status not in ("completed", "error"):
            with self._cond:  # the clock went backwards; try again later
                item.due_clock = record.finishes_at
                self._pending.append(item)
            return
        body = json.dumps({"id": record.id, "status": status}).encode()
        headers = {"Content-Type": "application/json", "User-Agent": "soniox-emulator-webhook"}
        if record.webhook_auth_header_name and record.webhook_auth_header_value is not None:
            headers[record.webhook_auth_header_name] = record.webhook_auth_header_value
        status_code, error = self._post(record.webhook_url, headers, body)
        attempt = WebhookDelivery(
            record.id, record.webhook_url, status, item.attempt, status_code, error, headers, body
        )
        with self._cond:
            if item.generation != self._generation:
                return  # the emulator was reset while this attempt was in flight
            self._deliveries.append(attempt)
            if status_code is not None:
                self.state.set_webhook_status(record.id, status_code)
            if not attempt.ok and item.attempt < self.max_attempts:
                item.attempt += 1
                item.not_before = time.monotonic() + self.backoff * 2 ** (item.attempt - 2)
                self._pending.append(item)
            self._cond.notify_all()

    def _post(self, url: str, headers: dict[str, str], body: bytes) -> tuple[int | None, str | None]:
        parts = urlsplit(url)
        connection_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection = connection_class(parts.netloc, timeout=self.timeout)
            try:
                connection.request("POST", target, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                return response.status, None
            finally:
                connection.close()
        except (OSError, http.client.HTTPException) as exc:
            return None, f"{type(exc).__name__}: {exc}"
