"""The client's weight (what the middleware serves, gzipped) and what the client guard costs in the browser,
against the same page without it in the same run (Chromium): parsing and installing it, a ``setAttribute`` of
an attribute it does not watch, and a URL it must look up.

    python -m benchmarks.bench_guard        # about 10 s; needs Playwright and Debian's Chromium

The guard is inlined here so that the numbers are its own work, not the fetch of its file (an immutable,
cached file on a real site). Medians of interleaved page loads.
"""

from __future__ import annotations

import gzip
import json
import statistics
import sys

from consent import ConsentConfig
from consent._assets import load_assets
from consent._core import Core
from consent._guard import host_table

CHROMIUM = "/usr/bin/chromium"
LOADS = 15
BUDGET = 4096  # consent.js + consent.css + guard.js, gzipped
BENCH = """<script>var t0 = performance.now(), i, e = document.createElement('div');
for (i = 0; i < 100000; i++) e.setAttribute('data-x', 'y');
var t1 = performance.now(), l = document.createElement('link');
for (i = 0; i < 20000; i++) l.href = '/p' + i + '.css';
window.__r = [t1 - t0, performance.now() - t1];</script>"""


def page(guard: bytes | None) -> str:
    inline = "<script>" + guard.decode() + "</script>" if guard else ""
    return (
        "<!doctype html><head><script>var s0 = performance.now()</script>"
        f"{inline}<script>var s1 = performance.now()</script></head><body>{BENCH}"
    )


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9, mtime=0))


def weight(core: Core) -> None:
    assets = load_assets()
    assert core.guard is not None and core.blocking is not None
    files = {"consent.js": assets["js"].body, "consent.css": assets["css"].body, "guard.js": core.guard.asset.body}
    for name, body in files.items():
        print(f"{name:12} {len(body):6} B, {gz(body):5} B gzipped")
    table = json.dumps(host_table(core.blocking), separators=(",", ":")).encode()
    total = sum(gz(b) for b in files.values())
    verdict = "met" if total <= BUDGET else f"MISSED by {total - BUDGET} B"
    print(f"guard.js's host table alone: {gz(table)} B gzipped; all three: {total} B (budget {BUDGET} B: {verdict})")


def main() -> int:
    from playwright.sync_api import sync_playwright

    core = Core(ConsentConfig(secret_key="b" * 40, locales=["en"]))
    weight(core)
    guard = core.guard
    assert guard is not None
    pages = {"bare": page(None), "guard": page(guard.asset.body)}
    results: dict[str, list[list[float]]] = {name: [] for name in pages}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context()
        context.route("**/*", lambda route: route.fulfill(body=pages[route.request.url.rsplit("/", 1)[1]]))
        tab = context.new_page()
        for _ in range(LOADS):
            for name in pages:
                tab.goto("http://bench.test/" + name)
                tab.wait_for_function("window.__r")
                results[name].append(tab.evaluate("[s1 - s0, window.__r[0], window.__r[1]]"))
        browser.close()
    med = {name: [statistics.median(r[i] for r in rows[2:]) for i in range(3)] for name, rows in results.items()}
    bare, with_guard = med["bare"], med["guard"]
    print(f"guard: parsed and installed in {with_guard[0]:.2f} ms (page without it: {bare[0]:.2f} ms)")
    print(f"setAttribute of an unwatched attribute: +{(with_guard[1] - bare[1]) / 100000 * 1e6:.0f} ns a call")
    print(f"a watched URL (link.href) looked up: +{(with_guard[2] - bare[2]) / 20000 * 1e3:.2f} µs a call")
    return 0


if __name__ == "__main__":
    sys.exit(main())
