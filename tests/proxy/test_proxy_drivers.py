"""REST and realtime through a real proxy on loopback, on asyncio, trio and the sync client.

The proxy counts what it served: a CONNECT tunnel per ``https://``/``ws(s)://``
connection and a forwarded request per plain-http REST call. ``NO_PROXY`` and
``trust_env=False`` must leave it untouched.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path
from typing import Any

import anyio
import pytest
from loopback_proxy import LoopbackProxy, SecureEmulator, TLSFront

from soniox_async import AsyncSonioxClient
from soniox_core import SonioxAPIError, SonioxConnectionError, SonioxRealtimeError
from soniox_core.realtime import RealtimeSTTConfig, TranscriptAccumulator
from soniox_emulator import Emulator
from soniox_sync import SonioxClient

PCM = RealtimeSTTConfig(model="stt-rt-v4", audio_format="pcm_s16le", sample_rate=16000, num_channels=1)
AUDIO = [b"\0" * 3200] * 3

THREE_WAYS = pytest.mark.parametrize(
    ("anyio_backend", "flavour"),
    [("asyncio", "async"), ("trio", "async"), ("asyncio", "sync")],
    ids=["asyncio", "trio", "sync"],
)
pytestmark = [pytest.mark.anyio, THREE_WAYS]


def _sync_exercise(kwargs: dict[str, Any], rest: bool, realtime: bool, tts: bool) -> str:
    transcript = TranscriptAccumulator()
    with SonioxClient(**kwargs) as client:
        if rest:
            assert client.models.list().models
        if tts:
            assert client.tts.generate(text="through the proxy", voice="Adrian", language="en")
        if realtime:
            with client.realtime.stt.connect(config=PCM) as session:
                session.send_bytes(AUDIO)
                session.handle_events(transcript.add)
    return transcript.final_text


async def exercise(
    flavour: str, *, rest: bool = True, realtime: bool = True, tts: bool = False, **kwargs: Any
) -> str:
    """A REST call and a realtime session with a client built from ``kwargs``; the transcript."""
    kwargs.setdefault("api_key", "test-key")
    if flavour == "sync":
        return await anyio.to_thread.run_sync(_sync_exercise, kwargs, rest, realtime, tts)
    transcript = TranscriptAccumulator()
    async with AsyncSonioxClient(**kwargs) as client:
        if rest:
            assert (await client.models.list()).models
        if tts:
            assert await client.tts.generate(text="through the proxy", voice="Adrian", language="en")
        if realtime:
            async with client.realtime.stt.connect(config=PCM) as session:
                await session.send_bytes(AUDIO)
                await session.handle_events(transcript.add)
    return transcript.final_text


def urls(emulator: Emulator) -> dict[str, str]:
    return {"api_base_url": emulator.base_url, "websocket_base_url": emulator.websocket_url}


def secure_urls(secure: SecureEmulator) -> dict[str, str]:
    return {"api_base_url": secure.base_url, "websocket_base_url": secure.websocket_url}


async def test_plain_http_goes_through_http_proxy(
    flavour: str, rt_emulator: Emulator, proxy: LoopbackProxy, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("HTTP_PROXY", proxy.url)
    kwargs = {**urls(rt_emulator), "tts_api_base_url": rt_emulator.tts_api_base_url}
    assert await exercise(flavour, tts=True, **kwargs) == rt_emulator.realtime.transcript
    # REST (STT and TTS) in absolute form (forwarded), the WebSocket through a tunnel.
    assert [seen.target for seen in proxy.forwarded] == [
        rt_emulator.base_url + "/models",
        rt_emulator.tts_api_base_url + "/tts",
    ]
    assert [seen.target for seen in proxy.tunnels] == [f"127.0.0.1:{rt_emulator.port}"]


async def test_https_and_wss_tunnel_through_https_proxy(
    flavour: str, secure_emulator: SecureEmulator, proxy: LoopbackProxy, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("https_proxy", proxy.url)  # lowercase works too
    clean_env.setenv("SSL_CERT_FILE", str(secure_emulator.ca))  # the only CA that signed the server
    transcript = await exercise(flavour, **secure_urls(secure_emulator))
    assert transcript == secure_emulator.emulator.realtime.transcript
    origin = secure_emulator.base_url.split("/")[2]
    assert [seen.target for seen in proxy.tunnels] == [origin, origin]  # REST, then realtime
    assert proxy.forwarded == []


async def test_all_proxy_serves_both_schemes(
    flavour: str, rt_emulator: Emulator, proxy: LoopbackProxy, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("ALL_PROXY", proxy.url.removeprefix("http://"))  # no scheme means http://
    assert await exercise(flavour, **urls(rt_emulator)) == rt_emulator.realtime.transcript
    assert len(proxy.forwarded) == 1 and len(proxy.tunnels) == 1


@pytest.mark.parametrize(
    "no_proxy", ["127.0.0.1", "localhost, 127.0.0.0/8", "*", "example.com,127.0.0.1:{port}"]
)
async def test_no_proxy_connects_directly(
    flavour: str, rt_emulator: Emulator, proxy: LoopbackProxy, clean_env: pytest.MonkeyPatch, no_proxy: str
) -> None:
    clean_env.setenv("HTTP_PROXY", proxy.url)
    clean_env.setenv("HTTPS_PROXY", proxy.url)
    clean_env.setenv("NO_PROXY", no_proxy.format(port=rt_emulator.port))
    assert await exercise(flavour, **urls(rt_emulator)) == rt_emulator.realtime.transcript
    assert proxy.seen == []


async def test_no_proxy_for_another_port_still_proxies(
    flavour: str, rt_emulator: Emulator, proxy: LoopbackProxy, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("HTTP_PROXY", proxy.url)
    clean_env.setenv("NO_PROXY", f"127.0.0.1:{rt_emulator.port + 1}")
    await exercise(flavour, **urls(rt_emulator))
    assert len(proxy.seen) == 2


async def test_trust_env_false_ignores_proxy_variables(
    flavour: str, rt_emulator: Emulator, proxy: LoopbackProxy, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("HTTP_PROXY", proxy.url)
    clean_env.setenv("ALL_PROXY", proxy.url)
    assert await exercise(flavour, trust_env=False, **urls(rt_emulator)) == rt_emulator.realtime.transcript
    assert proxy.seen == []


async def test_trust_env_false_ignores_ssl_cert_file(
    flavour: str, secure_emulator: SecureEmulator, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("SSL_CERT_FILE", str(secure_emulator.ca))
    with pytest.raises(SonioxConnectionError, match=r"CERTIFICATE_VERIFY_FAILED|certificate verify"):
        await exercise(
            flavour, trust_env=False, realtime=False, max_retries=0, **secure_urls(secure_emulator)
        )
    with pytest.raises(SonioxRealtimeError, match=r"CERTIFICATE_VERIFY_FAILED|certificate verify"):
        await exercise(flavour, trust_env=False, rest=False, **secure_urls(secure_emulator))
    # The same file given explicitly is trusted whatever trust_env says.
    verified = await exercise(
        flavour, trust_env=False, verify=str(secure_emulator.ca), **secure_urls(secure_emulator)
    )
    assert verified == secure_emulator.emulator.realtime.transcript


async def test_ssl_cert_dir(
    flavour: str, secure_emulator: SecureEmulator, clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    openssl = shutil.which("openssl")
    assert openssl is not None
    subject_hash = subprocess.run(
        [openssl, "x509", "-hash", "-noout", "-in", str(secure_emulator.ca)],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    shutil.copy(secure_emulator.ca, tmp_path / f"{subject_hash}.0")
    clean_env.setenv("SSL_CERT_DIR", str(tmp_path))
    transcript = await exercise(flavour, **secure_urls(secure_emulator))
    assert transcript == secure_emulator.emulator.realtime.transcript


async def test_explicit_proxy_with_credentials(
    flavour: str, rt_emulator: Emulator, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("NO_PROXY", "*")  # an explicit proxy= ignores the environment, as in httpx
    with LoopbackProxy(credentials=("user", "p@ss:word")) as proxy:
        url = f"http://user:p%40ss%3Aword@127.0.0.1:{proxy.port}"
        assert await exercise(flavour, proxy=url, **urls(rt_emulator)) == rt_emulator.realtime.transcript
        assert proxy.refused == [] and len(proxy.seen) == 2
        assert {seen.credentials for seen in proxy.seen} == {("user", "p@ss:word")}
        # The emulator never sees the proxy's credentials.
        assert all("proxy-authorization" not in {k.lower() for k in r.headers} for r in rt_emulator.requests)


async def test_wrong_credentials_fail_without_showing_them(
    flavour: str, secure_emulator: SecureEmulator, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("SSL_CERT_FILE", str(secure_emulator.ca))
    with LoopbackProxy(credentials=("user", "right")) as proxy:
        clean_env.setenv("HTTPS_PROXY", f"http://user:s3cret-wrong@127.0.0.1:{proxy.port}")
        with pytest.raises(SonioxConnectionError) as rest_error:
            await exercise(flavour, realtime=False, max_retries=0, **secure_urls(secure_emulator))
        with pytest.raises(SonioxRealtimeError) as realtime_error:
            await exercise(flavour, rest=False, **secure_urls(secure_emulator))
        assert len(proxy.refused) == 2 and proxy.seen == []
    assert "407" in str(rest_error.value) and "407" in str(realtime_error.value)
    for error in (rest_error.value, realtime_error.value):
        assert "s3cret-wrong" not in repr(error) and "s3cret-wrong" not in str(error)


async def test_wrong_credentials_on_plain_http_is_the_proxy_answer(
    flavour: str, rt_emulator: Emulator, clean_env: pytest.MonkeyPatch
) -> None:
    with LoopbackProxy(credentials=("user", "right")) as proxy:
        clean_env.setenv("HTTP_PROXY", f"http://user:wrong@127.0.0.1:{proxy.port}")
        # A forwarding proxy answers the request itself: the 407 is the response.
        with pytest.raises(SonioxAPIError) as caught:
            await exercise(flavour, realtime=False, max_retries=0, **urls(rt_emulator))
        assert caught.value.status_code == 407
        assert len(proxy.refused) == 1


@pytest.mark.parametrize("hang_up_abruptly", [True])
async def test_server_hanging_up_without_close_notify_closes_cleanly(
    flavour: str, secure_emulator: SecureEmulator, clean_env: pytest.MonkeyPatch, hang_up_abruptly: bool
) -> None:
    # Python 3.10 reported that EOF from the TLS close exchange as a raw anyio.BrokenResourceError.
    clean_env.setenv("SSL_CERT_FILE", str(secure_emulator.ca))
    transcript = await exercise(flavour, **secure_urls(secure_emulator))
    assert transcript == secure_emulator.emulator.realtime.transcript


async def test_https_proxy_tls_inside_tls(
    flavour: str,
    secure_emulator: SecureEmulator,
    proxy: LoopbackProxy,
    clean_env: pytest.MonkeyPatch,
    certificates: tuple[Path, Path, Path],
) -> None:
    ca, cert, key = certificates
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    clean_env.setenv("SSL_CERT_FILE", str(ca))  # trusted for the proxy and the server alike
    with TLSFront(proxy.port, context) as proxy_front:
        clean_env.setenv("HTTPS_PROXY", f"https://127.0.0.1:{proxy_front.port}")
        if flavour == "sync":
            # The stdlib socket cannot run TLS inside TLS: REST (httpcore) can, realtime says so.
            await exercise(flavour, realtime=False, **secure_urls(secure_emulator))
            with pytest.raises(SonioxRealtimeError, match="needs the async client"):
                await exercise(flavour, rest=False, **secure_urls(secure_emulator))
            assert len(proxy.tunnels) == 1
            return
        transcript = await exercise(flavour, **secure_urls(secure_emulator))
    assert transcript == secure_emulator.emulator.realtime.transcript
    assert len(proxy.tunnels) == 2
