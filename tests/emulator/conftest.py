"""Fixtures for the emulator tests (helpers live in ``emulator_helpers``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from emulator_helpers import Api, Conformance, WebhookReceiver

from _api_facts import FACTS
from soniox_emulator import Emulator


@pytest.fixture(scope="session")
def conformance() -> Conformance:
    """The session's OpenAPI checker."""
    return Conformance(FACTS)


@pytest.fixture
def api(emulator: Emulator, conformance: Conformance) -> Api:
    """A checked client for the (reset) session emulator."""
    return Api(emulator, conformance)


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    """A running loopback webhook receiver."""
    with WebhookReceiver() as receiver:
        yield receiver
