"""What W10 (REST TTS) and W11 (realtime TTS) share: the emulator process, peak-RSS probes, the loop.

Each benchmark script has three modes:

- ``script.py [--reps N] [--official-python PATH] [--tiny]``: every client, a Markdown
  table of medians (the standalone command);
- ``script.py --one CLIENT [--official-python PATH] [--tiny]``: one measured process of
  one client, printed as ``{"workload", "client", "metrics"}`` (what ``run.py`` calls);
- ``script.py --child CLIENT URLS OUT SIZE``: the measured process itself.

The emulator runs in its own process (``--serve`` here, with our interpreter), so its
memory is not counted, and with the per-stream limit raised for the 30-minute stream.
This module imports only the standard library, since the child side also runs in the
official SDK's venv (the script's directory is on its ``sys.path``).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
OFFICIAL_CANDIDATES = [
    HERE / ".work" / "venv-official" / "bin" / "python",
    Path("/tmp/soniox-official-venv/bin/python"),
]
API_KEY = "bench-key"
TARGET_MIB = 16.0
OURS = ["ours-sync", "ours-asyncio", "ours-trio"]
OFFICIAL = ["official-sync", "official-async"]
# The realtime stream of W11 lasts longer than the service's 2-minute default limit
# that the emulator imitates; the service allows long streams fed as text arrives.
MAX_STREAM_SEC = 24 * 3600.0


def status_kib(field: str) -> int:
    """A ``/proc/self/status`` field in KiB (``VmRSS:``, ``VmHWM:``)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def reset_peak() -> None:
    """Make ``VmHWM`` start again from the current RSS."""
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")


def client_kwargs(urls: dict[str, str]) -> dict[str, str]:
    """The constructor arguments both SDKs take to talk to the emulator."""
    return {"api_key": API_KEY, **urls}


# --- the emulator process -----------------------------------------------------------------


def serve() -> None:
    """Run the emulator until standard input closes; print its URLs as one JSON line."""
    from soniox_emulator import Emulator

    emulator = Emulator(api_key=API_KEY)
    emulator.tts_realtime.max_stream_sec = MAX_STREAM_SEC
    emulator.start()
    try:
        urls = {
            "api_base_url": emulator.api_base_url,
            "websocket_base_url": emulator.websocket_base_url,
            "tts_api_base_url": emulator.tts_api_base_url,
            "tts_websocket_base_url": emulator.tts_websocket_base_url,
        }
        print(json.dumps(urls), flush=True)
        sys.stdin.read()
    finally:
        emulator.stop()


class EmulatorProcess:
    """``with EmulatorProcess() as urls:`` the emulator in a child process of our interpreter."""

    def __enter__(self) -> str:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.kill()
            raise SystemExit("the emulator did not start")
        return line.strip()

    def __exit__(self, *exc: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- the parent side ------------------------------------------------------------------------


def official_python(given: str | None) -> Path | None:
    """The official SDK's interpreter: ``given``, else the first known venv that exists."""
    for candidate in [Path(given)] if given else OFFICIAL_CANDIDATES:
        if candidate.exists():
            return candidate
    return None


def run_child(
    script: str, client: str, urls: str, out: str, size: str, official: Path | None, timeout: float
) -> dict[str, float]:
    """One fresh measured process; its metrics."""
    python = str(official) if client in OFFICIAL and official else sys.executable
    run = subprocess.run(
        [python, script, "--child", client, urls, out, size],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"{client} failed ({run.returncode}):\n{run.stderr[-3000:]}")
    metrics: dict[str, float] = json.loads(run.stdout.strip().splitlines()[-1])["metrics"]
    return metrics


def _arg(argv: list[str], name: str) -> str | None:
    return argv[argv.index(name) + 1] if name in argv else None


def main(
    argv: list[str],
    *,
    workload: str,
    script: str,
    size: Callable[[bool], str],
    title: Callable[[bool], str],
    columns: list[tuple[str, str, str]],
    child: Callable[[str, dict[str, str], str, str], dict[str, float]],
    timeout: float,
) -> int:
    """The script's command line (see the module docstring)."""
    if argv and argv[0] == "--child":
        client, urls, out, arg = argv[1:5]
        metrics = child(client, json.loads(urls), out, arg)
        print(json.dumps({"client": client, "metrics": metrics}))
        return 0
    tiny = "--tiny" in argv
    official = official_python(_arg(argv, "--official-python"))
    one = _arg(argv, "--one")
    if one is not None:
        if one in OFFICIAL and official is None:
            raise SystemExit("no official SDK venv (--official-python)")
        with EmulatorProcess() as urls, tempfile.TemporaryDirectory() as work:
            metrics = run_child(script, one, urls, os.path.join(work, "out"), size(tiny), official, timeout)
        print(json.dumps({"workload": workload, "client": one, "metrics": metrics}))
        return 0
    reps = int(_arg(argv, "--reps") or 3)
    clients = OURS + (OFFICIAL if official else [])
    results: dict[str, list[dict[str, float]]] = {c: [] for c in clients}
    with EmulatorProcess() as urls, tempfile.TemporaryDirectory() as work:
        for _ in range(reps):
            for client in clients:
                out = os.path.join(work, client)
                results[client].append(run_child(script, client, urls, out, size(tiny), official, timeout))
                os.unlink(out)
    print(f"{title(tiny)}, median of {reps} fresh processes\n")
    head = ["client", *(label for _, label, _ in columns), f"< {TARGET_MIB:g} MiB"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for client, runs in results.items():
        cells = [fmt.format(statistics.median(r[key] for r in runs)) for key, _, fmt in columns]
        growth = statistics.median(r["growth_mib"] for r in runs)
        verdict = ("yes" if growth < TARGET_MIB else "NO") if client in OURS else "-"
        print(f"| {client} | " + " | ".join(cells) + f" | {verdict} |")
    return 0


# --- run.py's registration ---------------------------------------------------------------

SCRIPTS = {"W10": "bench_w10_tts_rest.py", "W11": "bench_w11_tts_realtime.py"}
TTS_WORKLOADS = list(SCRIPTS)
TTS_CLIENTS = OURS + OFFICIAL


def register(
    plan: dict[str, list[str]],
    titles: dict[str, str],
    metrics: dict[str, list[tuple[str, str, str]]],
    primary: dict[str, tuple[str, bool]],
) -> None:
    """Add W10 and W11 to ``run.py``'s tables (kept here so run.py needs only a few lines)."""
    titles["W10"] = "W10 — tts.generate_to_file of a 5,000-character text (memory)"
    titles["W11"] = "W11 — realtime TTS: a 30-minute stream written to a file (memory)"
    metrics["W10"] = [
        ("seconds", "s", "{:.2f}"),
        ("cpu_s", "CPU s", "{:.2f}"),
        ("audio_mib", "audio MiB", "{:.1f}"),
        ("growth_mib", "RSS growth MiB", "{:.1f}"),
    ]
    metrics["W11"] = [
        ("seconds", "wall s", "{:.1f}"),
        ("cpu_s", "CPU s", "{:.2f}"),
        ("audio_bytes", "audio bytes", "{:,.0f}"),
        ("growth_mib", "RSS growth MiB", "{:.1f}"),
    ]
    for workload in TTS_WORKLOADS:
        plan[workload] = list(TTS_CLIENTS)
        primary[workload] = ("growth_mib", True)


def command(workload: str, client: str, ours: str, official: Path, *, tiny: bool) -> list[str]:
    """The ``runner.py``-like command of one (W10/W11, client) sample: its own emulator, one child."""
    cmd = [ours, str(HERE / SCRIPTS[workload]), "--one", client, "--official-python", str(official)]
    return [*cmd, "--tiny"] if tiny else cmd


def targets(
    median: Callable[[str, str, str], float | None],
) -> list[tuple[str, float | None, float, bool, str]]:
    """(text, value, limit, at_most, unit) of each W10/W11 goal, for run.py's ``Target``."""
    out: list[tuple[str, float | None, float, bool, str]] = []
    for workload in TTS_WORKLOADS:
        for client in OURS:
            peer = "official-sync" if client == "ours-sync" else "official-async"
            growth, theirs = median(workload, client, "growth_mib"), median(workload, peer, "growth_mib")
            out.append((f"{workload} {client} peak RSS growth", growth, TARGET_MIB, True, " MiB"))
            extra = None if growth is None or theirs is None else growth - theirs
            out.append((f"{workload} {client} RSS growth minus {peer}'s", extra, 1.0, True, " MiB"))
    return out


if __name__ == "__main__" and sys.argv[1:] == ["--serve"]:
    serve()
