"""Fixtures for the driver tests (both clients against the emulator over loopback)."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from _drivers_support import Driver, make_driver

from soniox_emulator import Emulator


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Every async test runs under asyncio and under trio."""
    return str(request.param)


@pytest.fixture
def flavour() -> str:
    """Overridden by ``THREE_WAYS``; alone, a test gets the async client."""
    return "async"


@pytest.fixture
def emu(emulator: Emulator) -> Emulator:
    """The session emulator, reset, with tiny queue and processing delays."""
    emulator.queued_sec = 0.01
    emulator.processing_sec = 0.03
    return emulator


@pytest.fixture
async def sdk(flavour: str, emu: Emulator) -> AsyncIterator[Driver]:
    """A client of the test's flavour pointed at the emulator, closed afterwards."""
    driver = make_driver(flavour, emu)
    try:
        yield driver
    finally:
        await driver.close()


class _Accept(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def webhook_receiver() -> Iterator[str]:
    """A loopback URL that answers every webhook POST with 200 (the emulator records them)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Accept)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/soniox-hook"
    finally:
        server.shutdown()
        server.server_close()
