"""Drive the compiled scanner through a long stream (for fuzz/sanitize.sh's leak check): every page of the corpus,
or generated pages, in chunks of every size, many times over; then exit so that LeakSanitizer reports."""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.engine import differential as d

engine = d.engines()["c"]
rng = random.Random(1)
folder = d.corpus_dir()
pages = [p.read_bytes()[:60_000] for p in sorted(folder.glob("*.htm*"))[:40]] if folder else []
pages += [b"<html><body>" + b"<p>x<img src=//www.facebook.com/tr><script>gtag('config')</script>" * 200]
for _round in range(3):
    for page in pages:
        for allowed in d.VISITORS.values():
            d.rewrite(engine, page, allowed, rng.choice([None, 4096, 61, 7]))
# Compiled specifications are built and dropped too (their tables are the scanner's own allocations).
for _ in range(50):
    d.engines()
print("streamed", 3 * len(pages) * 2, "pages through the compiled scanner")
