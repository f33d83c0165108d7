"""Fixtures for the proxy tests: a counting proxy on loopback, TLS in front of the emulator,
and an environment cleared of the machine's own proxy and CA settings."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from soniox_emulator import Emulator

# The tests import plain helpers from beside this file under every import mode.
sys.path.insert(0, str(Path(__file__).parent))

from loopback_proxy import LoopbackProxy, SecureEmulator, TLSFront

sys.path.insert(0, str(Path(__file__).parents[1] / "interop"))
# The official SDK's venv, made (once) as the interop tests make it.
from test_official_sdk import official_python as official_python

ENV_NAMES = [
    "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUEST_METHOD",
]  # fmt: skip


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No proxy or CA variable of the machine leaks in; tests set what they need."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


@pytest.fixture
def proxy() -> Iterator[LoopbackProxy]:
    with LoopbackProxy() as running:
        yield running


@pytest.fixture
def rt_emulator(emulator: Emulator) -> Emulator:
    emulator.realtime.ms_per_word = 100
    emulator.realtime.idle_timeout_sec = 10.0
    return emulator


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A throwaway CA and a certificate for 127.0.0.1 it signed (the openssl CLI makes them)."""
    openssl = shutil.which("openssl")
    assert openssl is not None, "the openssl command is needed to make test certificates"
    folder = tmp_path_factory.mktemp("proxy-certs")

    def run(*args: str) -> None:
        subprocess.run([openssl, *args], check=True, capture_output=True, cwd=folder)

    run(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Soniox proxy test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    )
    run(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    )
    (folder / "ext.cnf").write_text(
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
    )
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf")  # fmt: skip
    return folder / "ca.pem", folder / "server.pem", folder / "server.key"


@pytest.fixture
def hang_up_abruptly() -> bool:
    """Overridden to True where the TLS front should drop connections without close_notify."""
    return False


@pytest.fixture
def secure_emulator(
    rt_emulator: Emulator, certificates: tuple[Path, Path, Path], hang_up_abruptly: bool
) -> Iterator[SecureEmulator]:
    ca, cert, key = certificates
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    with TLSFront(rt_emulator.port, context, abrupt=hang_up_abruptly) as front:
        root = f"127.0.0.1:{front.port}"
        yield SecureEmulator(rt_emulator, f"https://{root}/v1", f"wss://{root}/transcribe-websocket", ca)
