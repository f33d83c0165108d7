"""Two setups that used to leak the key, end to end: a key with a trailing space, and
a server that echoes the key. Neither the full ``soniox --verbose`` output, nor the
SDK's DEBUG log, nor any exception's text and traceback shows it."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_client import API_KEY
from hostile_server import HostileServer, Request, json_response

from soniox_core import SonioxError
from soniox_sync import SonioxClient

ROOT = Path(__file__).resolve().parents[2]


def _echo(request: Request) -> bytes:
    auth = request.header("authorization") or ""
    key = auth.removeprefix("Bearer ")
    payload = {"error_type": "unauthenticated", "message": f"key {key} refused", "request_id": key}
    return json_response(401, payload, headers=[("X-Echo", auth)])


@pytest.fixture
def echo_server() -> Iterator[HostileServer]:
    with HostileServer(_echo) as server:
        yield server


def _cli(*args: str, env_key: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SONIOX_")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    if env_key is not None:
        env["SONIOX_API_KEY"] = env_key
    return subprocess.run(
        [sys.executable, "-m", "soniox_cli", "--verbose", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "command", [["files", "list"], ["transcriptions", "list"], ["models"], ["temp-key"]], ids=" ".join
)
def test_cli_against_an_echoing_server_never_prints_the_key(
    echo_server: HostileServer, command: list[str]
) -> None:
    result = _cli(*command, "--api-key", API_KEY, "--base-url", echo_server.base_url)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert echo_server.requests, "the request reached the server"
    assert "SonioxAuthenticationError" in output
    assert "DEBUG" in output  # the verbose log was on
    assert API_KEY not in output


def test_cli_with_a_trailing_space_in_the_key_never_prints_it(echo_server: HostileServer) -> None:
    result = _cli("files", "list", "--api-key", API_KEY + " ", "--base-url", echo_server.base_url)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert ("api_key" in output or "--api-key" in output) and "whitespace" in output
    assert API_KEY not in output
    assert echo_server.requests == []  # refused before anything was sent


def test_cli_key_from_the_environment_with_its_newline_works(echo_server: HostileServer) -> None:
    # As read from a file: the newline is stripped, the (echoing) server is reached.
    result = _cli("files", "list", "--base-url", echo_server.base_url, env_key=API_KEY + "\n")
    output = result.stdout + result.stderr
    assert echo_server.requests[0].header("authorization") == f"Bearer {API_KEY}"
    assert API_KEY not in output


def _everything(exc: BaseException) -> str:
    return str(exc) + repr(exc) + "".join(traceback.format_exception(exc))


@pytest.mark.parametrize("setup", ["trailing-space", "echo"])
def test_sdk_log_and_tracebacks_never_show_the_key(
    echo_server: HostileServer, caplog: pytest.LogCaptureFixture, setup: str
) -> None:
    key = API_KEY + " " if setup == "trailing-space" else API_KEY
    with (
        caplog.at_level(logging.DEBUG),
        pytest.raises(SonioxError) as info,
        SonioxClient(api_key=key, api_base_url=echo_server.base_url, max_retries=1) as client,
    ):
        client.files.count()
    assert API_KEY not in _everything(info.value)
    logged = "".join(record.getMessage() + str(record.exc_text or "") for record in caplog.records)
    assert API_KEY not in logged
    if setup == "echo":
        assert caplog.records and echo_server.requests
