"""The client's models, payload checks and error mapping against the API's facts
(``tests/data/api_facts.json``, generated from the official OpenAPI document)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest
from _driver import response

import _api_facts
from _api_facts import FACTS, operations, response_example, schema
from soniox_core import (
    CreateTemporaryApiKeyResponse,
    File,
    GetFilesCountResponse,
    GetFilesResponse,
    GetModelsResponse,
    GetTranscriptionsCountResponse,
    GetTranscriptionsResponse,
    Transcription,
    TranscriptionTranscript,
)
from soniox_core import _payloads as payloads
from soniox_core._responses import error_class_for, error_from_response, parse_body
from soniox_core.models import (
    ApiError,
    ApiErrorValidationError,
    Language,
    Model,
    Token,
    TranslationTarget,
)

# The operations this client implements: operationId -> (success status, model parsed).
IMPLEMENTED: dict[str, tuple[str, type | None]] = {
    "get_files": ("200", GetFilesResponse),
    "upload_file": ("201", File),
    "get_files_count": ("200", GetFilesCountResponse),
    "get_file": ("200", File),
    "delete_file": ("204", None),
    "get_transcriptions": ("200", GetTranscriptionsResponse),
    "create_transcription": ("201", Transcription),
    "get_transcriptions_count": ("200", GetTranscriptionsCountResponse),
    "get_transcription": ("200", Transcription),
    "delete_transcription": ("204", None),
    "get_transcription_transcript": ("200", TranscriptionTranscript),
    "get_models": ("200", GetModelsResponse),
    "create_temporary_api_key": ("201", CreateTemporaryApiKeyResponse),
}

# Response models and the component schema each one mirrors.
MIRRORS: dict[type, str] = {
    File: "File",
    GetFilesResponse: "GetFilesResponse",
    GetFilesCountResponse: "GetFilesCountResponse",
    Transcription: "Transcription",
    GetTranscriptionsResponse: "GetTranscriptionsResponse",
    GetTranscriptionsCountResponse: "GetTranscriptionsCountResponse",
    TranscriptionTranscript: "TranscriptionTranscript",
    Token: "TranscriptionTranscriptToken",
    GetModelsResponse: "GetModelsResponse",
    Model: "Model",
    Language: "Language",
    TranslationTarget: "TranslationTarget",
    CreateTemporaryApiKeyResponse: "CreateTemporaryApiKeyResponse",
    ApiError: "ApiError",
    ApiErrorValidationError: "ApiErrorValidationError",
}

# Request payload checks and the component schema each one enforces.
PAYLOADS: dict[type, str] = {
    payloads._CreateTranscription: "CreateTranscriptionPayload",
    payloads._Translation: "TranslationConfig",
    payloads._StructuredContext: "StructuredContext",
    payloads._GeneralItem: "StructuredContextGeneralItem",
    payloads._TranslationTerm: "StructuredContextTranslationTerm",
    payloads.UploadPayload: "UploadFilePayload",
    payloads._CreateTemporaryKey: "CreateTemporaryApiKeyPayload",
}

FACTS_MODULE = Path(_api_facts.__file__)
_BY_ID = {op["operationId"]: (path, method, op) for path, method, op in operations()}


def test_the_facts_say_where_they_come_from() -> None:
    provenance = FACTS["provenance"]
    assert provenance["source"] == "official soniox 2.10.0 sdist, tests/data/openapi.json"
    assert re.fullmatch(r"[0-9a-f]{64}", provenance["sha256"])
    assert provenance["operation_count"] == len(_BY_ID) == 26
    assert set(IMPLEMENTED) <= set(_BY_ID)
    assert FACTS["servers"] == [{"url": "https://api.soniox.com"}]
    assert _BY_ID["generate_tts"][2]["servers"] == [{"url": "https://tts-rt.soniox.com"}]


NAMED_MAPS = ("paths", "properties", "responses", "content", "schemas")


def _prose_keys(node: Any, where: str = "") -> list[str]:
    """Places where a description, summary or title survived outside example data."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("example", "examples", "default", "enum", "const"):
                continue
            if key in ("description", "summary", "title") and isinstance(value, str):
                found.append(f"{where}/{key}")
            elif key in NAMED_MAPS and isinstance(value, dict):
                for name, sub in value.items():
                    found += _prose_keys(sub, f"{where}/{key}/{name}")
            else:
                found += _prose_keys(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found += _prose_keys(item, f"{where}/{index}")
    return found


def test_the_facts_carry_no_prose_but_keep_the_constraints() -> None:
    assert _prose_keys(FACTS) == []
    payload = schema("CreateTranscriptionPayload")["properties"]
    assert payload["model"] == {"maxLength": 32, "type": "string"}
    assert payload["audio_url"]["anyOf"][0]["pattern"] == r"^https?://[^\s]+$"
    key = schema("CreateTemporaryApiKeyPayload")["properties"]["expires_in_seconds"]
    assert (key["minimum"], key["maximum"]) == (1, 3600)
    assert schema("TranscriptionStatus")["enum"] == ["queued", "processing", "completed", "error"]
    limit = _BY_ID["get_files"][2]["parameters"][0]
    assert limit["name"] == "limit" and limit["schema"]["maximum"] == 1000


def test_error_types_were_derived_from_the_document() -> None:
    assert {"file_not_found", "transcription_invalid_state", "not_found"} <= set(FACTS["error_types"])
    assert {"missing", "value_error", "enum"} <= set(FACTS["validation_error_types"])
    assert not set(FACTS["error_types"]) & set(FACTS["validation_error_types"])
    responses = _BY_ID["delete_transcription"][2]["responses"]
    assert responses["409"]["x-error-types"] == ["transcription_invalid_state"]
    assert responses["404"]["x-error-types"] == ["transcription_not_found"]


@pytest.mark.parametrize("model", sorted(MIRRORS, key=lambda m: m.__name__), ids=lambda m: m.__name__)
def test_models_have_every_field_of_their_schema(model: type) -> None:
    fields = set(model.__struct_fields__)  # type: ignore[attr-defined]
    assert set(schema(MIRRORS[model])["properties"]) <= fields


def _same(parsed: Any, documented: Any) -> bool:
    """``parsed`` (builtins from a model) says what ``documented`` says; datetimes are
    compared as instants, since the model normalises their spelling."""
    if isinstance(documented, dict):
        return all(_same(parsed.get(k), v) for k, v in documented.items() if k in parsed or v is None)
    if isinstance(documented, list):
        return len(parsed) == len(documented) and all(map(_same, parsed, documented))
    if isinstance(documented, str) and isinstance(parsed, str) and re.match(r"\d{4}-\d\d-\d\dT", documented):
        return datetime.fromisoformat(parsed.replace("Z", "+00:00")) == datetime.fromisoformat(
            documented.replace("Z", "+00:00")
        )
    return bool(parsed == documented)


@pytest.mark.parametrize("operation_id", sorted(IMPLEMENTED))
def test_documented_success_examples_parse_into_the_model(operation_id: str) -> None:
    path, method, op = _BY_ID[operation_id]
    status, model = IMPLEMENTED[operation_id]
    assert status in op["responses"]
    if model is None:
        assert "content" not in op["responses"][status]
        return
    documented = response_example(method, path, status)
    parsed = parse_body(response(int(status), documented), model)
    assert _same(msgspec.to_builtins(parsed), documented), (operation_id, documented)


@pytest.mark.parametrize("model", sorted(MIRRORS, key=lambda m: m.__name__), ids=lambda m: m.__name__)
def test_schema_examples_parse_into_the_model(model: type) -> None:
    documented = schema(MIRRORS[model]).get("example")
    if documented is None:
        assert MIRRORS[model] not in {"File", "Transcription", "GetModelsResponse", "TranscriptionTranscript"}
        return
    parsed = parse_body(response(200, documented), model)
    assert _same(msgspec.to_builtins(parsed), documented), documented


def _error_examples() -> list[tuple[str, str, Any]]:
    found = []
    for operation_id in sorted(IMPLEMENTED):
        op = _BY_ID[operation_id][2]
        for status, documented in op["responses"].items():
            example = documented.get("content", {}).get("application/json", {}).get("example")
            if int(status) >= 400 and example is not None:
                found.append((operation_id, status, example))
    return found


ERROR_EXAMPLES = _error_examples()


def test_every_implemented_operation_documents_error_examples() -> None:
    assert {operation_id for operation_id, _, _ in ERROR_EXAMPLES} == set(IMPLEMENTED)


@pytest.mark.parametrize(("operation_id", "status", "documented"), ERROR_EXAMPLES)
def test_documented_error_examples_become_typed_errors(
    operation_id: str, status: str, documented: Any
) -> None:
    error = error_from_response(response(int(status), documented))
    assert type(error) is error_class_for(int(status), documented["error_type"])
    assert (error.status_code, error.error_type) == (int(status), documented["error_type"])
    assert error.message == documented["message"]
    assert error.request_id == documented["request_id"]
    assert error.more_info == documented.get("more_info")
    assert documented["error_type"] in FACTS["error_types"]
    op = _BY_ID[operation_id][2]
    assert documented["error_type"] in op["responses"][status]["x-error-types"]
    assert [e.location for e in error.validation_errors] == [
        e["location"] for e in documented["validation_errors"]
    ]


# --- request payloads: the client checks what the schema constrains --------------------------

_CONSTRAINTS = ("type", "enum", "maxLength", "minLength", "maximum", "minimum", "maxItems", "pattern")


def _variants(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The non-null alternatives of a property schema."""
    options = node.get("anyOf", [node])
    return [option for option in options if option.get("type") != "null"]


def _constraints(node: dict[str, Any]) -> set[tuple[str, str]]:
    """What a property schema constrains, comparable across the two schema dialects."""
    found: set[tuple[str, str]] = set()
    for option in _variants(node):
        for key in _CONSTRAINTS:
            if key in option:
                value = option[key]
                if key == "pattern":  # the schema's `$` is the very end, Python's `\Z`
                    value = value.replace(r"\Z", "$")
                found.add((key, repr(value)))
        if "items" in option:
            found |= {("items." + k, v) for k, v in _constraints(option["items"])}
        if "$ref" in option:
            found.add(("object", ""))
    return found


@pytest.mark.parametrize("payload", sorted(PAYLOADS, key=lambda p: p.__name__), ids=lambda p: p.__name__)
def test_payload_checks_enforce_every_schema_constraint(payload: type) -> None:
    ours = msgspec.json.schema(payload)
    ours = ours["$defs"][ours["$ref"].split("/")[-1]]
    theirs = schema(PAYLOADS[payload])
    assert set(ours["properties"]) == set(theirs["properties"])
    assert set(ours.get("required", [])) == set(theirs.get("required", []))
    for name, documented in theirs["properties"].items():
        if "$ref" in documented:  # an enum referenced by name
            documented = schema(documented["$ref"].split("/")[-1])
        expected = {c for c in _constraints(documented) if c[0] not in ("type", "format")}
        actual = {c for c in _constraints(ours["properties"][name]) if c[0] not in ("type", "format")}
        # Nested objects are compared by their own parametrised case.
        expected.discard(("object", ""))
        actual.discard(("object", ""))
        assert expected <= actual, (name, expected - actual)


def test_a_missing_facts_file_stops_the_run(tmp_path: Path) -> None:
    """Without the facts file the checks must fail, never pass or skip."""
    shutil.copy(FACTS_MODULE, tmp_path / "_api_facts.py")  # beside it: no data/api_facts.json
    result = subprocess.run(
        [sys.executable, "-c", "import _api_facts"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "MissingApiFacts" in result.stderr and "api_facts.json is missing" in result.stderr
