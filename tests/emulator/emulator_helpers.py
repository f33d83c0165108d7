"""Helpers for the emulator tests: a stdlib HTTP client that checks every JSON reply
against the OpenAPI document (the conformance net), and a loopback webhook receiver."""

from __future__ import annotations

import http.client
import json
import re
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from soniox_emulator import Emulator

SPEC_URI = "urn:soniox:api-facts"
MORE_INFO = "https://soniox.com/docs/api-reference/errors#"


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


class Conformance:
    """Validates responses against what the API's facts (``tests/data/api_facts.json``)
    document for (method, path, status), and remembers what it checked.

    Generic over the operations: JSON bodies are validated against the documented schema,
    other documented media types (TTS audio) are accepted by content type, and an error
    status the operation does not document must still use the operation's error schema
    (``ApiError`` under ``/v1``, ``TTSApiError`` for ``POST /tts``)."""

    def __init__(self, facts: dict[str, Any]) -> None:
        self.facts = facts
        resource = Resource.from_contents(facts, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        self.formats = FormatChecker(["uuid"])
        self.formats.checks("date-time")(_is_datetime)
        # Derived by scripts/make_api_facts.py from the document's examples, its
        # "Error types:" lists and its errors#x links.
        self.error_types = frozenset(facts["error_types"])
        self.routes = [(re.compile("^" + re.sub(r"\{\w+\}", "[^/]+", p) + "$"), p) for p in facts["paths"]]
        self.checked: list[tuple[str, str, int]] = []

    def validate_ref(self, instance: Any, pointer: str) -> None:
        """Validate ``instance`` against ``#/...`` inside the facts."""
        schema = {"$ref": f"{SPEC_URI}{pointer}"}
        Draft202012Validator(schema, registry=self.registry, format_checker=self.formats).validate(instance)

    def validate_schema(self, instance: Any, schema: dict[str, Any]) -> None:
        """Validate ``instance`` against an inline schema of the facts (refs resolve)."""
        resolved = {"$ref": schema["$ref"].replace("#", SPEC_URI + "#", 1)} if "$ref" in schema else schema
        Draft202012Validator(resolved, registry=self.registry, format_checker=self.formats).validate(instance)

    def template(self, path: str) -> str | None:
        for pattern, template in self.routes:
            if pattern.match(path):
                return template
        return None

    def operation(self, method: str, path: str) -> dict[str, Any] | None:
        """The documented operation for a request path, or None."""
        template = self.template(path)
        found: dict[str, Any] | None = self.facts["paths"].get(template or "", {}).get(method.lower())
        return found

    def error_schema(self, operation: dict[str, Any] | None, path: str) -> dict[str, Any]:
        """The schema the operation's documented errors use (ApiError when unknown)."""
        for status, response in (operation or {}).get("responses", {}).items():
            if int(status) >= 400 and "application/json" in response.get("content", {}):
                schema: dict[str, Any] = response["content"]["application/json"]["schema"]
                return schema
        return {"$ref": "#/components/schemas/ApiError"}

    def check(self, method: str, path: str, status: int, body: bytes, content_type: str) -> None:
        """Validate one response; statuses the operation does not document (injected
        faults, unknown routes) must still be error JSON (or a 502 page)."""
        if status == 502 and content_type.startswith("text/html"):
            return
        template = self.template(path)
        operation = self.operation(method, path)
        documented = operation["responses"].get(str(status)) if operation else None
        if status == 204:
            assert body == b""
            assert documented is not None, f"undocumented 204 for {method} {path}"
            self.checked.append((method, template or path, status))
            return
        media = _media_type(content_type)
        if documented is not None:
            content = documented.get("content", {})
            assert media in content, f"{media!r} is not documented for {method} {path} {status}"
            if media != "application/json":  # raw bytes (TTS audio): the type is the contract
                assert status < 400, f"an error must be JSON, not {media}"
                self.checked.append((method, template or path, status))
                return
            instance = json.loads(body)
            self.validate_schema(instance, content[media]["schema"])
        else:
            assert status >= 400, f"undocumented success {status} for {method} {path}"
            assert media == "application/json", content_type
            instance = json.loads(body)
            self.validate_schema(instance, self.error_schema(operation, path))
        if status >= 400:
            self.check_error(instance, status, documented)
        self.checked.append((method, template or path, status))

    def check_error(self, instance: dict[str, Any], status: int, documented: dict[str, Any] | None) -> None:
        """An error body names its status and a documented error type, and its
        ``more_info`` (when present) is the errors reference entry for that type."""
        assert instance.get("status_code", instance.get("error_code")) == status, instance
        error_type = instance["error_type"]
        assert error_type in self.error_types, error_type
        if documented is not None and "x-error-types" in documented:
            # A documented status uses the error types documented for it. The one allowance:
            # a query parameter outside its schema (limit=0) is a 400 invalid_request with
            # validation_errors even where the document lists only invalid_cursor.
            allowed = set(documented["x-error-types"]) | ({"invalid_request"} if status == 400 else set())
            assert error_type in allowed, (status, error_type, sorted(allowed))
        if instance.get("more_info") is not None:
            assert instance["more_info"] == MORE_INFO + error_type.replace("_", "-"), instance


@dataclass
class Reply:
    """A complete HTTP response."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Api:
    """Plain-HTTP access to the emulator (one connection per request)."""

    emulator: Emulator
    conformance: Conformance
    key: str | None = None
    timeout: float = 10.0
    seen: list[Reply] = field(default_factory=list)

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.emulator.port, timeout=self.timeout)

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        body: bytes | Iterable[bytes] | None = None,
        headers: dict[str, str] | None = None,
        query: dict[str, Any] | None = None,
        key: str | None = "",
        check: bool = True,
        prefix: str = "/v1",
    ) -> Reply:
        """Send a request; ``key=""`` uses the default key, ``None`` sends no auth.
        ``path`` is relative to ``prefix`` (``prefix=""`` for ``/tts``)."""
        sent = {} if headers is None else dict(headers)
        token = (self.key or self.emulator.api_key) if key == "" else key
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        if json_body is not None:
            body = json.dumps(json_body).encode()
            sent["Content-Type"] = "application/json"
        target = prefix + path + (("?" + urlencode(query)) if query else "")
        conn = self.connection()
        try:
            conn.request(method, target, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        reply = Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
        if check:
            self.conformance.check(
                method, prefix + path, reply.status, data, reply.headers.get("content-type", "")
            )
            assert reply.headers.get("x-request-id")
            if reply.status >= 400 and reply.headers.get("content-type") == "application/json":
                assert reply.json()["request_id"] == reply.headers["x-request-id"]
        self.seen.append(reply)
        return reply

    def get(self, path: str, **kwargs: Any) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json_body: Any = None, **kwargs: Any) -> Reply:
        return self.request("POST", path, json_body=json_body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Reply:
        return self.request("DELETE", path, **kwargs)

    def upload(
        self,
        filename: str = "audio.wav",
        data: bytes = b"RIFF",
        client_reference_id: str | None = None,
        **kwargs: Any,
    ) -> Reply:
        """Upload ``data`` as the ``file`` part of a multipart body."""
        body, content_type = multipart(filename, data, client_reference_id)
        return self.request("POST", "/files", body=body, headers={"Content-Type": content_type}, **kwargs)

    def transcribe(self, **payload: Any) -> dict[str, Any]:
        """Create a transcription (201 expected) and return its JSON."""
        payload.setdefault("model", "stt-async-v5")
        if "file_id" not in payload and "audio_url" not in payload:
            payload["audio_url"] = "https://example.com/audio/sample.mp3"
        reply = self.post("/transcriptions", payload)
        assert reply.status == 201, reply.body
        result: dict[str, Any] = reply.json()
        return result


def multipart(filename: str, data: bytes, client_reference_id: str | None = None) -> tuple[bytes, str]:
    """A multipart/form-data body with a ``file`` part (and optional reference id)."""
    boundary = uuid.uuid4().hex
    parts = []
    if client_reference_id is not None:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="client_reference_id"\r\n\r\n'
            f"{client_reference_id}\r\n".encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def wav_bytes(seconds: float, sample_rate: int = 16000) -> bytes:
    """A silent 16-bit mono WAV of the given length."""
    frames = int(seconds * sample_rate)
    data = b"\x00\x00" * frames
    fmt = (1).to_bytes(2, "little") + (1).to_bytes(2, "little")
    fmt += sample_rate.to_bytes(4, "little") + (sample_rate * 2).to_bytes(4, "little")
    fmt += (2).to_bytes(2, "little") + (16).to_bytes(2, "little")
    chunks = b"fmt " + len(fmt).to_bytes(4, "little") + fmt
    chunks += b"data" + len(data).to_bytes(4, "little") + data
    return b"RIFF" + (4 + len(chunks)).to_bytes(4, "little") + b"WAVE" + chunks


@dataclass
class Received:
    """One request the webhook receiver got."""

    path: str
    headers: dict[str, str]
    body: bytes


class WebhookReceiver:
    """A loopback HTTP server answering webhook POSTs with scripted status codes."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.statuses: list[int] = []  # answers to give, in order; then 200
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver.received.append(
                        Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
