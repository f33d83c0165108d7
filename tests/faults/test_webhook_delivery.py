"""A real webhook delivery from the emulator to a receiver on loopback, verified by the SDK."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from soniox_core import InvalidWebhookSignatureError
from soniox_emulator import Emulator
from soniox_sync import SonioxClient

Received = list[tuple[list[tuple[str, str]], bytes]]


@pytest.fixture
def receiver() -> Iterator[tuple[str, Received]]:
    received: Received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received.append((list(self.headers.items()), body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", received
    server.shutdown()
    server.server_close()


def test_delivered_webhook_verifies_and_unwraps(
    emulator: Emulator, receiver: tuple[str, Received]
) -> None:
    url, received = receiver
    emulator.queued_sec = emulator.processing_sec = 0.0
    with SonioxClient(
        api_key=emulator.api_key, api_base_url=emulator.base_url, webhook_secret="s3cret"
    ) as client:
        created = client.stt.transcribe_file_with_webhook(file=b"RIFF" + b"\0" * 64, webhook_url=url)
        emulator.wait_for_webhooks(1)
        headers, body = received[0]
        event = client.webhooks.unwrap(body, headers)
        assert (event.id, event.status) == (created.id, "completed")
        # A receiver with another secret rejects the same request.
        with SonioxClient(
            api_key=emulator.api_key, api_base_url=emulator.base_url, webhook_secret="other"
        ) as other, pytest.raises(InvalidWebhookSignatureError):
            other.webhooks.unwrap(body, headers)
