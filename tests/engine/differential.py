"""Differential checks of the two scanner back ends: identical output bytes, whatever the chunking.

``python -m tests.engine.differential [--corpus DIR] [--chunkings whole,4096,61,7,1]`` runs every page of the
corpus (default ``$CONSENT_CORPUS`` or ``../shared/corpus/pages``) through the full rewriter (banner, Consent
Mode head script, the whole tracker table, placeholders) for an undecided visitor and for one who accepted
everything, on each back end and in each chunking, and exits non-zero on the first difference. CI runs it in
full; the test suite runs a bounded part of it (tests/engine/test_differential.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from consent._html import backend as b
from consent._html.gate import Blocking, Options
from consent._html.rewriter import Engine
from consent._trackers import Trackers, load_table, provider_from

ROOT = Path(__file__).resolve().parents[2]
OPTIONAL = ("analytics", "marketing")
HEAD = b"<script>window.dataLayer=[];</script>"
VISITORS = {"undecided": frozenset(), "accepted": frozenset(OPTIONAL)}


def corpus_dir(explicit: str | None = None) -> Path | None:
    for candidate in (explicit, os.environ.get("CONSENT_CORPUS"), str(ROOT.parent / "shared" / "corpus" / "pages")):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def engines() -> dict[str, Engine]:
    _, entries = load_table()
    blocking = Blocking(Trackers(provider_from(e, f"providers[{i}]") for i, e in enumerate(entries)))
    return {backend.name: Engine(blocking, OPTIONAL, backend) for backend in b.available()}


def _options(allowed: frozenset[str]) -> Options:
    return Options(
        allowed=allowed,
        snippet=lambda lang: b"<div id=consent-banner lang=" + (lang or "-").encode("latin-1", "replace") + b"></div>",
        at_body_start=not allowed,
        placeholder=lambda name, category, url, lang: b"PLACEHOLDER " + category.encode(),
        head=HEAD,
        encoding="utf-8",
    )


def rewrite(engine: Engine, page: bytes, allowed: frozenset[str], chunk: int | None) -> bytes:
    r = engine.rewriter(_options(allowed))
    if chunk is None:
        return r.feed(page) + r.close()
    out = [r.feed(page[i : i + chunk]) for i in range(0, len(page), chunk)]
    out.append(r.close())
    return b"".join(out)


def differences(engines: dict[str, Engine], page: bytes, chunkings: list[int | None]) -> Iterator[str]:
    """Every (visitor, back end, chunking) whose output differs from the C back end's whole-page output."""
    reference = next(iter(engines.values()))
    for visitor, allowed in VISITORS.items():
        expected = rewrite(reference, page, allowed, None)
        for name, engine in engines.items():
            for chunk in chunkings:
                if engine is reference and chunk is None:
                    continue
                got = rewrite(engine, page, allowed, chunk)
                if got != expected:
                    at = next((i for i, (x, y) in enumerate(zip(got, expected, strict=False)) if x != y), None)
                    if at is None:
                        at = min(len(got), len(expected))
                    yield f"{visitor} {name} chunk={chunk or 'whole'}: differs at byte {at}: {got[at - 40 : at + 40]!r}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", help="a directory of HTML pages (default: $CONSENT_CORPUS, ../shared/corpus/pages)")
    parser.add_argument("--chunkings", default="whole,4096,61,7,1", help="comma-separated chunk sizes")
    args = parser.parse_args(argv)
    folder = corpus_dir(args.corpus)
    if folder is None:
        print("no corpus found (--corpus DIR or CONSENT_CORPUS)", file=sys.stderr)
        return 2
    chunkings = [None if c == "whole" else int(c) for c in args.chunkings.split(",")]
    found = engines()
    if len(found) < 2:
        print(f"only one back end is available: {list(found)}", file=sys.stderr)
        return 2
    pages = sorted(folder.glob("*.htm*"))
    started = time.monotonic()
    failures = 0
    for i, path in enumerate(pages, 1):
        for problem in differences(found, path.read_bytes(), chunkings):
            print(f"{path.name}: {problem}")
            failures += 1
        if i % 10 == 0 or i == len(pages):
            print(f"{i}/{len(pages)} pages, {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    size = sum(p.stat().st_size for p in pages)
    print(
        f"{len(pages)} pages ({size / 1e6:.1f} MB), chunkings {args.chunkings}, back ends {', '.join(found)}: "
        f"{failures} difference(s), {time.monotonic() - started:.0f} s"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
