"""The asgi-consent benchmark: ``python -m benchmarks.run [--quick] [--corpus DIR] [--no-e2e] [--json PATH]``.

Everything is compared against a baseline measured in the same run (``bytes.replace``, the bare app, the naive
middleware, the rewriter before the rebuild). Prints a table, writes JSON (benchmarks/results.json), and exits
non-zero when a budget is missed. Not part of the test suite, not in the sdist.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

from consent._html import backend as b

from . import e2e, engine, inprocess

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def corpus_dir(explicit: str | None) -> Path | None:
    for candidate in (explicit, os.environ.get("CONSENT_CORPUS"), str(ROOT.parent / "shared" / "corpus" / "pages")):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    import starlette
    import uvicorn

    return {
        "date": datetime.date.today().isoformat(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "starlette": starlette.__version__,
        "uvicorn": uvicorn.__version__,
        "commit": commit.strip(),
        "backends": [x.name for x in b.available()],
    }


def budgets(results: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(what, the figure, met?) for every budget of issue 8 that this run measured."""
    out = []
    rw = results.get("rewriter", {}).get("variants", {})
    if "c" in rw:
        c = rw["c"]
        out.append(("rewriter, compiled: every real page >= 300 MB/s", f"min {c['min']:.0f} MB/s", c["min"] >= 300))
        replace = rw["bytes.replace"]["median"]
        out.append(
            (
                "rewriter, compiled: median >= 1000 MB/s",
                f"median {c['median']:.0f} MB/s (bytes.replace {replace:.0f})",
                c["median"] >= 1000,
            )
        )
    if "pure_slower_than_before" in results.get("rewriter", {}):
        slower = results["rewriter"]["pure_slower_than_before"]
        worst = f"worst {slower[0][1]:.2f}x on {slower[0][0]}" if slower else "none"
        out.append(("rewriter, pure Python: no page slower than before", f"{len(slower)} slower; {worst}", not slower))
    for name, mem in results.get("memory", {}).items():
        peak = mem["extra_peak_bytes"]
        out.append((f"memory, {name}: 50 MB stream < 2 MB extra", f"{peak / 1e6:.2f} MB", peak < 2_000_000))
    st = results.get("streamed")
    if st:
        out.append(("middleware, streamed 16 KB: <= 1.5x naive (median page)", f"{st['median_vs_naive']:.3f}x",
                    st["median_vs_naive"] <= 1.5))  # fmt: skip
    wh = results.get("whole")
    if wh:
        for label in ("tiny",):
            fixed = max(wh[f"{label}_us"]["undecided"], wh[f"{label}_us"]["decided"]) - wh[f"{label}_us"]["bare"]
            out.append(("page-independent work per request <= 10 us", f"{fixed:.1f} us", fixed <= 10))
    rows = results.get("e2e", {}).get("rows", {})
    for row, label, floor in (("/article-token", "memo miss", 0.70), ("/article", "repeat", 0.90),
                              ("/api/items", "JSON", 0.98)):  # fmt: skip
        if row in rows:
            worst = min(v["rps_vs_bare"] for k, v in rows[row].items() if k != "bare")
            out.append((f"end to end, {label}: >= {floor:.2f} of bare req/s", f"{worst:.2f}", worst >= floor))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples, no end-to-end part (about a minute)")
    parser.add_argument("--corpus", help="real pages (default: $CONSENT_CORPUS or ../shared/corpus/pages)")
    parser.add_argument("--no-e2e", action="store_true", help="skip uvicorn + wrk")
    parser.add_argument("--json", default=str(HERE / "results.json"))
    parser.add_argument("--wrk-seconds", type=int, default=5)
    args = parser.parse_args(argv)

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    corpus = corpus_dir(args.corpus)
    samples, min_ns = (5, 20_000_000) if args.quick else (11, 40_000_000)
    results: dict[str, Any] = {"machine": machine(), "corpus": str(corpus) if corpus else None}
    log("rewriter throughput (both back ends, before, bytes.replace) ...")
    results["rewriter"] = engine.throughput(corpus, quick=args.quick, log=log)
    log("memory on a 50 MB stream ...")
    results["memory"] = engine.memory(10 if args.quick else 50)
    log("middleware in process, streamed pages ...")
    results["streamed"] = inprocess.streamed(corpus, samples=samples, min_ns=min_ns, log=log)
    log("middleware in process, whole pages, memo, fixed costs ...")
    results["whole"] = inprocess.whole(samples=samples, min_ns=min_ns)
    why_not = e2e.available()
    if not (args.quick or args.no_e2e) and why_not is None:
        log("end to end: uvicorn + wrk ...")
        cookie = "consent=" + inprocess.ConsentCookie(inprocess.ConsentConfig(secret_key=inprocess.SECRET)).dumps(
            {"analytics", "marketing"}, "bench"
        )
        results["e2e"] = e2e.run(
            consent_cookie=cookie, other_cookies="_ga=GA1.1.1.1", seconds=args.wrk_seconds, log=log
        )
    elif why_not:
        log(f"end to end skipped: {why_not}")
    results["budgets"] = [{"what": w, "figure": f, "met": m} for w, f, m in budgets(results)]
    Path(args.json).write_text(json.dumps(results, indent=1, default=str))
    report(results)
    return 0 if all(x["met"] for x in results["budgets"]) else 1


def report(results: dict[str, Any]) -> None:
    m = results["machine"]
    print(f"{m['date']}, {m['cpu']}, {m['cores']} cores, Python {m['python']}, Starlette {m['starlette']}, "
          f"uvicorn {m['uvicorn']}, commit {m['commit']}")  # fmt: skip
    rw = results["rewriter"]
    print(f"\nrewriter, undecided visitor, 16 KB chunks, {rw['pages']} pages over 20 KB (MB/s: min / median / max)")
    for name, v in rw["variants"].items():
        print(f"  {name:<14} {v['min']:8.0f} {v['median']:8.0f} {v['max']:8.0f}   slowest: {v['slowest_page']}")
    for name, row in rw["generated"].items():
        cells = "  ".join(f"{k} {row[k]:.0f}" for k in rw["variants"])
        print(f"  {name:<22} {cells}")
    st, wh = results["streamed"], results["whole"]
    print(f"\nstreamed 16 KB through the middleware, consent / naive: median {st['median_vs_naive']:.2f}x "
          f"(min {st['min_vs_naive']:.2f}, max {st['max_vs_naive']:.2f}, {st['pages']} pages)")  # fmt: skip
    a = wh["article_repeat_us"]
    print(f"whole 80 KB article, repeat view: bare {a['bare']:.1f} us, naive {a['naive']:.1f}, "
          f"consent {a['consent']:.1f} (memo off: {wh['article_memo_off_us']:.1f}, "
          f"so the memo saves {wh['memo_saves_us']:.1f} us)")  # fmt: skip
    t = wh["article_token_us"]
    print(f"whole 80 KB article with a per-request token (memo miss): bare {t['bare']:.1f}, naive {t['naive']:.1f}, "
          f"consent {t['consent']:.1f} us")  # fmt: skip
    for label in ("tiny", "json"):
        x = wh[f"{label}_us"]
        print(f"{label}: bare {x['bare']:.1f} us, undecided {x['undecided']:.1f}, decided {x['decided']:.1f}")
    for name, mem in results["memory"].items():
        print(f"memory, {name}: {mem['extra_peak_bytes'] / 1e6:.2f} MB extra on {mem['megabytes']} MB streamed")
    for row, variants in results.get("e2e", {}).get("rows", {}).items():
        cells = ", ".join(f"{k} {v['rps']:.0f}" + (f" ({v['rps_vs_bare']:.2f})" if k != "bare" else "")
                          for k, v in variants.items())  # fmt: skip
        print(f"e2e {row}: {cells} req/s")
    print("\nbudgets:")
    for x in results["budgets"]:
        print(f"  {'PASS' if x['met'] else 'MISS'}  {x['what']}: {x['figure']}")


if __name__ == "__main__":
    sys.exit(main())
