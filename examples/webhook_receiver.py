"""A webhook receiver on the standard library: verify, parse, fetch the transcript.

    SONIOX_API_KEY=... SONIOX_API_WEBHOOK_SECRET=... python examples/webhook_receiver.py [AUDIO]

It listens on 127.0.0.1, so against the real service put it behind a public URL
(PUBLIC_URL=https://...); against the emulator it runs as is.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from soniox_core import InvalidWebhookPayloadError, InvalidWebhookSignatureError, WebhookEvent
from soniox_sync import SonioxClient


def make_handler(client: SonioxClient, events: queue.Queue[WebhookEvent]) -> type[BaseHTTPRequestHandler]:
    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            try:
                event = client.webhooks.unwrap(body, dict(self.headers))
            except InvalidWebhookSignatureError:
                self.send_response(401)  # not from Soniox: ignore it
            except InvalidWebhookPayloadError:
                self.send_response(400)
            else:
                events.put(event)
                self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:  # keep the example's output short
            pass

    return Receiver


def main(path: str) -> None:
    events: queue.Queue[WebhookEvent] = queue.Queue()
    secret = os.environ.get("SONIOX_API_WEBHOOK_SECRET") or "example-secret-change-me"
    with SonioxClient(webhook_secret=secret) as client:
        server = HTTPServer(("127.0.0.1", 0), make_handler(client, events))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = os.environ.get("PUBLIC_URL") or f"http://127.0.0.1:{server.server_port}/soniox"
        try:
            job = client.stt.transcribe_file_with_webhook(file=path, webhook_url=url)
            print(f"transcription {job.id} started; waiting for the webhook")
            event = events.get(timeout=600)
            print(f"webhook: {event.id} {event.status}")
            if event.status == "completed":
                print(client.stt.get_transcript(event.id).text)
            client.stt.destroy(event.id)
        finally:
            server.shutdown()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "samples/hello.wav")
