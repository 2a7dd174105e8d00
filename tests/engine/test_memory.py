"""Memory: a long stream holds no more than the largest tag or held script, and nothing leaks (the C scanner's
references and allocations included: every object it creates is traced by tracemalloc)."""

from __future__ import annotations

import gc
import tracemalloc

from .helpers import BLOCKING, engine, rewriter

PAGE = (
    b"<!doctype html><html><head><script>gtag('config','G-1')</script>"
    b"<script src=https://www.googletagmanager.com/gtag/js></script></head><body>"
    + b"<p>text <img src=//www.facebook.com/tr?id=1> <a href=/x>x</a><!-- c --><iframe src=//www.youtube.com/e/1>"
    b"</iframe><div style='background:url(//www.facebook.com/tr)'>d</div>" * 20 + b"</body></html>"
)


def _stream(times: int, chunk: int) -> None:
    for _ in range(times):
        r = rewriter(blocking=BLOCKING, placeholder=lambda *a: b"P", head=b"<script>h</script>")
        for i in range(0, len(PAGE), chunk):
            r.feed(PAGE[i : i + chunk])
        r.close()


def test_rewriting_many_pages_in_small_chunks_leaks_nothing():
    engine(BLOCKING)  # compile the program before measuring
    _stream(50, 61)
    gc.collect()
    tracemalloc.start()
    try:
        _stream(20, 61)
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        _stream(150, 61)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 64 * 1024, f"{grown} bytes more after 150 pages"


def test_a_long_stream_holds_at_most_one_chunk_and_a_tag():
    r = rewriter(blocking=BLOCKING, max_hold=64 * 1024)
    r.feed(b"<!doctype html><html><body>")
    piece = PAGE[PAGE.index(b"<p>") : PAGE.index(b"</body>")]
    biggest = 0
    fed = 0
    while fed < 8_000_000:
        r.feed(piece)
        fed += len(piece)
        biggest = max(biggest, len(r.tokenizer._pending))
    assert biggest <= 64 * 1024
