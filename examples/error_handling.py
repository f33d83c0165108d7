"""Handling the SDK's errors: bad input, API errors, network failures, waiting too long.

SONIOX_API_KEY=... python examples/error_handling.py
"""

from __future__ import annotations

from soniox_core import (
    SonioxAPIError,
    SonioxNotFoundError,
    SonioxRateLimitError,
    SonioxTransportError,
    SonioxValidationError,
    SonioxWaitTimeoutError,
)
from soniox_sync import SonioxClient


def main() -> None:
    with SonioxClient(max_retries=3) as client:
        # Bad input is refused before any request, naming the argument.
        try:
            client.stt.transcribe(file="samples/hello.wav", audio_url="https://example.com/a.mp3")
        except SonioxValidationError as exc:
            print(f"refused before sending: {exc.field}: {exc.message}")

        # API errors carry the status, the error type and the request id for support.
        try:
            client.files.get("does-not-exist")
        except SonioxNotFoundError as exc:
            print(f"not found: HTTP {exc.status_code} {exc.error_type} request_id={exc.request_id}")

        # Waiting has its own deadline; the timeout names the job, which goes on.
        job = client.stt.transcribe(file="samples/hello.wav")
        try:
            done = client.stt.wait(job.id, timeout_sec=0)
        except SonioxWaitTimeoutError as exc:
            print(f"still running after {exc.timeout_sec} s; waiting again for {exc.transcription_id}")
            done = client.stt.wait(exc.transcription_id, timeout_sec=120)
        if done.status == "error":  # a failed transcription is a status, not an exception
            print(f"transcription failed: {done.error_type}: {done.error_message}")
        client.stt.destroy(done.id)

    # Network failures are typed too; nothing from the HTTP library escapes.
    with SonioxClient(api_base_url="http://127.0.0.1:9/v1", max_retries=0) as offline:
        try:
            offline.models.list()
        except SonioxTransportError as exc:
            print(f"network: {type(exc).__name__} (request sent: {exc.request_sent})")
        except SonioxRateLimitError as exc:  # after the retries, with the server's advice
            print(f"rate limited; retry after {exc.retry_after} s")
        except SonioxAPIError as exc:
            print(f"API error {exc.status_code}: {exc.message}")


if __name__ == "__main__":
    main()
