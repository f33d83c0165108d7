"""The one benchmark command: set up, serve, run every (workload, client), write the table.

    benchmarks/run.sh                     # everything, 5 repetitions, README table updated
    benchmarks/run.sh --reps 3 -w W1,W2   # a subset
    benchmarks/run.sh --profile W3:ours-sync   # py-spy profile of one runner process

Every (workload, client, repetition) is its own fresh process (``runner.py``); within
one repetition the client order rotates so drift spreads evenly. Medians are taken per
(workload, client) and every ratio compares medians of this same invocation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"
OFFICIAL_VENV = WORK / "venv-official"
OFFICIAL_PIN = "soniox==2.10.0"
TOOLS_VENV = WORK / "venv-tools"
# W7 imports our package where only its declared dependencies are installed (as the
# official SDK is measured in a venv holding only its own): with trio installed,
# httpcore imports trio at import time, which no default install of ours has.
MIN_VENV = WORK / "venv-ours-min"
README = HERE / "README.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"

sys.path.insert(0, str(HERE))

from bench_data import FULL, TINY, Sizes, generate, upload_file  # noqa: E402
from bench_servers import Nginx, NodeWs, find_nginx  # noqa: E402

OURS = ["ours-sync", "ours-asyncio", "ours-trio"]
OFFICIAL = ["official-sync", "official-async"]
FLOOR = ["floor-sync", "floor-asyncio", "floor-trio", "floor-socket"]
ALL_CLIENTS = OURS + OFFICIAL + FLOOR

# Which clients run which workload.
PLAN: dict[str, list[str]] = {
    "W1": ALL_CLIENTS,
    "W2": ["ours-asyncio", "ours-trio", "official-async", "floor-asyncio", "floor-trio"],
    "W3": [
        "ours-sync",
        "ours-asyncio",
        "ours-trio",
        *OFFICIAL,
        "floor-sync",
        "floor-asyncio",
        "floor-socket",
    ],
    "W4": [
        "ours-sync",
        "ours-asyncio",
        "ours-trio",
        *OFFICIAL,
        "floor-sync",
        "floor-asyncio",
        "floor-socket",
    ],
    "W5": [
        "ours-sync",
        "ours-asyncio",
        "ours-trio",
        *OFFICIAL,
        "floor-sync",
        "floor-asyncio",
        "floor-socket",
    ],
    "W6": ["ours-sync", "ours-asyncio", "ours-trio", *OFFICIAL, "floor-socket"],
    "W7": ["ours-sync", "ours-asyncio", "official-sync", "floor-sync", "floor-socket", "ours-sync+trio"],
    "W8": ["ours-asyncio", "ours-trio", "official-async", "floor-asyncio", "floor-trio"],
}
# W8 runs in real time (~65 s a process): fewer repetitions than the others by default.
W8_REPS = 1
TITLES = {
    "W1": "W1 — 3,000 sequential files.get (typed)",
    "W2": "W2 — 64 tasks, one async client, 6,000 files.get",
    "W3": "W3 — transcript of 100,000 tokens",
    "W4": "W4 — upload 1 GiB from disk",
    "W5": "W5 — list_all over 100,000 files (pages of 1,000)",
    "W6": "W6 — realtime: 600 s of 16 kHz PCM in 120 ms chunks",
    "W7": "W7 — cold import of the client package",
    "W8": "W8 — 100 concurrent realtime sessions, 60 s of audio each at real-time pace",
}
# (metric, label, format) shown per workload.
METRICS: dict[str, list[tuple[str, str, str]]] = {
    "W1": [("rps", "req/s", "{:,.0f}"), ("us_per_req", "µs/req", "{:.0f}")],
    "W2": [("rps", "req/s", "{:,.0f}")],
    "W3": [
        ("seconds", "s", "{:.3f}"),
        ("peak_mib", "peak RSS MiB", "{:.1f}"),
        ("growth_mib", "RSS growth MiB", "{:.1f}"),
    ],
    "W4": [
        ("seconds", "s", "{:.3f}"),
        ("cpu_s", "client CPU s", "{:.3f}"),
        ("peak_mib", "peak RSS MiB", "{:.1f}"),
        ("growth_mib", "RSS growth MiB", "{:.1f}"),
    ],
    "W5": [("seconds", "s", "{:.3f}")],
    "W6": [("wall_s", "wall s", "{:.3f}"), ("cpu_s", "CPU s", "{:.3f}")],
    "W7": [("seconds", "ms", "ms")],
    "W8": [
        ("wall_s", "wall s", "{:.1f}"),
        ("cpu_s", "CPU s", "{:.2f}"),
        ("cpu_ms_per_session", "CPU ms/session", "{:.1f}"),
        ("peak_mib", "peak RSS MiB", "{:.1f}"),
        ("kib_per_session", "RSS growth KiB/session", "{:.0f}"),
    ],
}
# The metric the ratio columns use, and whether lower is better.
PRIMARY: dict[str, tuple[str, bool]] = {
    "W1": ("us_per_req", True),
    "W2": ("rps", False),
    "W3": ("seconds", True),
    "W4": ("seconds", True),
    "W5": ("seconds", True),
    "W6": ("cpu_s", True),
    "W7": ("seconds", True),
    "W8": ("cpu_s", True),
}
# W10/W11 (TTS memory) run bench_w10_tts_rest.py / bench_w11_tts_realtime.py, each sample
# with its own emulator process; their tables live in bench_tts_common.
import bench_tts_common as tts  # noqa: E402

tts.register(PLAN, TITLES, METRICS, PRIMARY)


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- setup --------------------------------------------------------------------------------


def _root_cmd(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return cmd
    sudo = shutil.which("sudo")
    if sudo is None:
        raise SystemExit(f"need root (or sudo) to run: {' '.join(cmd)}")
    return [sudo, *cmd]


def _apt_install(*packages: str) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = _root_cmd(["apt-get", "install", "-y", "-q", *packages])
    if subprocess.run(install, env=env, check=False).returncode != 0:
        subprocess.run(_root_cmd(["apt-get", "update", "-q"]), env=env, check=True)
        subprocess.run(install, env=env, check=True)


def ours_python() -> str:
    return os.environ.get("BENCH_PYTHON", sys.executable)


def official_python() -> Path:
    return OFFICIAL_VENV / "bin" / "python"


def setup(sizes: Sizes) -> tuple[Path, Path]:
    WORK.mkdir(exist_ok=True)
    if find_nginx() is None:
        log("installing nginx (Debian package)")
        _apt_install("nginx-light" if _apt_has("nginx-light") else "nginx")
    if shutil.which("ss") is None:
        log("installing iproute2 (ss, used to verify uploads reach the server)")
        _apt_install("iproute2")
    if shutil.which("node") is None or shutil.which("npm") is None:
        log("installing nodejs + npm (Debian packages)")
        _apt_install("nodejs", "npm")
    node_dir = WORK / "node"
    if not (node_dir / "node_modules" / "ws").is_dir():
        log("installing the ws package from npm")
        node_dir.mkdir(exist_ok=True)
        (node_dir / "package.json").write_text('{"name": "bench-ws", "private": true}\n')
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "ws@8"], cwd=node_dir, check=True)
    import tomllib

    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    stamp = MIN_VENV / "deps.json"
    if not stamp.exists() or json.loads(stamp.read_text()) != deps:
        log(f"creating {MIN_VENV.relative_to(REPO)} with {', '.join(deps)} (W7)")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(MIN_VENV)], check=True)
        subprocess.run([str(MIN_VENV / "bin" / "python"), "-m", "pip", "install", "-q", *deps], check=True)
        stamp.write_text(json.dumps(deps))
    if not _official_ok():
        log(f"creating {OFFICIAL_VENV.relative_to(REPO)} with {OFFICIAL_PIN}")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(OFFICIAL_VENV)], check=True)
        subprocess.run([str(official_python()), "-m", "pip", "install", "-q", OFFICIAL_PIN], check=True)
    log("generating fixtures")
    data = generate(WORK, sizes)
    upload = upload_file(WORK, sizes.w4_bytes)
    return data, upload


def _apt_has(package: str) -> bool:
    out = subprocess.run(["apt-cache", "show", package], capture_output=True, check=False)
    return out.returncode == 0 and bool(out.stdout)


def _official_ok() -> bool:
    if not official_python().exists():
        return False
    probe = "import importlib.metadata as m; print(m.version('soniox'))"
    out = subprocess.run([str(official_python()), "-c", probe], capture_output=True, text=True, check=False)
    return out.stdout.strip() == OFFICIAL_PIN.split("==")[1]


def available_clients() -> tuple[list[str], list[str]]:
    """Clients whose packages import here, and notes about the ones skipped."""
    notes: list[str] = []
    ok = [*OFFICIAL, "floor-sync", "floor-asyncio", "floor-socket"]
    env = runner_env()
    py = ours_python()

    def importable(mod: str) -> bool:
        return (
            subprocess.run([py, "-c", f"import {mod}"], env=env, capture_output=True, check=False).returncode
            == 0
        )

    has_trio = importable("trio")
    if has_trio:
        ok.append("floor-trio")
    if importable("soniox_sync"):
        ok.append("ours-sync")
        if has_trio:
            ok.append("ours-sync+trio")
    else:
        notes.append("ours-sync skipped: soniox_sync does not import")
    if importable("soniox_async"):
        ok.append("ours-asyncio")
        if has_trio:
            ok.append("ours-trio")
    else:
        notes.append("ours-asyncio/ours-trio skipped: soniox_async does not import")
    return [c for c in [*ALL_CLIENTS, "ours-sync+trio"] if c in ok], notes


def runner_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), str(HERE)])
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


# --- running ------------------------------------------------------------------------------


@dataclass
class Ctx:
    http: str
    ws: str
    sizes: Sizes
    upload: Path
    timeout: float = 600.0


def runner_cmd(workload: str, client: str, ctx: Ctx) -> list[str]:
    if workload in tts.TTS_WORKLOADS:
        return tts.command(workload, client, ours_python(), official_python(), tiny=ctx.sizes == TINY)
    py = str(official_python()) if client.startswith("official") else ours_python()
    if workload == "W7":
        if not client.startswith("official") and client != "ours-sync+trio":
            py = str(MIN_VENV / "bin" / "python")
        return [py, str(HERE / "runner.py"), "W7", client]
    return [
        py,
        str(HERE / "runner.py"),
        workload,
        client,
        "--http",
        ctx.http,
        "--ws",
        ctx.ws,
        "--sizes",
        ctx.sizes.to_json(),
        "--upload",
        str(ctx.upload),
    ]


def run_one(workload: str, client: str, ctx: Ctx) -> dict[str, float]:
    cmd = runner_cmd(workload, client, ctx)
    proc = subprocess.run(
        cmd, env=runner_env(), capture_output=True, text=True, timeout=ctx.timeout, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{workload}/{client} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    line = proc.stdout.strip().splitlines()[-1]
    metrics: dict[str, float] = json.loads(line)["metrics"]
    if workload == "W4":
        got = metrics.get("server_bytes_received")
        if got is not None and (got < ctx.sizes.w4_bytes or metrics.get("server_recv_q") != 0):
            raise RuntimeError(f"W4/{client}: server read only {got} bytes")
    return metrics


@dataclass
class Results:
    samples: dict[str, dict[str, list[dict[str, float]]]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def add(self, workload: str, client: str, metrics: dict[str, float]) -> None:
        self.samples.setdefault(workload, {}).setdefault(client, []).append(metrics)

    def median(self, workload: str, client: str, metric: str) -> float | None:
        rows = self.samples.get(workload, {}).get(client, [])
        vals = [r[metric] for r in rows if metric in r]
        return statistics.median(vals) if vals else None


def run_all(workloads: list[str], clients: list[str], reps: int, ctx: Ctx, w8_reps: int = W8_REPS) -> Results:
    res = Results()
    for rep in range(max(reps, w8_reps if "W8" in workloads else 0)):
        for workload in workloads:
            todo = [c for c in PLAN[workload] if c in clients]
            if not todo or rep >= (w8_reps if workload == "W8" else reps):
                continue
            shift = rep % len(todo)
            # An import is one short sample per process: W7 takes three per repetition.
            for client in (todo[shift:] + todo[:shift]) * (3 if workload == "W7" else 1):
                try:
                    metrics = run_one(workload, client, ctx)
                except (RuntimeError, subprocess.TimeoutExpired) as exc:
                    res.failures.append(str(exc).splitlines()[0])
                    log(f"FAILED {exc}")
                    continue
                res.add(workload, client, metrics)
                p, _ = PRIMARY[workload]
                log(f"rep {rep + 1} {workload} {client:15s} {p}={metrics.get(p, 0):.6g}")
    return res


# --- report -------------------------------------------------------------------------------


def official_peer(client: str) -> str:
    return "official-sync" if client in ("ours-sync", "floor-sync", "floor-socket") else "official-async"


def floor_peer(workload: str, client: str) -> str:
    if workload == "W4":
        return "floor-socket"
    return {"ours-sync": "floor-sync", "ours-asyncio": "floor-asyncio", "ours-trio": "floor-trio"}.get(
        client, ""
    )


def ratio(res: Results, workload: str, a: str, b: str) -> float | None:
    """How many times better ``a`` is than ``b`` on the primary metric (>1 = a better)."""
    metric, lower = PRIMARY[workload]
    va, vb = res.median(workload, a, metric), res.median(workload, b, metric)
    if va is None or vb is None or va == 0 or vb == 0:
        return None
    return vb / va if lower else va / vb


def _fmt(fmt: str, v: float | None) -> str:
    if v is None:
        return "—"
    if fmt == "ms":
        return f"{v * 1000:.1f}"
    return fmt.format(v)


def _r(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}x"


@dataclass
class Target:
    text: str
    value: float | None
    limit: float
    at_most: bool
    unit: str = "x"

    @property
    def met(self) -> bool | None:
        if self.value is None:
            return None
        return self.value <= self.limit if self.at_most else self.value >= self.limit

    def row(self) -> str:
        state = {True: "met", False: "**MISSED**", None: "not measured"}[self.met]
        v = "—" if self.value is None else f"{self.value:.2f}{self.unit}"
        op = "≤" if self.at_most else "≥"
        return f"| {self.text} | {v} | {op} {self.limit:g}{self.unit} | {state} |"


def targets(res: Results) -> list[Target]:
    med = res.median
    out: list[Target] = [Target(*t) for t in tts.targets(med)]

    def per_req(c: str, f: str) -> float | None:
        a, b = med("W1", c, "us_per_req"), med("W1", f, "us_per_req")
        return None if a is None or b is None else a / b

    for c, f in (("ours-sync", "floor-sync"), ("ours-asyncio", "floor-asyncio"), ("ours-trio", "floor-trio")):
        out.append(Target(f"W1 {c} time/request vs {f}", per_req(c, f), 1.15, True))
    for c in ("ours-asyncio", "ours-trio"):
        out.append(
            Target(f"W2 {c} throughput vs official-async", ratio(res, "W2", c, "official-async"), 1.2, False)
        )
    for c in ("ours-sync", "ours-asyncio", "ours-trio"):
        o = official_peer(c)
        out.append(Target(f"W3 {c} speed-up vs {o}", ratio(res, "W3", c, o), 8, False))
        a, b = med("W3", c, "peak_mib"), med("W3", o, "peak_mib")
        out.append(
            Target(f"W3 {c} peak RSS / {o} peak RSS", None if a is None or b is None else a / b, 0.5, True)
        )
    for c in ("ours-sync", "ours-asyncio", "ours-trio"):
        o = official_peer(c)
        a, b = med("W4", c, "peak_mib"), med("W4", o, "peak_mib")
        out.append(
            Target(f"W4 {c} peak RSS / {o} peak RSS", None if a is None or b is None else a / b, 1.0, True)
        )
        out.append(Target(f"W4 {c} RSS growth during upload", med("W4", c, "growth_mib"), 8, True, " MiB"))
        a, b = med("W4", c, "seconds"), med("W4", "floor-socket", "seconds")
        out.append(
            Target(f"W4 {c} time / floor-socket time", None if a is None or b is None else a / b, 1.3, True)
        )
    for c in ("ours-sync", "ours-asyncio", "ours-trio"):
        o = official_peer(c)
        out.append(Target(f"W5 {c} speed-up vs {o}", ratio(res, "W5", c, o), 3, False))
    for c in ("ours-sync", "ours-asyncio", "ours-trio"):
        o = official_peer(c)
        a, b = med("W6", c, "cpu_s"), med("W6", o, "cpu_s")
        out.append(Target(f"W6 {c} CPU / {o} CPU", None if a is None or b is None else a / b, 0.8, True))
    for c in ("ours-asyncio", "ours-trio"):
        for metric, what in (("cpu_s", "CPU"), ("kib_per_session", "RSS growth per session")):
            a, b = med("W8", c, metric), med("W8", "official-async", metric)
            out.append(
                Target(
                    f"W8 {c} {what} / official-async {what}",
                    None if a is None or b is None or b <= 0 else a / b,
                    0.5,
                    True,
                )
            )
    for c in ("ours-sync", "ours-asyncio"):
        a, b = med("W7", c, "seconds"), med("W7", "official-sync", "seconds")
        out.append(
            Target(
                f"W7 import {c.replace('ours-', 'soniox_')} / import soniox",
                None if a is None or b is None else a / b,
                0.65,
                True,
            )
        )
    return out


def render(res: Results, meta: dict[str, Any]) -> str:
    lines = [
        f"Measured {meta['date']} on {meta['machine']}.",
        "",
        f"Command: `{meta['command']}` ({meta['reps']} repetitions, W8 {meta.get('w8_reps', W8_REPS)}; "
        "each a fresh process per workload and client; medians shown; every ratio compares "
        "medians of this one run).",
        "",
        "Ratio columns: how many times better than the official SDK client of the same "
        "flavour (sync vs sync, async vs async) and than the floor of our own stack "
        "(raw httpcore pool of the same flavour; for W4 the raw socket), on the workload's "
        "primary metric (W1 time/request, W2 req/s, W3/W4/W5 seconds, W6 CPU seconds, "
        "W7 import time, W8 CPU seconds). Above 1 means ahead.",
        "",
    ]
    for workload in PLAN:
        if workload not in res.samples:
            continue
        cols = METRICS[workload]
        lines.append(f"#### {TITLES[workload]}")
        lines.append("")
        head = ["client", *(label for _, label, _ in cols), "vs official", "vs floor", "n"]
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "---|" * len(head))
        for client in PLAN[workload]:
            rows = res.samples[workload].get(client)
            if not rows:
                continue
            vals = [_fmt(fmt, res.median(workload, client, m)) for m, _, fmt in cols]
            vo = (
                ratio(res, workload, client, official_peer(client))
                if not client.startswith("official")
                else None
            )
            fp = floor_peer(workload, client)
            vf = ratio(res, workload, client, fp) if fp else None
            lines.append(f"| {client} | " + " | ".join(vals) + f" | {_r(vo)} | {_r(vf)} | {len(rows)} |")
        lines.append("")
    lines.append("#### Targets")
    lines.append("")
    lines.append("| target | measured | goal | status |")
    lines.append("|---|---|---|---|")
    lines.extend(t.row() for t in targets(res))
    if res.failures:
        lines.append("")
        lines.append("Failures during this run:")
        lines.extend(f"- `{f}`" for f in res.failures)
    if meta.get("notes"):
        lines.append("")
        lines.extend(f"- {n}" for n in meta["notes"])
    return "\n".join(lines) + "\n"


def write_readme(table: str) -> None:
    text = README.read_text() if README.exists() else f"{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    README.write_text(f"{head}{BEGIN}\n{table}{END}{tail}")


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu or platform.machine()}), Linux "
        f"{platform.release()}, CPython {platform.python_version()}"
    )


# --- profiling ------------------------------------------------------------------------------


def profile(spec: str, ctx: Ctx) -> None:
    workload, client = spec.split(":")
    spy = TOOLS_VENV / "bin" / "py-spy"
    if not spy.exists():
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS_VENV)], check=True)
        subprocess.run([str(TOOLS_VENV / "bin" / "pip"), "install", "-q", "py-spy"], check=True)
    out_dir = WORK / "profiles"
    out_dir.mkdir(exist_ok=True)
    raw = out_dir / f"{workload}-{client}.txt"
    cmd = [
        str(spy),
        "record",
        "--rate",
        "250",
        "--format",
        "raw",
        "-o",
        str(raw),
        "--",
        *runner_cmd(workload, client, ctx),
    ]
    subprocess.run(cmd, env=runner_env(), check=True)
    summarize(raw)


def summarize(raw: Path, top: int = 30) -> None:
    """Self and inclusive sample shares per function from py-spy's collapsed stacks."""
    self_: dict[str, int] = {}
    incl: dict[str, int] = {}
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        total += n
        frames = stack.split(";")
        for f in set(frames):
            incl[f] = incl.get(f, 0) + n
        self_[frames[-1]] = self_.get(frames[-1], 0) + n
    print(f"{raw}: {total} samples")
    print("-- self --")
    for f, n in sorted(self_.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{100 * n / total:6.1f}%  {f}")
    print("-- inclusive --")
    for f, n in sorted(incl.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{100 * n / total:6.1f}%  {f}")


# --- main ---------------------------------------------------------------------------------


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("-w", "--workloads", default=",".join(PLAN))
    p.add_argument("-c", "--clients", default="", help="comma list; default: all available")
    p.add_argument("--tiny", action="store_true", help="tiny sizes (a quick check, not results)")
    p.add_argument("--setup-only", action="store_true")
    p.add_argument("--no-readme", action="store_true", help="print the table, leave README")
    p.add_argument("--profile", metavar="WORKLOAD:CLIENT")
    p.add_argument("--ws-every", type=int, default=1, help="W6: one result event per N frames")
    p.add_argument("--w8-reps", type=int, default=W8_REPS, help="repetitions of W8 (real time, ~65 s each)")
    p.add_argument(
        "--render", action="store_true", help="write the last full run's results.json into README again"
    )
    a = p.parse_args()
    if a.render:  # after changing how the table is drawn or the targets, without measuring again
        saved = json.loads((WORK / "results.json").read_text())
        write_readme(render(Results(samples=saved["samples"]), saved["meta"]))
        log("README.md table rewritten from results.json")
        return

    sizes = TINY if a.tiny else FULL
    data, upload = setup(sizes)
    if a.setup_only:
        return
    clients, notes = available_clients()
    if a.clients:
        clients = [c for c in a.clients.split(",") if c in clients]
    workloads = [w for w in a.workloads.split(",") if w in PLAN]

    nginx, ws = Nginx(WORK, data), NodeWs(a.ws_every)
    nginx.start()
    ws.start()
    try:
        ctx = Ctx(nginx.base_url, ws.url, sizes, upload)
        if a.profile:
            profile(a.profile, ctx)
            return
        log(f"clients: {', '.join(clients)}")
        started = dt.datetime.now(dt.timezone.utc)
        res = run_all(workloads, clients, a.reps, ctx, a.w8_reps)
    finally:
        ws.stop()
        nginx.stop()
    meta = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "command": "benchmarks/run.sh" + ("" if len(sys.argv) == 1 else " " + " ".join(sys.argv[1:])),
        "reps": a.reps,
        "w8_reps": a.w8_reps,
        "notes": notes + ([] if not a.tiny else ["tiny sizes: a smoke run, not results"]),
    }
    table = render(res, meta)
    full = not a.tiny and set(workloads) == set(PLAN) and not a.clients
    # results.json keeps the last full run (what --render draws); a partial one goes beside it.
    saved = WORK / ("results.json" if full else "results-partial.json")
    saved.write_text(json.dumps({"meta": meta, "samples": res.samples}, indent=1))
    print(table)
    if not a.no_readme and full:
        write_readme(table)
        log("README.md table updated")


if __name__ == "__main__":
    main()
