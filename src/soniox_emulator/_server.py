"""Running uvicorn on a background thread with its own event loop."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Literal

import uvicorn

from ._http import Receive, Scope, Send
from ._transport import TransportRegistry, protocol_class

_STARTUP_TIMEOUT = 10.0


App = Callable[[Scope, Receive, Send], Awaitable[None]]


class ServerThread:
    """One uvicorn server bound to a socket chosen up front (so port 0 works)."""

    def __init__(self, app: App, registry: TransportRegistry, host: str, port: int) -> None:
        family, kind, proto, _, _ = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        # Passing the real protocol number matters: asyncio only turns on TCP_NODELAY
        # for sockets whose proto is IPPROTO_TCP, and without it every keep-alive
        # response stalls ~40 ms on Nagle plus delayed ACKs.
        self._socket = socket.socket(family, kind, proto or socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(
            app,
            http=protocol_class(registry),
            ws=_websocket_impl(),
            lifespan="off",
            log_level="warning",
            log_config=None,  # leave the host process's logging configuration alone
            access_log=False,
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name=f"soniox-emulator-{self.port}", daemon=True)
        self._error: BaseException | None = None

    def _run(self) -> None:
        try:
            asyncio.run(self._server.serve(sockets=[self._socket]))
        except BaseException as exc:  # surfaced to start(); uvicorn may sys.exit on failure
            self._error = exc

    def start(self) -> None:
        """Serve in the background; return once the socket is accepting connections."""
        self._thread.start()
        deadline = time.monotonic() + _STARTUP_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self._socket.close()
                raise RuntimeError("the Soniox emulator failed to start") from self._error
            time.sleep(0.005)

    def stop(self) -> None:
        """Ask uvicorn to shut down and wait for the thread to end."""
        self._server.should_exit = True
        self._thread.join(timeout=5)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(timeout=5)
        self._socket.close()


def _websocket_impl() -> Literal["websockets-sansio", "websockets"]:
    """uvicorn's sans-I/O websockets protocol where this uvicorn has it (0.35+), else its
    websockets one: the same library the client frames with, and never wsproto."""
    return "websockets-sansio" if "websockets-sansio" in uvicorn.config.WS_PROTOCOLS else "websockets"
