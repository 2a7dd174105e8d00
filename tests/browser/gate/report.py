"""Before and after: the gate suite's pages in Chromium, served by this code and by another install of the
package (by default the code before issues 8 and 9, in /work/wt-before), counting the tracker requests
each case makes before any choice, with JavaScript and (markup cases) without.

    python -m tests.browser.gate.report [--before /path/to/venv/bin/python] [--json report.json]

Not part of the test run (the suite itself is test_gate_cases.py); it prints one line per case and the
totals the README quotes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from ..conftest import ARGS, CHROMIUM
from .case import Case
from .cases import CASES
from .runner import Runner, start_server, stop_server

BEFORE = "/work/wt-before/.venv/bin/python"


def measure(runner: Runner, case: Case, after: bool) -> dict[str, object]:
    """Tracker requests before consent (with JavaScript; without, for markup cases); with ``after``, also
    whether the case's tracker was requested after Accept all."""
    row: dict[str, object] = {}
    if case.js:
        page, visit = runner.before(case, strict=False)
        try:
            requested = runner.after(case, page, visit, wait=after)
        except Exception as exc:  # the old code's page may have navigated away, or lack the banner
            requested, row["error"] = [], str(exc).splitlines()[0]
        row["js"] = len(visit.before_consent(case.id))
        if after:
            row["after_accept"] = bool(requested)
    if not case.runtime:
        page, visit = runner.before(case, js=False, strict=False)
        row["nojs"] = len(visit.before_consent(case.id))
    return row


def run(python: str, after: bool, browser) -> dict[str, dict[str, object]]:
    proc, url = start_server(python)
    runner = Runner(browser, url, wait_ms=3000)
    try:
        return {case.id: measure(runner, case, after) for case in CASES}
    finally:
        runner.close()
        stop_server(proc)


def totals(rows: dict[str, dict[str, object]]) -> dict[str, int]:
    js = [r["js"] for r in rows.values() if "js" in r]
    nojs = [r["nojs"] for r in rows.values() if "nojs" in r]
    return {
        "cases_js": len(js),
        "cases_nojs": len(nojs),
        "leaking_js": sum(1 for n in js if n),
        "leaking_nojs": sum(1 for n in nojs if n),
        "requests_js": sum(js),  # type: ignore[arg-type]
        "requests_nojs": sum(nojs),  # type: ignore[arg-type]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE, help="the Python of the other install (default: %(default)s)")
    parser.add_argument("--json", type=Path, help="write the rows and totals here")
    args = parser.parse_args()
    started = time.monotonic()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        before = run(args.before, False, browser)
        now = run(sys.executable, True, browser)
        browser.close()
    print(f"{'case':32} {'before: js':>10} {'no js':>6} {'now: js':>8} {'no js':>6}  after Accept")
    for case in CASES:
        b, n = before[case.id], now[case.id]
        print(
            f"{case.id:32} {b.get('js', '-')!s:>10} {b.get('nojs', '-')!s:>6} {n.get('js', '-')!s:>8}"
            f" {n.get('nojs', '-')!s:>6}  {'requested' if n.get('after_accept') else '-' if not case.js else 'MISSING'}"
        )
    report = {"before": totals(before), "now": totals(now), "seconds": round(time.monotonic() - started, 1)}
    for name in ("before", "now"):
        t = report[name]
        print(
            f"{name}: {t['leaking_js']}/{t['cases_js']} cases leak with JavaScript ({t['requests_js']} tracker requests"
            f" before consent), {t['leaking_nojs']}/{t['cases_nojs']} without ({t['requests_nojs']} requests)"
        )
    if args.json:
        args.json.write_text(json.dumps({"rows": {"before": before, "now": now}, **report}, indent=1))


if __name__ == "__main__":
    main()
