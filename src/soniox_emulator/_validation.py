"""Request validation with pydantic-style ``validation_errors`` entries.

The real service validates with pydantic, so the emulator reports the same kinds of
entries (``missing``, ``string_too_long``, ``less_than_equal``...) at the same
``body.payload.<field>`` / ``query.<name>`` locations.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from typing import Any

from ._http import ValidationError, invalid_request

_HTTP_URL = re.compile(r"^https?://[^\s]+$")


class Checker:
    """Collects validation errors for one JSON object."""

    def __init__(self, body: Mapping[str, Any], location: str) -> None:
        self.body = body
        self.location = location
        self.errors: list[ValidationError] = []

    def fail(self, name: str, error_type: str, message: str) -> None:
        """Record an error for field ``name`` (empty name = the object itself)."""
        where = f"{self.location}.{name}" if name else self.location
        self.errors.append(ValidationError(error_type, where, message))

    def _present(self, name: str, required: bool) -> bool:
        if name not in self.body:
            if required:
                self.fail(name, "missing", "Field required")
            return False
        if self.body[name] is None:
            if required:
                self.fail(name, "missing", "Field required")
            return False
        return True

    def string(
        self,
        name: str,
        *,
        required: bool = False,
        max_length: int | None = None,
        pattern: re.Pattern[str] | None = None,
    ) -> str | None:
        """An optional (nullable) or required string."""
        if not self._present(name, required):
            return None
        value = self.body[name]
        if not isinstance(value, str):
            self.fail(name, "string_type", "Input should be a valid string")
            return None
        if max_length is not None and len(value) > max_length:
            self.fail(name, "string_too_long", f"String should have at most {max_length} characters")
            return None
        if pattern is not None and not pattern.match(value):
            self.fail(
                name,
                "string_pattern_mismatch",
                f"String should match pattern '{pattern.pattern}'",
            )
            return None
        return value

    def boolean(self, name: str, *, required: bool = False) -> bool | None:
        """An optional (nullable) boolean."""
        if not self._present(name, required):
            return None
        value = self.body[name]
        if not isinstance(value, bool):
            self.fail(name, "bool_type", "Input should be a valid boolean")
            return None
        return value

    def integer(self, name: str, *, required: bool = False, minimum: int, maximum: int) -> int | None:
        """An integer within ``[minimum, maximum]``."""
        if not self._present(name, required):
            return None
        value = self.body[name]
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(name, "int_type", "Input should be a valid integer")
            return None
        if value < minimum:
            self.fail(name, "greater_than_equal", f"Input should be greater than or equal to {minimum}")
            return None
        if value > maximum:
            self.fail(name, "less_than_equal", f"Input should be less than or equal to {maximum}")
            return None
        return value

    def enum(self, name: str, choices: tuple[str, ...], *, required: bool = False) -> str | None:
        """One of ``choices``."""
        if not self._present(name, required):
            return None
        value = self.body[name]
        if value not in choices:
            listed = ", ".join(repr(c) for c in choices)
            self.fail(name, "enum", f"Input should be {listed}")
            return None
        return str(value)

    def uuid(self, name: str) -> str | None:
        """An optional UUID string, returned in canonical form."""
        value = self.string(name)
        if value is None:
            return None
        try:
            return str(uuid.UUID(value))
        except ValueError:
            self.fail(name, "uuid_parsing", "Input should be a valid UUID")
            return None

    def string_list(self, name: str, *, item_max_length: int, max_items: int) -> list[str] | None:
        """An optional list of short strings."""
        if not self._present(name, False):
            return None
        value = self.body[name]
        if not isinstance(value, list):
            self.fail(name, "list_type", "Input should be a valid list")
            return None
        if len(value) > max_items:
            self.fail(name, "too_long", f"List should have at most {max_items} items")
            return None
        ok = True
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self.fail(f"{name}.{index}", "string_type", "Input should be a valid string")
                ok = False
            elif len(item) > item_max_length:
                self.fail(
                    f"{name}.{index}",
                    "string_too_long",
                    f"String should have at most {item_max_length} characters",
                )
                ok = False
        return [str(v) for v in value] if ok else None

    def obj(self, name: str) -> Checker | None:
        """A nested object, checked by the returned child Checker."""
        if not self._present(name, False):
            return None
        value = self.body[name]
        if not isinstance(value, dict):
            self.fail(name, "model_type", "Input should be a valid dictionary or object")
            return None
        child = Checker(value, f"{self.location}.{name}")
        child.errors = self.errors  # share one list so the report stays in field order
        return child


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """Decode a JSON request body that must be an object, or raise invalid_request."""
    try:
        value = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise invalid_request(
            [ValidationError("json_invalid", "body", f"Invalid JSON: {exc}")],
            "The request body is not valid JSON.",
        ) from exc
    if not isinstance(value, dict):
        raise invalid_request([ValidationError("model_type", "body.payload", "Input should be an object")])
    return value


def _check_context(check: Checker) -> None:
    value = check.body.get("context")
    if value is None or isinstance(value, str):
        return
    ctx = check.obj("context")
    if ctx is None:
        return
    ctx.string("text")
    for list_name, keys in (
        ("general", ("key", "value")),
        ("translation_terms", ("source", "target")),
    ):
        items = ctx.body.get(list_name)
        if items is None:
            continue
        if not isinstance(items, list):
            ctx.fail(list_name, "list_type", "Input should be a valid list")
            continue
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                ctx.fail(f"{list_name}.{index}", "model_type", "Input should be an object")
                continue
            entry = Checker(item, f"{ctx.location}.{list_name}.{index}")
            entry.errors = ctx.errors
            for key in keys:
                entry.string(key, required=True)
    terms = ctx.body.get("terms")
    if terms is not None and (not isinstance(terms, list) or not all(isinstance(t, str) for t in terms)):
        ctx.fail("terms", "list_type", "Input should be a valid list of strings")


def _check_translation(check: Checker) -> dict[str, Any] | None:
    tr = check.obj("translation")
    if tr is None:
        return None
    kind = tr.enum("type", ("one_way", "two_way"), required=True)
    target = tr.string("target_language")
    a = tr.string("language_a")
    b = tr.string("language_b")
    if kind == "one_way" and not target:
        tr.fail("target_language", "value_error", "one_way translation needs target_language")
    if kind == "two_way" and not (a and b):
        tr.fail("", "value_error", "two_way translation needs language_a and language_b")
    return {"type": kind, "target_language": target, "language_a": a, "language_b": b}


def validate_create_transcription(body: dict[str, Any]) -> dict[str, Any]:
    """Check a CreateTranscriptionPayload; return the normalised fields or raise 400."""
    check = Checker(body, "body.payload")
    out: dict[str, Any] = {
        "model": check.string("model", required=True, max_length=32),
        "audio_url": check.string("audio_url", max_length=4096, pattern=_HTTP_URL),
        "file_id": check.uuid("file_id"),
        "language_hints": check.string_list("language_hints", item_max_length=10, max_items=100),
        "language_hints_strict": check.boolean("language_hints_strict"),
        "enable_speaker_diarization": check.boolean("enable_speaker_diarization"),
        "enable_language_identification": check.boolean("enable_language_identification"),
        "translation": _check_translation(check),
        "webhook_url": check.string("webhook_url", max_length=256, pattern=_HTTP_URL),
        "webhook_auth_header_name": check.string("webhook_auth_header_name", max_length=256),
        "webhook_auth_header_value": check.string("webhook_auth_header_value", max_length=256),
        "client_reference_id": check.string("client_reference_id", max_length=256),
    }
    context = body.get("context")
    if context is not None and not isinstance(context, (str, dict)):
        check.fail("context", "value_error", "context must be a string or an object")
    else:
        _check_context(check)
    has_url = body.get("audio_url") is not None
    has_file = body.get("file_id") is not None
    if has_url and has_file:
        check.fail("", "value_error", "Specify either audio_url or file_id, not both")
    elif not has_url and not has_file:
        check.fail("", "value_error", "Specify one of audio_url or file_id")
    if (body.get("webhook_auth_header_name") is None) != (body.get("webhook_auth_header_value") is None):
        check.fail(
            "",
            "value_error",
            "webhook_auth_header_name and webhook_auth_header_value go together",
        )
    if check.errors:
        raise invalid_request(check.errors)
    return out


def validate_temporary_key(body: dict[str, Any]) -> dict[str, Any]:
    """Check a CreateTemporaryApiKeyPayload; return its fields or raise 400."""
    check = Checker(body, "body.payload")
    out = {
        "usage_type": check.enum("usage_type", ("transcribe_websocket", "tts_rt"), required=True),
        "expires_in_seconds": check.integer("expires_in_seconds", required=True, minimum=1, maximum=3600),
        "client_reference_id": check.string("client_reference_id", max_length=256),
        "single_use": check.boolean("single_use"),
        "max_session_duration_seconds": check.integer(
            "max_session_duration_seconds", minimum=1, maximum=18000
        ),
    }
    if check.errors:
        raise invalid_request(check.errors)
    return out


def parse_limit(query: Mapping[str, str]) -> int:
    """The ``limit`` query parameter: an integer in 1..1000, default 1000."""
    raw = query.get("limit")
    if raw is None:
        return 1000
    try:
        value = int(raw)
    except ValueError:
        error = ValidationError("int_parsing", "query.limit", "Input should be a valid integer")
        raise invalid_request([error], "Invalid query parameters.") from None
    if value < 1:
        error = ValidationError(
            "greater_than_equal", "query.limit", "Input should be greater than or equal to 1"
        )
        raise invalid_request([error], "Invalid query parameters.")
    if value > 1000:
        error = ValidationError(
            "less_than_equal", "query.limit", "Input should be less than or equal to 1000"
        )
        raise invalid_request([error], "Invalid query parameters.")
    return value
