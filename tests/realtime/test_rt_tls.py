"""wss:// with certificate verification, against a TLS-serving emulator endpoint."""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from soniox_async._realtime import AsyncRealtimeAPI
from soniox_core._config import resolve_config
from soniox_core._errors import SonioxRealtimeError
from soniox_core.realtime import RealtimeSTTConfig, TranscriptAccumulator
from soniox_emulator._server import _websocket_impl as websocket_impl
from soniox_emulator.realtime import RealtimeControl, websocket_endpoint
from soniox_sync._realtime import RealtimeAPI

PCM = RealtimeSTTConfig(model="stt-rt-v4", audio_format="pcm_s16le", sample_rate=16000, num_channels=1)
KEY = "tls-key"


def _make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for 127.0.0.1, made with the openssl CLI."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make test certificates")

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=folder)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "2", "-subj", "/CN=Soniox SDK test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")  # fmt: skip
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=127.0.0.1")  # fmt: skip
    (folder / "ext.cnf").write_text(
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
    )
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf")  # fmt: skip
    return folder / "ca.pem", folder / "server.pem", folder / "server.key"


class TLSServer:
    def __init__(self, cert: Path, key: Path) -> None:
        import uvicorn
        from starlette.applications import Starlette
        from starlette.routing import WebSocketRoute

        self.control = RealtimeControl()
        self.control.ms_per_word = 100

        async def endpoint(websocket: Any) -> None:
            await websocket_endpoint(websocket, self.control, lambda k: k == KEY)

        app = Starlette(routes=[WebSocketRoute("/transcribe-websocket", endpoint)])
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(
            app, ws=websocket_impl(), lifespan="off", log_level="warning", log_config=None,
            ssl_certfile=str(cert), ssl_keyfile=str(key),
        )  # fmt: skip
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=lambda: asyncio.run(self.server.serve(sockets=[self.sock])), daemon=True
        )

    def __enter__(self) -> TLSServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "TLS server did not start"
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(5)
        self.sock.close()


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TLSServer, Path]]:
    ca, cert, key = _make_certificates(tmp_path_factory.mktemp("certs"))
    with TLSServer(cert, key) as server:
        yield server, ca


def config(server: TLSServer, **options: Any) -> Any:
    return resolve_config(
        api_key=KEY,
        api_base_url=None,
        websocket_base_url=f"wss://127.0.0.1:{server.port}/transcribe-websocket",
        timeout_sec=5.0,
        webhook_secret=None,
        webhook_signature_header=None,
        client_kwargs=options,
        environ={},
    )


def run_sync(server: TLSServer, **options: Any) -> str:
    transcript = TranscriptAccumulator()
    with RealtimeAPI(config(server, **options)).stt.connect(config=PCM) as session:
        session.send_bytes([b"\0" * 3200] * 3)
        session.handle_events(transcript.add)
    return transcript.final_text


def test_sync_verifies_against_the_given_ca(tls_server: tuple[TLSServer, Path]) -> None:
    server, ca = tls_server
    assert run_sync(server, verify=str(ca)) == server.control.transcript
    context = ssl.create_default_context(cafile=str(ca))
    assert run_sync(server, ssl_context=context) == server.control.transcript


def test_sync_refuses_an_unknown_certificate(tls_server: tuple[TLSServer, Path]) -> None:
    server, _ = tls_server
    with pytest.raises(SonioxRealtimeError, match=r"CERTIFICATE_VERIFY_FAILED|certificate verify"):
        run_sync(server)
    assert run_sync(server, verify=False) == server.control.transcript  # only when asked


@pytest.mark.anyio
async def test_async_verifies_and_refuses(tls_server: tuple[TLSServer, Path], anyio_backend: str) -> None:
    server, ca = tls_server
    transcript = TranscriptAccumulator()
    stt = AsyncRealtimeAPI(config(server, verify=str(ca))).stt
    async with stt.connect(config=PCM) as session:
        await session.send_bytes([b"\0" * 3200] * 3)
        await session.handle_events(transcript.add)
    assert transcript.final_text == server.control.transcript
    with pytest.raises(SonioxRealtimeError, match=r"CERTIFICATE_VERIFY_FAILED|certificate verify"):
        async with AsyncRealtimeAPI(config(server)).stt.connect(config=PCM):
            pass


def test_sync_quiet_tls_session_is_not_mistaken_for_a_drop(tls_server: tuple[TLSServer, Path]) -> None:
    # A short write timeout: a TLS read that outlives it must not look like a lost connection.
    server, ca = tls_server
    settings = resolve_config(
        api_key=KEY,
        api_base_url=None,
        websocket_base_url=f"wss://127.0.0.1:{server.port}/transcribe-websocket",
        timeout_sec=0.2,
        webhook_secret=None,
        webhook_signature_header=None,
        client_kwargs={"verify": str(ca)},
        environ={},
    )
    transcript = TranscriptAccumulator()
    stt = RealtimeAPI(settings).stt
    with stt.connect(config=PCM, keepalive_interval_sec=0.05, receive_timeout_sec=5) as session:
        reader = threading.Thread(target=lambda: session.handle_events(transcript.add))
        reader.start()
        session.send_bytes(b"\0" * 3200)
        time.sleep(0.8)  # the reader waits through several write timeouts
        session.send_bytes([b"\0" * 3200] * 2)
        reader.join(5)
    assert transcript.final_text == server.control.transcript
