"""The loopback servers the benchmark talks to.

* ``Nginx``: the REST side of the real benchmark, a generated config serving static
  fixtures from ``data.py`` (nginx from Debian's packages).
* ``NodeWs``: the realtime side of the real benchmark, ``ws_server.js`` on node's ``ws``.
* ``PyHttp`` / ``PyWs``: small threaded Python servers with the same routes, used only by
  the smoke test (no nginx or node there). They are far too slow to benchmark against.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench_data import FILE_ID, file_json, page_name

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def find_nginx() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.path.exists(p)), None
    )


# --- nginx ------------------------------------------------------------------------------


def nginx_conf(work: Path, data: Path, port: int) -> str:
    upload_reply = json.dumps(file_json(), separators=(",", ":"))
    user = "user root;\n" if os.geteuid() == 0 else ""
    tmp = work / "nginx-tmp"
    return f"""{user}worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 4096; multi_accept on; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    types {{ }}
    default_type application/json;
    charset off;
    etag off;
    server_tokens off;
    sendfile on;
    tcp_nodelay on;
    keepalive_requests 10000000;
    keepalive_timeout 300s;
    open_file_cache max=1000 inactive=600s;
    open_file_cache_valid 600s;
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        root {data};
        # GET: one page of the file list, the cursor names the static page.
        # POST: an upload. `return` makes nginx read and discard the whole body
        # (the runner checks the worker's read byte counter, Nginx.bytes_read).
        location = /v1/files {{
            client_max_body_size 2g;
            lingering_time 600s;
            lingering_timeout 60s;
            if ($request_method = POST) {{
                return 201 '{upload_reply}';
            }}
            try_files /pages/{page_name("$arg_cursor")} =404;
        }}
        location ~ ^/v1/files/[^/]+$ {{
            try_files /file.json =404;
        }}
        location ~ ^/v1/transcriptions/[^/]+/transcript$ {{
            try_files /transcript.json =404;
        }}
    }}
}}
"""


class Nginx:
    def __init__(self, work: Path, data: Path) -> None:
        self.work = work
        self.data = data
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> None:
        nginx = find_nginx()
        if nginx is None:
            raise RuntimeError("nginx not found; run `benchmarks/run.py --setup-only` first")
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.work / "nginx-tmp" / sub).mkdir(parents=True, exist_ok=True)
        conf = self.work / "nginx.conf"
        conf.write_text(nginx_conf(self.work, self.data, self.port))
        self.proc = subprocess.Popen([nginx, "-p", str(self.work), "-c", str(conf)], stdin=subprocess.DEVNULL)
        wait_port(self.port)

    def bytes_read(self) -> int:
        """Bytes nginx's processes have read so far (sockets included): /proc/PID/io rchar.

        $request_length does not count a discarded body, so this is how the benchmark
        checks that nginx really received every uploaded byte.
        """
        if self.proc is None:
            return 0
        pids = [self.proc.pid]
        with contextlib.suppress(OSError):
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
            pids += [int(p) for p in children.read_text().split()]
        total = 0
        for pid in pids:
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/io").read_text().splitlines():
                    if line.startswith("rchar:"):
                        total += int(line.split()[1])
        return total

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None


class NodeWs:
    def __init__(self, every: int = 1) -> None:
        self.every = every
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/transcribe-websocket"

    def start(self) -> None:
        node = shutil.which("node") or shutil.which("nodejs")
        if node is None:
            raise RuntimeError("node not found; run `benchmarks/run.py --setup-only` first")
        self.proc = subprocess.Popen(
            [node, str(HERE / "ws_server.js"), str(self.port), str(self.every)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        wait_port(self.port)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


# --- Python stand-ins for the smoke test -----------------------------------------------

_FILE_RE = re.compile(r"^/v1/files/[^/?]+$")
_TRANSCRIPT_RE = re.compile(r"^/v1/transcriptions/[^/]+/transcript$")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _PyHttpServer

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        data = self.server.data
        if _FILE_RE.match(path):
            self._send(200, (data / "file.json").read_bytes())
        elif _TRANSCRIPT_RE.match(path):
            self._send(200, (data / "transcript.json").read_bytes())
        elif path == "/v1/files":
            cursor = ""
            for part in query.split("&"):
                key, _, value = part.partition("=")
                if key == "cursor":
                    cursor = value
            page = data / "pages" / page_name(cursor)
            if re.fullmatch(r"c?[0-9]*", cursor) and page.exists():
                self._send(200, page.read_bytes())
            else:
                self._send(400, b'{"error_type":"invalid_cursor","message":"bad cursor"}')
        else:
            self._send(404, b'{"error_type":"not_found","message":"no route"}')

    def _drain_body(self) -> int:
        total = 0
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return total
                left = size
                while left:
                    got = len(self.rfile.read(min(left, 1 << 20)))
                    if not got:
                        return total
                    left -= got
                    total += got
                self.rfile.readline()
        left = int(self.headers.get("Content-Length", "0"))
        while left:
            got = len(self.rfile.read(min(left, 1 << 20)))
            if not got:
                break
            left -= got
            total += got
        return total

    def do_POST(self) -> None:
        if self.path.partition("?")[0] != "/v1/files":
            self._drain_body()
            self._send(404, b'{"error_type":"not_found","message":"no route"}')
            return
        total = self._drain_body()
        self.server.uploads.append((total, 201))
        self._send(201, json.dumps(file_json()).encode())


class _PyHttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, data: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.data = data
        self.uploads: list[tuple[int, int]] = []


@contextlib.contextmanager
def py_http(data: Path) -> Iterator[_PyHttpServer]:
    server = _PyHttpServer(data)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _ws_session(sock: socket.socket, every: int) -> None:
    from websockets.frames import Frame, Opcode
    from websockets.http11 import Request
    from websockets.protocol import State
    from websockets.server import ServerProtocol

    ws = ServerProtocol(max_size=None)
    configured = finished = False
    frames = audio = 0
    parts: list[bytes] = []
    part_is_text = False

    def finish() -> None:
        ms = audio // 32
        msg = {"tokens": [], "final_audio_proc_ms": ms, "total_audio_proc_ms": ms, "finished": True}
        ws.send_text(json.dumps(msg).encode())
        ws.send_close(1000)

    with sock:
        while True:
            try:
                chunk = sock.recv(1 << 16)
            except OSError:
                return
            if chunk:
                ws.receive_data(chunk)
            else:
                ws.receive_eof()
            for event in ws.events_received():
                if isinstance(event, Request):
                    ws.send_response(ws.accept(event))
                    continue
                if not isinstance(event, Frame) or event.opcode in (Opcode.PING, Opcode.PONG):
                    continue
                if event.opcode is Opcode.CLOSE:
                    with contextlib.suppress(OSError):
                        sock.sendall(b"".join(ws.data_to_send()))
                    return
                if event.opcode is not Opcode.CONT:
                    part_is_text = event.opcode is Opcode.TEXT
                parts.append(bytes(event.data))
                if not event.fin:
                    continue
                data = b"".join(parts)
                parts.clear()
                if ws.state is not State.OPEN:
                    continue
                if part_is_text:
                    if not configured:
                        configured = True
                    elif data == b"" and not finished:
                        finished = True
                        finish()
                    continue
                if finished:
                    continue
                if not data:
                    finished = True
                    finish()
                    continue
                frames += 1
                audio += len(data)
                if frames % every == 0:
                    end = audio // 32
                    msg = {
                        "tokens": [
                            {
                                "text": " word",
                                "start_ms": max(0, end - 160),
                                "end_ms": end - 60 if end > 60 else 0,
                                "confidence": 0.9,
                                "is_final": True,
                            },
                            {
                                "text": " next",
                                "start_ms": end,
                                "end_ms": end,
                                "confidence": 0.6,
                                "is_final": False,
                            },
                        ],
                        "final_audio_proc_ms": max(0, end - 60),
                        "total_audio_proc_ms": end,
                    }
                    ws.send_text(json.dumps(msg).encode())
            out = b"".join(ws.data_to_send())
            if out:
                try:
                    sock.sendall(out)
                except OSError:
                    return
            if not chunk:
                return


class PyWs:
    """Threaded server (websockets' sans-I/O protocol) speaking the same protocol subset as ws_server.js."""

    def __init__(self, every: int = 1) -> None:
        self.every = every
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port: int = self.sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/transcribe-websocket"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=_ws_session, args=(conn, self.every), daemon=True).start()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


__all__ = ["FILE_ID", "Nginx", "NodeWs", "PyWs", "free_port", "py_http", "wait_port"]
