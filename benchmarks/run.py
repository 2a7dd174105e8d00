"""The asgi-consent benchmark: ``python -m tests.benchmarks.run`` (or ``python tests/benchmarks/run.py``).

Prints a table, writes JSON (tests/benchmarks/results.json, or ``--json PATH``) and exits non-zero when a budget
is missed. For every missed budget it prints a cProfile summary of the workload behind it (``--no-profile``
to skip). See README.md beside this file for what each number means.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_apps  # noqa: E402
import bench_e2e  # noqa: E402
import bench_inprocess as bi  # noqa: E402
import bench_pages  # noqa: E402

REPO = HERE.parents[1]
BENCH_PAGES = ("article", "large", "dense")  # the pages the throughput budgets apply to ("tiny" is for fixed costs)

# Budgets (see README.md).
MIN_MB_S = 300.0
MEDIAN_MB_S = 500.0
DECIDED_NOISE = 1.05
FIXED_US = 10.0
VS_NAIVE = 1.5
PASSTHROUGH_INPROCESS = 1.03
PASSTHROUGH_E2E = 0.97
HTML_E2E = 0.70
MEMORY_EXTRA = 2 * 1024 * 1024
MEMORY_GROWTH = 512 * 1024
ASSETS_GZ = 4096
BANNER_GZ = 2048


# -- machine ---------------------------------------------------------------------------------------------------


def cpu_busy(seconds: float = 1.0) -> float | None:
    """The share of CPU time others spent busy over ``seconds`` (we sleep meanwhile), from /proc/stat."""

    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        return idle, sum(fields[:8])

    try:
        idle0, total0 = sample()
        time.sleep(seconds)
        idle1, total1 = sample()
    except (OSError, ValueError, IndexError):
        return None
    return 1 - (idle1 - idle0) / max(total1 - total0, 1)


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass

    def version(mod: str) -> str | None:
        try:
            from importlib.metadata import version as v

            return v(mod)
        except Exception:
            return None

    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = None
    import consent

    package = Path(consent.__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "consent"], capture_output=True, text=True, timeout=10
        ).stdout.split("\n")
        modified = [line[3:] for line in dirty if line.strip()]
        commit += f" + uncommitted changes in {', '.join(modified)}" if modified else ""
        if package != REPO / "consent":
            commit = f"package imported from {package} (not this work tree, which is at {commit})"
    except Exception:
        commit = None
    wrk = None
    try:
        wrk = (
            subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=10).stdout.split("\n")[0].strip()
            or None
        )
    except Exception:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "cores_usable": affinity,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "starlette": version("starlette"),
        "uvicorn": version("uvicorn"),
        "uvicorn_http": "httptools" if version("httptools") else "h11",
        "uvicorn_loop": "uvloop" if version("uvloop") else "asyncio",
        "asgi_consent": getattr(consent, "__version__", None),
        "commit": commit,
        "consent_package": str(package),
        "wrk": wrk,
        "loadavg_start": os.getloadavg(),
        "cpu_busy_at_start": cpu_busy(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }


# -- budgets ---------------------------------------------------------------------------------------------------


@dataclass
class Budget:
    key: str
    text: str
    value: str
    passed: bool | None  # None: not measured (skipped)
    profile: str | None = None  # which workload explains it

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "budget": self.text,
            "value": self.value,
            "status": "SKIP" if self.passed is None else "PASS" if self.passed else "FAIL",
        }


def budgets(r: dict[str, Any]) -> list[Budget]:
    out: list[Budget] = []
    rw = r["rewriter"]
    mbs = {p: rw[p]["undecided"]["mb_s"] for p in BENCH_PAGES}
    worst = min(mbs, key=mbs.__getitem__)
    out.append(
        Budget(
            "rewriter_min",
            f"Rewriter, undecided visitor: >= {MIN_MB_S:.0f} MB/s on every page",
            f"{mbs[worst]:.0f} MB/s ({worst})",
            mbs[worst] >= MIN_MB_S,
            f"rewriter:{worst}",
        )
    )
    med = statistics.median(mbs.values())
    out.append(
        Budget(
            "rewriter_median",
            f"Rewriter, undecided visitor: median >= {MEDIAN_MB_S:.0f} MB/s",
            f"{med:.0f} MB/s",
            med >= MEDIAN_MB_S,
            "rewriter:article",
        )
    )
    ratios = {p: rw[p]["decided_vs_undecided"] for p in BENCH_PAGES}
    worst = max(ratios, key=ratios.__getitem__)
    out.append(
        Budget(
            "decided_not_slower",
            f"Decided visitor no slower than undecided (time <= {DECIDED_NOISE:.2f}x), every page",
            f"{ratios[worst]:.3f}x ({worst})",
            ratios[worst] <= DECIDED_NOISE,
            f"rewriter_decided:{worst}",
        )
    )
    fc = r["fixed_cost"]
    for visitor in ("decided", "undecided"):
        v = fc[visitor]["us"]
        out.append(
            Budget(
                f"fixed_cost_{visitor}",
                f"Page-independent per-request work, {visitor} visitor: < {FIXED_US:.0f} us",
                f"{v:.1f} us",
                v < FIXED_US,
                f"fixed:{visitor}",
            )
        )
    a = r["per_request"]["/article"]["mw_undecided_vs_naive"]
    out.append(
        Budget(
            "vs_naive",
            f"/article, undecided: <= {VS_NAIVE}x the naive buffering middleware",
            f"{a:.2f}x",
            a <= VS_NAIVE,
            "request:/article:undecided",
        )
    )
    for path, label in (("/api/items", "JSON"), ("/logo.png", "PNG")):
        row = r["per_request"][path]
        v = max(row["mw_undecided_vs_bare"], row["mw_decided_vs_bare"])
        who = "decided" if row["mw_decided_vs_bare"] >= row["mw_undecided_vs_bare"] else "undecided"
        out.append(
            Budget(
                f"passthrough_{label.lower()}",
                f"{label} pass-through in-process: <= {PASSTHROUGH_INPROCESS:.2f}x bare",
                f"{v:.3f}x ({who})",
                v <= PASSTHROUGH_INPROCESS,
                f"request:{path}:{who}",
            )
        )
    e2e = r.get("e2e")
    if e2e and "rows" in e2e:
        row = e2e["rows"]["/api/items"]
        variants = [k for k in row if k != "bare"]
        who = min(variants, key=lambda k: row[k]["rps_vs_bare"])
        v = row[who]["rps_vs_bare"]
        out.append(
            Budget(
                "passthrough_e2e",
                f"JSON pass-through end to end: >= {PASSTHROUGH_E2E:.0%} of bare req/s",
                f"{v:.1%} ({who})",
                v >= PASSTHROUGH_E2E,
                f"request:/api/items:{who.split('_')[1]}",
            )
        )
        row = e2e["rows"]["/article"]
        variants = [k for k in row if k != "bare"]
        who = min(variants, key=lambda k: row[k]["rps_vs_bare"])
        v = row[who]["rps_vs_bare"]
        out.append(
            Budget(
                "html_e2e",
                f"/article end to end: >= {HTML_E2E:.0%} of bare req/s",
                f"{v:.1%} ({who})",
                v >= HTML_E2E,
                f"request:/article:{who.split('_')[1]}",
            )
        )
    else:
        why = (e2e or {}).get("skipped", "skipped")
        out.append(
            Budget(
                "passthrough_e2e", f"JSON pass-through end to end: >= {PASSTHROUGH_E2E:.0%} of bare req/s", why, None
            )
        )
        out.append(Budget("html_e2e", f"/article end to end: >= {HTML_E2E:.0%} of bare req/s", why, None))
    mem = r["memory"]
    big = mem["50MB"]["extra"]
    out.append(
        Budget(
            "memory_50mb",
            f"Peak extra memory streaming 50 MB: < {MEMORY_EXTRA / 2**20:.0f} MB",
            f"{big / 2**20:.2f} MB",
            big < MEMORY_EXTRA,
            "memory",
        )
    )
    growth = big - mem["10MB"]["extra"]
    out.append(
        Budget(
            "memory_flat",
            f"Memory does not grow with size: extra(50 MB) - extra(10 MB) <= {MEMORY_GROWTH // 1024} KB",
            f"{round(growth / 1024):+d} KB",
            growth <= MEMORY_GROWTH,
            "memory",
        )
    )
    c = r["client"]
    out.append(
        Budget(
            "client_assets",
            f"consent.js + consent.css gzipped: <= {ASSETS_GZ} B",
            f"{c['assets_gzip_total']} B",
            c["assets_gzip_total"] <= ASSETS_GZ,
            "client",
        )
    )
    if "guard.js" in c["assets"]:
        out.append(
            Budget(
                "client_assets_guard",
                f"consent.js + consent.css + guard.js gzipped: <= {ASSETS_GZ} B",
                f"{c['all_gzip_total']} B (guard.js {c['assets']['guard.js']['gzip']} B)",
                c["all_gzip_total"] <= ASSETS_GZ,
                "client",
            )
        )
    b = c["banner_en"]["gzip"]
    out.append(
        Budget(
            "client_banner",
            f"Banner HTML (en, as injected) gzipped: <= {BANNER_GZ} B",
            f"{b} B",
            b <= BANNER_GZ,
            "client",
        )
    )
    return out


# -- profiles for missed budgets -------------------------------------------------------------------------------


def _cprofile(fn: Callable[[], Any], title: str, top: int = 10, cumulative: bool = False) -> str:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()

    def table(sort: str, *restrict: Any) -> str:
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf)
        if not restrict:
            stats.strip_dirs()
        stats.sort_stats(sort).print_stats(*restrict)
        text = buf.getvalue()
        start = text.find("   ncalls")  # keep the table only
        text = text[start:] if start >= 0 else text
        return text.replace(str(REPO) + "/", "").replace(sys.prefix + "/", "").rstrip() + "\n"

    out = f"--- cProfile: {title} (top {top} by own time) ---\n" + table("tottime", top)
    if cumulative:
        # The middleware's own functions (and the signer it calls) by cumulative time: which step costs what.
        out += f"--- same run, consent/ and itsdangerous functions by cumulative time (top {top}) ---\n"
        out += table("cumulative", r"consent/|itsdangerous", top)
    return out


def _memory_profile(s: bi.Setup) -> str:
    """The largest live allocations, by line, in the middle of a 50 MB stream through the middleware."""
    snap: list[Any] = []
    count = 0

    async def send(message: dict[str, Any]) -> None:
        nonlocal count
        count += 1
        if count == 400:
            snap.append(tracemalloc.take_snapshot())

    tracemalloc.start(5)
    before = tracemalloc.take_snapshot()
    s.consent.loop.run_until_complete(
        bi._call(s.consent.app, bi.scope("GET", "/stream", s.undecided_headers, b"mb=50"), b"", send)
    )
    tracemalloc.stop()
    if not snap:
        return "--- tracemalloc: no snapshot taken ---\n"
    lines = ["--- tracemalloc: live allocations mid-stream (chunk 400 of 800), top 10 by size ---"]
    for stat in snap[0].compare_to(before, "lineno")[:10]:
        lines.append(f"  {stat}")
    return "\n".join(lines) + "\n"


def profile(key: str, s: bi.Setup, results: dict[str, Any]) -> str:
    kind, _, arg = key.partition(":")
    pages = dict(bench_pages.pages())
    pages["tiny"] = bench_pages.tiny_page()
    if kind in ("rewriter", "rewriter_decided"):
        page = pages[arg]
        decided = kind == "rewriter_decided"
        visitor = "decided" if decided else "undecided"
        snippet = s.reopen if decided else s.banner
        reps = max(1, int(16_000_000 / len(page)))  # ~16 MB of HTML

        def work() -> None:
            for _ in range(reps):
                rw = s.make_rewriter(arg, visitor, snippet)
                rw.feed(page)
                rw.close()

        return _cprofile(work, f"HtmlRewriter, {'decided' if decided else 'undecided'} visitor, /{arg} x{reps}")
    if kind == "fixed":
        # The middleware around a raw ASGI app, so Starlette's own frames don't crowd the table.
        headers = s.decided_headers if arg == "decided" else s.undecided_headers
        _, wrapped = bi.raw_tiny_apps()
        driver = bi.Driver(wrapped)
        run = driver.timed(bi.scope("GET", "/tiny", headers))
        run(100)
        text = _cprofile(
            lambda: run(5000),
            f"GET /tiny, ConsentMiddleware around a raw ASGI app, {arg} visitor, x5000",
            cumulative=True,
        )
        driver.close()
        return text
    if kind == "request":
        path, _, visitor = arg.rpartition(":")
        headers = s.decided_headers if visitor == "decided" else s.undecided_headers
        run = s.consent.timed(bi.scope("GET", path, headers))
        n = 4000 if path in ("/tiny", "/api/items", "/logo.png") else 400
        return _cprofile(
            lambda: run(n),
            f"GET {path} through the middleware, {visitor} visitor, x{n} (in-process)",
            cumulative=path in ("/tiny", "/api/items", "/logo.png"),
        )
    if kind == "memory":
        return _memory_profile(s)
    if kind == "client":
        c = results["client"]
        lines = ["--- client weight ---"]
        for name, f in c["assets"].items():
            lines.append(f"  {name}: {f['bytes']} B, {f['gzip']} B gzipped")
        lines.append(f"  banner (en): {c['banner_en']['bytes']} B, {c['banner_en']['gzip']} B gzipped")
        w = c.get("banner_worst_locale")
        if w:
            lines.append(f"  banner, largest locale ({w['locale']}): {w['bytes']} B, {w['gzip']} B gzipped")
        return "\n".join(lines) + "\n"
    return ""


# -- printing --------------------------------------------------------------------------------------------------


def _ratio(x: float) -> str:
    return f"{x:.2f}x"


def report(r: dict[str, Any], checks: list[str], budget_list: list[Budget]) -> str:
    m = r["machine"]
    L: list[str] = []
    L.append("asgi-consent benchmark")
    load = " ".join(f"{x:.2f}" for x in m["loadavg_start"])
    if m.get("loadavg_end"):
        load += " (at end: " + " ".join(f"{x:.2f}" for x in m["loadavg_end"]) + ")"
    L.append(f"  CPU: {m['cpu']}  cores: {m['cores']} (usable {m['cores_usable']})  load avg 1/5/15 min: {load}")
    busy = m.get("cpu_busy_at_start")
    if busy is not None:
        L[-1] += f"  CPU busy before the run: {busy:.0%}"
        if busy > 0.2:
            L.append(
                "  NOTE: other work was running when the run started: expect noise, compare ratios, rerun when idle"
            )
    L.append(
        f"  Python {m['python']} ({m['implementation']})  starlette {m['starlette']}  uvicorn {m['uvicorn']} "
        f"({m['uvicorn_http']}, {m['uvicorn_loop']})  asgi-consent {m['asgi_consent']}"
    )
    L.append(f"  code: {m['commit']}")
    o = r["options"]
    L.append(
        f"  mode: {'quick' if o['quick'] else 'full'}; {o['samples']} interleaved samples per variant, each >= "
        f"{o['min_sample_ms']} ms; medians"
    )
    L.append("")
    L.append("Pages (generated, seeded)")
    L.append(
        f"  {'page':<8} {'bytes':>9} {'tags':>6} {'B/tag':>6} {'inline':>7} {'<img>':>6} {'<script>':>9} "
        f"{'<iframe>':>9} {'marked':>7} {'unmarked trackers':>18}"
    )
    for name, st in r["pages"].items():
        L.append(
            f"  {name:<8} {st['bytes']:>9,} {st['tags']:>6} {st['bytes_per_tag']:>6.1f} {st['inline_share']:>7.1%} "
            f"{st['img']:>6} {st['script']:>9} {st['iframe']:>9} {st['marked']:>7} {st['unmarked_trackers']:>18}"
        )
    L.append(
        "  (inline = bytes inside inline <script>/<style>/JSON-LD; unmarked trackers = GA4, GTM, Meta pixel, "
        "Hotjar, YouTube embed found)"
    )
    L.append("")
    L.append(
        "1. Rewriter throughput, one core (feed(whole page) + close(); MB/s = 10^6 bytes/s; ratio = time vs replace)"
    )
    L.append(
        f"  {'page':<8} {'replace':>9} {'undecided':>10} {'x replace':>10} {'decided':>9} {'x replace':>10} "
        f"{'dec/undec':>10} {'undec 16K chunks':>17}"
    )
    for name, row in r["rewriter"].items():
        chunked = f"{row['undecided_chunked']['mb_s']:.0f}" if "undecided_chunked" in row else "-"
        L.append(
            f"  {name:<8} {row['replace']['mb_s']:>9.0f} {row['undecided']['mb_s']:>10.0f} "
            f"{_ratio(row['undecided_vs_replace']):>10} {row['decided']['mb_s']:>9.0f} "
            f"{_ratio(row['decided_vs_replace']):>10} "
            f"{row['decided_vs_undecided']:>10.3f} {chunked:>17}"
        )
    L.append("  (tiny is informational: a 163-byte page measures per-call overhead, not throughput)")
    L.append("")
    L.append("2. Per-request time, in-process (us per request through the whole Starlette app)")
    L.append(
        f"  {'request':<14} {'bare':>8} {'naive':>8} {'mw undec':>9} {'mw dec':>8} {'undec/bare':>11} {'dec/bare':>9} "
        f"{'undec/naive':>12} {'first view':>11} {'first/naive':>12}"
    )
    for path, row in r["per_request"].items():
        if path == "POST /consent":
            continue
        L.append(
            f"  {'GET ' + path:<14} {row['bare_undecided']['us']:>8.1f} {row['naive']['us']:>8.1f} "
            f"{row['mw_undecided']['us']:>9.1f} {row['mw_decided']['us']:>8.1f} "
            f"{_ratio(row['mw_undecided_vs_bare']):>11} "
            f"{_ratio(row['mw_decided_vs_bare']):>9} {_ratio(row['mw_undecided_vs_naive']):>12} "
            f"{row['mw_undecided_cold']['us']:>11.1f} {_ratio(row['mw_undecided_cold_vs_naive']):>12}"
        )
    row = r["per_request"]["POST /consent"]
    L.append(
        f"  {'POST /consent':<14} {row['bare']['us']:>8.1f} {row['naive']['us']:>8.1f} {row['mw']['us']:>9.1f} {'':>8} "
        f"{_ratio(row['mw_vs_bare']):>11} {'':>9} {_ratio(row['mw_vs_naive']):>12}"
    )
    L.append(
        "  (bare = the Starlette app alone; naive = buffer + bytes.replace middleware; POST /consent: the bare app's"
    )
    L.append(
        "   own handler sets an unsigned cookie, the middleware signs one; decided = valid consent cookie + 3 analytics"
    )
    L.append("   cookies; first view = undecided, with the memo of rewritten pages off: every request rewrites)")
    fc = r["fixed_cost"]
    L.append("")
    L.append("   Page-independent work per request = (mw - bare on /tiny) - rewriter alone on /tiny:")
    for visitor in ("undecided", "decided"):
        f = fc[visitor]
        L.append(f"     {visitor:<10} ({f['mw_minus_bare_us']:.1f} - {f['rewriter_us']:.1f}) = {f['us']:.1f} us")
    fp = r.get("fixed_parts") or {}
    if "middleware around raw app, undecided" in fp:
        raw = fp["raw app (tiny page)"]["us"]
        L.append("   Cross-check, ConsentMiddleware around a raw ASGI app (no Starlette), same subtraction:")
        for visitor in ("undecided", "decided"):
            mw = fp[f"middleware around raw app, {visitor}"]["us"]
            rw_us = r["rewriter"]["tiny"][visitor]["us"]
            L.append(f"     {visitor:<10} ({mw:.1f} - {raw:.1f}) - {rw_us:.1f} = {mw - raw - rw_us:.1f} us")
    if fp:
        L.append("   Some of its parts timed directly (informational, private API):")
        for k, v in fp.items():
            if "raw app" in k or k == "skipped":
                continue
            L.append(f"     {k:<48} {v['us']:>6.2f} us")
        for why in fp.get("skipped", []):
            L.append(f"     (skipped: {why})")
    L.append("")
    L.append("3. Memory: peak traced allocation while streaming HTML in 64 KB chunks (tracemalloc)")
    L.append(f"  {'size':<6} {'bare':>10} {'middleware':>11} {'extra':>10}  banner")
    for size, row in r["memory"].items():
        L.append(
            f"  {size:<6} {row['bare_peak'] / 1024:>8.0f} KB {row['mw_peak'] / 1024:>8.0f} KB "
            f"{row['extra'] / 1024:>7.0f} KB"
            f"  {'injected' if row['banner_injected'] else 'MISSING'}"
        )
    L.append("")
    e2e = r.get("e2e") or {}
    if "rows" in e2e:
        L.append(
            f"4. End to end: uvicorn (1 worker, --no-access-log) + wrk -t{e2e['threads']} -c{e2e['connections']} "
            f"-d{e2e['seconds']}s --latency, {e2e['rounds']} interleaved rounds, medians; {e2e['pinning']}"
        )
        L.append(
            f"  {'request':<15} {'variant':<13} {'req/s':>9} {'x bare':>8} {'p50 ms':>8} {'p99 ms':>8} {'x bare':>8}"
        )
        for path, row in e2e["rows"].items():
            for variant, v in row.items():
                rel = f"{v['rps_vs_bare']:.1%}" if "rps_vs_bare" in v else ""
                rel99 = _ratio(v["p99_vs_bare"]) if "p99_vs_bare" in v else ""
                bad = f"  ({v['non_2xx']} non-2xx)" if v["non_2xx"] else ""
                L.append(
                    f"  {'GET ' + path:<15} {variant:<13} {v['rps']:>9.0f} {rel:>8} {v['p50_ms']:>8.2f} "
                    f"{v['p99_ms']:>8.2f} "
                    f"{rel99:>8}{bad}"
                )
    else:
        L.append(f"4. End to end: skipped ({e2e.get('skipped', 'n/a')})")
    L.append("")
    c = r["client"]
    L.append("5. Client weight (gzip -9)")
    for name, f in c["assets"].items():
        L.append(f"  {name:<12} {f['bytes']:>6} B  {f['gzip']:>5} B gzipped")
    L.append(
        f"  {'banner (en)':<12} {c['banner_en']['bytes']:>6} B  {c['banner_en']['gzip']:>5} B gzipped"
        "  (head links + banner, as injected after <body>)"
    )
    w = c.get("banner_worst_locale")
    if w:
        L.append(
            f"  {'largest':<12} {w['bytes']:>6} B  {w['gzip']:>5} B gzipped  (locale {w['locale']}, of "
            f"{len(c['banner_per_locale'])})"
        )
    L.append("")
    if checks:
        L.append("SANITY CHECKS FAILED (the numbers above may not mean what they say):")
        L += [f"  - {c}" for c in checks]
        L.append("")
    L.append("Budgets")
    for b in budget_list:
        status = "SKIP" if b.passed is None else "PASS" if b.passed else "FAIL"
        L.append(f"  [{status}] {b.text:<78} {b.value}")
    return "\n".join(L)


# -- main ------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer repetitions, shorter samples, no wrk")
    ap.add_argument("--no-e2e", action="store_true", help="skip the uvicorn + wrk runs")
    ap.add_argument("--no-profile", action="store_true", help="don't profile the workloads of missed budgets")
    ap.add_argument("--json", type=Path, default=HERE / "results.json", help="where to write the results")
    ap.add_argument("--samples", type=int, help="samples per variant (default 15, --quick 5)")
    ap.add_argument("--wrk-seconds", type=int, default=5)
    ap.add_argument("--wrk-rounds", type=int, default=3)
    args = ap.parse_args(argv)

    t_start = time.monotonic()
    samples = args.samples or (5 if args.quick else 15)
    min_sample_ns = (20 if args.quick else 50) * 1_000_000
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731 - progress on stderr, table on stdout

    results: dict[str, Any] = {
        "machine": machine(),
        "options": {
            "quick": args.quick,
            "samples": samples,
            "min_sample_ms": min_sample_ns // 1_000_000,
            "e2e": not (args.quick or args.no_e2e),
            "rewriter_chunk": bi.REWRITER_CHUNK,
            "stream_chunk": bench_apps.CHUNK,
        },
    }
    log("generating pages ...")
    pages = dict(bench_pages.pages())
    pages["tiny"] = bench_pages.tiny_page()
    results["pages"] = {name: bench_pages.page_stats(p) for name, p in pages.items()}
    log("starting apps, checking that the middleware does its work ...")
    s = bi.setup()
    log("1. rewriter throughput ...")
    results["rewriter"] = bi.rewriter(s, samples=samples, min_sample_ns=min_sample_ns)
    log("2. per-request time ...")
    results["per_request"] = bi.per_request(s, samples=samples, min_sample_ns=min_sample_ns)
    # Page-independent per-request work: (middleware - bare) on the tiny page, minus the rewriter's own time on that
    # page (measured above with the snippet pre-rendered, so rendering the banner counts as fixed work, as do the
    # cookie check, the Accept-Language negotiation, the header edits and the send wrapper).
    tiny_req = results["per_request"]["/tiny"]
    tiny_rw = results["rewriter"]["tiny"]
    results["fixed_cost"] = {
        visitor: {
            "mw_minus_bare_us": tiny_req[f"mw_{visitor}"]["us"] - tiny_req[f"bare_{visitor}"]["us"],
            "rewriter_us": tiny_rw[visitor]["us"],
            "us": tiny_req[f"mw_{visitor}"]["us"] - tiny_req[f"bare_{visitor}"]["us"] - tiny_rw[visitor]["us"],
        }
        for visitor in ("undecided", "decided")
    }
    results["fixed_parts"] = bi.fixed_parts(s, samples=samples, min_sample_ns=min_sample_ns // 2)
    log("3. memory ...")
    results["memory"] = bi.memory(s)
    results["client"] = bi.client_weight(s)
    if args.quick or args.no_e2e:
        results["e2e"] = {"skipped": "--quick" if args.quick else "--no-e2e"}
    elif (why := bench_e2e.available()) is not None:
        results["e2e"] = {"skipped": why}
    else:
        log("4. end to end (uvicorn + wrk) ...")
        results["e2e"] = bench_e2e.run(
            consent_cookie=s.consent_cookie,
            other_cookies=bi.OTHER_COOKIES,
            seconds=args.wrk_seconds,
            rounds=args.wrk_rounds,
            log=log,
        )
    results["machine"]["loadavg_end"] = os.getloadavg()
    results["checks"] = s.checks
    budget_list = budgets(results)
    results["budgets"] = [b.to_json() for b in budget_list]
    print(report(results, s.checks, budget_list))

    failed = [b for b in budget_list if b.passed is False]
    profiles: dict[str, str] = {}
    if failed and not args.no_profile:
        log("profiling the workloads behind missed budgets ...")
        for b in failed:
            if b.profile and b.profile not in profiles:
                profiles[b.profile] = profile(b.profile, s, results)
        print("\nWhere the time goes, for each missed budget")
        shown: dict[str, str] = {}
        for b in failed:
            if not b.profile:
                continue
            print(f"\n[{b.key}] {b.text}: {b.value}")
            if b.profile in shown:
                print(f"  (same workload as [{shown[b.profile]}] above)")
            else:
                shown[b.profile] = b.key
                print(profiles[b.profile].rstrip())
    results["profiles"] = profiles
    results["duration_s"] = round(time.monotonic() - t_start, 1)
    print(
        f"\n{len(budget_list) - len(failed)} of {len(budget_list)} budgets met"
        f"{'' if not failed else ', missed: ' + ', '.join(b.key for b in failed)}; "
        f"{'sanity checks FAILED; ' if s.checks else ''}took {results['duration_s']:.0f} s; results in {args.json}"
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1, default=str) + "\n")
    for d in (s.bare, s.consent, s.naive):
        d.close()
    return 1 if failed or s.checks else 0


if __name__ == "__main__":
    sys.exit(main())
