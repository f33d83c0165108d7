"""Derive ``tests/data/api_facts.json`` from the official Soniox OpenAPI document.

The tests check requests, responses and the emulator against the API's machine-readable
facts: paths, methods, operationIds, parameters, request and response schemas with their
constraints, ``servers`` overrides and example values. The document itself is not kept in
this repository; this script keeps what the tests need and drops the prose (every
``description``, ``summary`` and ``title``). Which ``error_type`` values exist is stated
only in that prose (lists under "Error types:" and links to the errors reference), so it is
computed here, before the prose is dropped, and the facts carry the result.

Usage (maintainers; CI has no copy of the document and only reads the facts file)::

    python scripts/make_api_facts.py PATH/TO/openapi.json          # (re)write the facts
    python scripts/make_api_facts.py PATH/TO/openapi.json --check  # exit 1 if out of date

The document is the ``tests/data/openapi.json`` shipped in the official ``soniox`` 2.10.0
source distribution.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "tests" / "data" / "api_facts.json"
DEFAULT_SOURCE = "official soniox 2.10.0 sdist, tests/data/openapi.json"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

# Keys whose value is free text meant for people.
PROSE_KEYS = frozenset({"description", "summary", "title"})
# Keys whose value is data (kept verbatim, even if it has a "description" field).
DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})
# Keys whose value maps names chosen by the document (paths, property names, status
# codes, media types...) to objects: the names are kept whatever they are.
NAMED_MAPS = frozenset(
    {
        "paths",
        "properties",
        "patternProperties",
        "responses",
        "content",
        "schemas",
        "securitySchemes",
        "headers",
    }
)

_LISTED = re.compile(r"^- `([a-z_]+)`", re.MULTILINE)
_LINKED = re.compile(r"errors#([a-z][a-z-]*)")


def strip_prose(node: Any) -> Any:
    """A copy of ``node`` without prose keys; data values and names are left untouched."""
    if isinstance(node, list):
        return [strip_prose(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in PROSE_KEYS and isinstance(value, str):
            continue
        if key in DATA_KEYS:
            out[key] = value
        elif key in NAMED_MAPS and isinstance(value, dict):
            out[key] = {name: strip_prose(sub) for name, sub in value.items()}
        else:
            out[key] = strip_prose(value)
    return out


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every (path, method, operation object) of the document, in its order."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def _error_bodies(node: Any) -> Iterator[dict[str, Any]]:
    """Every dict inside an example value that carries an ``error_type``."""
    if isinstance(node, dict):
        if isinstance(node.get("error_type"), str):
            yield node
        for value in node.values():
            yield from _error_bodies(value)
    elif isinstance(node, list):
        for item in node:
            yield from _error_bodies(item)


def _example_values(response: dict[str, Any]) -> Iterator[Any]:
    for media in response.get("content", {}).values():
        if "example" in media:
            yield media["example"]
        for named in media.get("examples", {}).values():
            if isinstance(named, dict) and "value" in named:
                yield named["value"]


def _types_in_examples(value: Any) -> tuple[set[str], set[str]]:
    """(error types of error bodies, error types of their validation_errors entries)."""
    top: set[str] = set()
    validation: set[str] = set()
    for body in _error_bodies(value):
        nested = body.get("validation_errors")
        if isinstance(nested, list):
            validation.update(entry["error_type"] for entry in nested if isinstance(entry, dict))
        # A validation entry is recognised by its ``location``; everything else is a body.
        if "location" not in body:
            top.add(body["error_type"])
    return top, validation


def _types_in_prose(text: str) -> set[str]:
    """Error types a description names: its "Error types:" list and its errors#x links."""
    _, heading, listed = text.partition("Error types:")
    found = set(_LISTED.findall(listed)) if heading else set()
    found.update(anchor.replace("-", "_") for anchor in _LINKED.findall(text))
    return found


def _all_strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _all_strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _all_strings(item)


def error_types(document: dict[str, Any]) -> tuple[dict[tuple[str, str, str], list[str]], set[str], set[str]]:
    """Per (path, method, status) the error types documented for that response; the union
    of every error type the document names; and the validation_errors entry types."""
    per_response: dict[tuple[str, str, str], list[str]] = {}
    everywhere: set[str] = set()
    validation: set[str] = set()
    for path, method, operation in operations(document):
        for status, response in operation.get("responses", {}).items():
            found = _types_in_prose(response.get("description", ""))
            for value in _example_values(response):
                top, nested = _types_in_examples(value)
                found |= top
                validation |= nested
            if found:
                per_response[(path, method, status)] = sorted(found)
            everywhere |= found
    # Links elsewhere (schema descriptions, more_info values in component examples).
    for text in _all_strings(document):
        everywhere.update(anchor.replace("-", "_") for anchor in _LINKED.findall(text))
    for schema in document.get("components", {}).get("schemas", {}).values():
        if "example" in schema:
            top, nested = _types_in_examples(schema["example"])
            everywhere |= top
            validation |= nested
    return per_response, everywhere, validation


def make_facts(raw: bytes, source: str = DEFAULT_SOURCE) -> dict[str, Any]:
    """The facts for the document whose bytes are ``raw``."""
    document = json.loads(raw)
    per_response, everywhere, validation = error_types(document)
    facts = strip_prose(document)
    for (path, method, status), types in per_response.items():
        facts["paths"][path][method]["responses"][status]["x-error-types"] = types
    facts.pop("info", None)
    count = sum(1 for _ in operations(document))
    return {
        "provenance": {
            "source": source,
            "sha256": hashlib.sha256(raw).hexdigest(),
            "openapi": document.get("openapi"),
            "info_version": document.get("info", {}).get("version"),
            "operation_count": count,
            "generator": "scripts/make_api_facts.py",
            "omitted": "every description, summary and title (prose)",
            "derived": "error_types, validation_error_types and each response's x-error-types, "
            "computed from the prose and examples before the prose was dropped",
        },
        **facts,
        "error_types": sorted(everywhere),
        "validation_error_types": sorted(validation),
    }


def render(facts: dict[str, Any]) -> str:
    """The facts file's text (stable, so ``--check`` can compare byte for byte)."""
    return json.dumps(facts, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the facts file; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("document", type=Path, help="the official OpenAPI document (JSON)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="facts file (default: %(default)s)")
    parser.add_argument("--source", default=DEFAULT_SOURCE, help="where the document came from")
    parser.add_argument("--check", action="store_true", help="fail if the facts file is out of date")
    args = parser.parse_args(argv)
    text = render(make_facts(args.document.read_bytes(), args.source))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else None
        if current != text:
            hint = f"run scripts/make_api_facts.py {args.document}"
            print(f"{args.out} is out of date; {hint}", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text)} characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
