"""The rewriter alone: throughput of both scanner back ends (and of the code before the rebuild) against
``bytes.replace`` on the same pages, in the same run; memory on a long stream."""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from consent._html import backend as b
from consent._html.gate import Blocking, Options
from consent._html.rewriter import Engine
from consent._trackers import Trackers, load_table, provider_from

from . import before, pages

OPTIONAL = ("analytics", "marketing")
CHUNK = 16 * 1024
BANNER = b'<div id="consent-banner" role="dialog">' + b"x" * 1400 + b"</div>"
HEAD = b"<script>window.dataLayer=window.dataLayer||[];gtag('consent','default',{});</script>"


def _blocking() -> Blocking:
    _, entries = load_table()
    return Blocking(Trackers(provider_from(e, f"providers[{i}]") for i, e in enumerate(entries)))


def _options() -> Options:
    """What the middleware passes for an undecided visitor (banner after <body>, Consent Mode head script,
    placeholders for embeds, nothing allowed)."""
    return Options(
        allowed=frozenset(),
        snippet=lambda lang: BANNER,
        placeholder=lambda name, category, url, lang: b"&lt;p&gt;Blocked: " + category.encode() + b"&lt;/p&gt;",
        head=HEAD,
        encoding="utf-8",
        memo_key=("en", None, "", "/article", "banner", "opt-in"),  # as a plan gives it: one page, one visitor kind
    )


def variants() -> dict[str, Callable[[bytes], Any]]:
    """name -> rewrite(page) streamed in 16 KB chunks."""
    blocking = _blocking()
    out: dict[str, Callable[[bytes], Any]] = {}
    for backend in b.available():
        engine = Engine(blocking, OPTIONAL, backend)

        def rewrite(page: bytes, engine: Engine = engine) -> None:
            r = engine.rewriter(_options())
            for i in range(0, len(page), CHUNK):
                r.feed(page[i : i + CHUNK])
            r.close()

        out[backend.name] = rewrite
    old = before.load()
    if old is not None:
        make = before.rewriter_factory(
            old,
            {
                "allowed": frozenset(),
                "snippet": lambda lang: BANNER,
                "placeholder": lambda *a: b"&lt;p&gt;Blocked&lt;/p&gt;",
                "head": HEAD,
            },
        )

        def old_rewrite(page: bytes) -> None:
            r = make()
            for i in range(0, len(page), CHUNK):
                r.feed(page[i : i + CHUNK])
            r.close()

        out["before"] = old_rewrite

    def replace(page: bytes) -> None:
        page.replace(b"</body>", BANNER + b"</body>")

    out["bytes.replace"] = replace
    return out


def _mb_s(fn: Callable[[bytes], Any], page: bytes, budget_s: float) -> float:
    """Best of several timings (each at least budget_s / 5 long), in 10^6 bytes per second."""
    fn(page)
    best = float("inf")
    for _ in range(5):
        n = 0
        t = time.perf_counter()
        while True:
            fn(page)
            n += 1
            elapsed = time.perf_counter() - t
            if elapsed >= budget_s / 5:
                break
        best = min(best, elapsed / n)
    return len(page) / best / 1e6


def throughput(corpus: Path | None, *, quick: bool, log: Callable[[str], None]) -> dict[str, Any]:
    found = variants()
    named = [(f"generated:{name}", page) for name, page in pages.pages().items()]
    if corpus is not None:
        named += [(p.name, p.read_bytes()) for p in sorted(corpus.glob("*.htm*"))]
    budget = 0.02 if quick else 0.06
    rows: dict[str, dict[str, float]] = {}
    for i, (name, page) in enumerate(named):
        if len(page) <= 20_000:
            continue
        # Interleaved per page: every variant measured back to back on the same bytes.
        rows[name] = {"bytes": len(page), **{v: _mb_s(fn, page, budget) for v, fn in found.items()}}
        if i % 25 == 0:
            log(f"  rewriter: {i + 1}/{len(named)} pages")
    summary: dict[str, Any] = {"pages": len(rows), "chunk": CHUNK, "variants": {}}
    real = [r for n, r in rows.items() if not n.startswith("generated:")] or list(rows.values())
    for variant in found:
        values = [r[variant] for r in real]
        summary["variants"][variant] = {
            "min": min(values),
            "median": statistics.median(values),
            "max": max(values),
            "slowest_page": min((r[variant], n) for n, r in rows.items() if r in real)[1],
        }
    if "before" in found and "python" in found:
        slower = [(n, r["python"] / r["before"]) for n, r in rows.items() if r["python"] < r["before"]]
        summary["pure_slower_than_before"] = sorted(slower, key=lambda x: x[1])
    summary["generated"] = {n: r for n, r in rows.items() if n.startswith("generated:")}
    summary["rows"] = rows
    return summary


def memory(megabytes: int = 50) -> dict[str, Any]:
    """Extra peak memory (tracemalloc) while streaming ``megabytes`` of HTML in 64 KB chunks, per back end."""
    blocking = _blocking()
    out: dict[str, Any] = {}
    list(pages.stream_chunks(64 * 1024, 64 * 1024))  # the stream's source page exists before we measure
    for backend in b.available():
        engine = Engine(blocking, OPTIONAL, backend)
        r = engine.rewriter(_options())
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        for chunk in pages.stream_chunks(megabytes * 1024 * 1024, 64 * 1024):
            r.feed(chunk)
            del chunk
        r.close()
        peak = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
        out[backend.name] = {"megabytes": megabytes, "extra_peak_bytes": peak}
    return out
