"""Response examples of the Soniox OpenAPI document, as test data.

Keyed by "METHOD path status" and read from ``tests/data/api_facts.json`` (see
``tests/_api_facts.py``), so the tests follow the document without reading it.
"""

from typing import Any

from _api_facts import response_examples

EXAMPLES: dict[str, Any] = response_examples()
