"""End to end: uvicorn (one worker, no access log) on loopback, driven by wrk.

Both servers (bare app, app with the middleware) run side by side for the whole run, so the wrk runs can be
interleaved (bare, consent, bare, consent, ...) without restarts. With two or more cores and ``taskset``, the
servers share core 0 and wrk gets core 1 (only one server is loaded at a time).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def available() -> str | None:
    """None if wrk can run, else why not."""
    if shutil.which("wrk") is None:
        return "wrk not installed (apt-get install -y wrk)"
    try:
        import uvicorn  # noqa: F401
    except ImportError:
        return "uvicorn not installed"
    return None


def _cpus() -> list[int]:
    try:
        return sorted(os.sched_getaffinity(0))
    except AttributeError:
        return list(range(os.cpu_count() or 1))


def pinning() -> tuple[list[str], list[str], str]:
    """taskset prefixes for the server and for wrk, and a description."""
    cpus = _cpus()
    if shutil.which("taskset") and len(cpus) >= 2:
        return (
            ["taskset", "-c", str(cpus[0])],
            ["taskset", "-c", str(cpus[1])],
            f"uvicorn on CPU {cpus[0]}, wrk on CPU {cpus[1]} (taskset)",
        )
    return [], [], "not pinned (taskset missing or a single CPU)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    name: str
    port: int
    proc: subprocess.Popen[bytes]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start(name: str, factory: str, prefix: list[str]) -> Server:
    port = _free_port()
    cmd = prefix + [
        sys.executable,
        "-m",
        "uvicorn",
        f"benchmarks.apps:{factory}",
        "--factory",
        "--app-dir",
        str(HERE.parent),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    # cwd=HERE: `python -m` puts the cwd first on sys.path; the server must import the same consent as we do.
    proc = subprocess.Popen(cmd, cwd=HERE.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = Server(name, port, proc)
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise RuntimeError(f"uvicorn ({name}) exited: {err[-2000:]}")
        try:
            with urllib.request.urlopen(server.url("/api/items"), timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"uvicorn ({name}) did not come up")
        time.sleep(0.1)


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not m:
        raise ValueError(text)
    return float(m[1]) * _UNITS[m[2]]


def wrk(
    url: str, prefix: list[str], *, seconds: int, threads: int, connections: int, headers: list[str]
) -> dict[str, Any]:
    cmd = prefix + ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for h in headers:
        cmd += ["-H", h]
    cmd.append(url)
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    out = res.stdout
    rps = re.search(r"Requests/sec:\s*([\d.]+)", out)
    p99 = re.search(r"^\s*99%\s+(\S+)", out, re.M)
    p50 = re.search(r"^\s*50%\s+(\S+)", out, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    errors = re.search(r"Socket errors:(.*)", out)
    if res.returncode != 0 or not rps or not p99:
        raise RuntimeError(f"wrk failed ({res.returncode}): {out}\n{res.stderr}")
    return {
        "rps": float(rps[1]),
        "p50_ms": _ms(p50[1]) if p50 else None,
        "p99_ms": _ms(p99[1]),
        "non_2xx": int(non2xx[1]) if non2xx else 0,
        "socket_errors": errors[1].strip() if errors else "",
    }


BROWSER = [
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language: en-US,en;q=0.9",
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
]


def run(
    *,
    consent_cookie: str,
    other_cookies: str,
    seconds: int = 5,
    rounds: int = 3,
    threads: int = 2,
    connections: int = 32,
    log=print,
) -> dict[str, Any]:
    server_prefix, wrk_prefix, pin = pinning()
    servers = {
        "bare": start("bare", "make_bare_app", server_prefix),
        "consent": start("consent", "make_consent_app", server_prefix),
    }
    decided = BROWSER + [f"Cookie: {other_cookies}; {consent_cookie}"]
    # (row, server, path, headers); a row's variants are interleaved, rounds times.
    plan = [
        ("/article", "bare", "/article", BROWSER),
        ("/article", "mw_undecided", "/article", BROWSER),
        ("/article", "mw_decided", "/article", decided),
        ("/article-token", "bare", "/article-token", BROWSER),
        ("/article-token", "mw_undecided", "/article-token", BROWSER),
        ("/article-token", "mw_decided", "/article-token", decided),
        ("/api/items", "bare", "/api/items", decided),
        ("/api/items", "mw_undecided", "/api/items", BROWSER),
        ("/api/items", "mw_decided", "/api/items", decided),
    ]
    results: dict[str, dict[str, list[dict[str, Any]]]] = {}
    try:
        for _, variant, path, headers in plan:  # warm up every server and route once
            server = servers["bare" if variant == "bare" else "consent"]
            wrk(server.url(path), wrk_prefix, seconds=1, threads=threads, connections=connections, headers=headers)
        for round_ in range(rounds):
            order = plan if round_ % 2 == 0 else list(reversed(plan))
            for row, variant, path, headers in order:
                server = servers["bare" if variant == "bare" else "consent"]
                r = wrk(
                    server.url(path),
                    wrk_prefix,
                    seconds=seconds,
                    threads=threads,
                    connections=connections,
                    headers=headers,
                )
                log(
                    f"  wrk {row:<11} {variant:<13} round {round_ + 1}: {r['rps']:8.0f} req/s  p99 {r['p99_ms']:.1f} ms"
                )
                results.setdefault(row, {}).setdefault(variant, []).append(r)
    finally:
        for s in servers.values():
            s.stop()
    summary: dict[str, Any] = {
        "pinning": pin,
        "seconds": seconds,
        "rounds": rounds,
        "threads": threads,
        "connections": connections,
        "rows": {},
    }
    for row, variants in results.items():
        out: dict[str, Any] = {}
        for variant, runs in variants.items():
            out[variant] = {
                "rps": statistics.median(r["rps"] for r in runs),
                "p99_ms": statistics.median(r["p99_ms"] for r in runs),
                "p50_ms": statistics.median(r["p50_ms"] for r in runs if r["p50_ms"] is not None),
                "non_2xx": sum(r["non_2xx"] for r in runs),
                "runs": runs,
            }
        for variant in out:
            if variant != "bare":
                out[variant]["rps_vs_bare"] = out[variant]["rps"] / out["bare"]["rps"]
                out[variant]["p99_vs_bare"] = out[variant]["p99_ms"] / out["bare"]["p99_ms"]
        summary["rows"][row] = out
    return summary
