"""In-process measurements: the ASGI apps are called directly (no server, no sockets).

Timing discipline (shared machines are noisy):

* every number is the median over ``samples`` samples, each sample long enough (``min_sample_ns``, by
  adapting the iteration count) that timer resolution and scheduler hiccups wash out;
* the variants being compared are interleaved sample by sample (A B C, B C A, C A B, ...), so a slow patch of
  the machine hits them all alike, and each ratio compares medians taken in the same run;
* ``time.perf_counter_ns`` throughout; the garbage collector stays on (it runs in production too).
"""

from __future__ import annotations

import asyncio
import gc
import gzip
import math
import statistics
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter_ns
from typing import Any

from consent._html import HtmlRewriter

import bench_apps
import bench_pages

HOST = "www.meridian-news.example"
BROWSER_HEADERS = [
    (b"host", HOST.encode()),
    (
        b"user-agent",
        b"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    ),
    (b"accept", b"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"),
    (b"accept-language", b"en-US,en;q=0.9"),
    (b"accept-encoding", b"gzip, deflate, br, zstd"),
    (b"sec-fetch-dest", b"document"),
    (b"sec-fetch-mode", b"navigate"),
    (b"sec-fetch-site", b"same-origin"),
    (b"upgrade-insecure-requests", b"1"),
]
# A returning visitor carries the analytics cookies of the trackers they accepted, and the consent cookie.
OTHER_COOKIES = (
    "_ga=GA1.1.1480327711.1732700000; _ga_7QX2M4K9LZ=GS1.1.1732700000.3.1.1732700500.0.0.0; "
    "_fbp=fb.1.1732700000000.902214837"
)


# -- timing -----------------------------------------------------------------------------------------------


@dataclass
class Series:
    """Per-iteration times (ns) of one variant: one value per sample."""

    n: int  # iterations per sample
    per_iter: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.per_iter)

    @property
    def spread(self) -> float:
        """Median absolute deviation relative to the median: how noisy the samples were."""
        m = self.median
        return statistics.median(abs(x - m) for x in self.per_iter) / m if m else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "median_ns": round(self.median, 1),
            "mad_rel": round(self.spread, 4),
            "iterations_per_sample": self.n,
            "samples_ns": [round(x, 1) for x in self.per_iter],
        }


Timed = Callable[[int], int]  # run n iterations, return elapsed ns


def interleaved(variants: dict[str, Timed], *, samples: int, min_sample_ns: int) -> dict[str, Series]:
    """Calibrate each variant to ``min_sample_ns`` per sample, then take ``samples`` samples of each, interleaved,
    rotating the order every round."""
    series: dict[str, Series] = {}
    for name, fn in variants.items():
        n = 1
        while True:
            elapsed = fn(n)
            if elapsed >= min_sample_ns / 8 or n >= 1 << 24:
                n = max(1, math.ceil(n * min_sample_ns / max(elapsed, 1)))
                break
            n *= 8
        fn(n)  # one untimed sample at full length: caches, allocator and branch predictors settle
        series[name] = Series(n)
    names = list(variants)
    for round_ in range(samples):
        gc.collect()
        k = round_ % len(names)
        for name in names[k:] + names[:k]:
            s = series[name]
            s.per_iter.append(variants[name](s.n) / s.n)
    return series


# -- driving an ASGI app in-process --------------------------------------------------------------------------


def scope(method: str, path: str, headers: list[tuple[bytes, bytes]], query: bytes = b"") -> dict[str, Any]:
    """A scope as uvicorn builds it (ASGI spec 2.3, as uvicorn 0.2x-0.5x announces)."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 51000),
        "scheme": "http",
        "method": method,
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "headers": headers,
        "state": {},
    }


async def _call(app: Any, sc: dict[str, Any], body: bytes, send: Callable[[dict[str, Any]], Any]) -> None:
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.get_running_loop().create_future()  # no disconnect: wait until the app stops listening
        raise AssertionError("unreachable")

    await app(dict(sc), receive, send)


@dataclass
class Response:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def header(self, name: bytes) -> bytes | None:
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None


class Driver:
    """Calls one ASGI app on a private event loop."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()

    def close(self) -> None:
        self.loop.close()

    def request(self, sc: dict[str, Any], body: bytes = b"") -> Response:
        messages: list[dict[str, Any]] = []

        async def send(message: dict[str, Any]) -> None:
            messages.append(message)

        self.loop.run_until_complete(_call(self.app, sc, body, send))
        start = next(m for m in messages if m["type"] == "http.response.start")
        data = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        return Response(start["status"], list(start.get("headers", [])), data)

    def timed(self, sc: dict[str, Any], body: bytes = b"") -> Timed:
        app = self.app

        async def send(message: dict[str, Any]) -> None:
            pass

        async def run(n: int) -> int:
            t0 = perf_counter_ns()
            for _ in range(n):
                await _call(app, sc, body, send)
            return perf_counter_ns() - t0

        return lambda n: self.loop.run_until_complete(run(n))

    def find(self, kind: type) -> Any:
        """The instance of a middleware class inside the app's stack (built on the first request)."""
        node = getattr(self.app, "middleware_stack", None)
        while node is not None:
            if isinstance(node, kind):
                return node
            node = getattr(node, "app", None)
        return None


# -- setup -----------------------------------------------------------------------------------------------------


@dataclass
class Setup:
    bare: Driver
    consent: Driver
    cold: Driver  # ConsentMiddleware without the memo of rewritten pages
    naive: Driver
    undecided_headers: list[tuple[bytes, bytes]]
    decided_headers: list[tuple[bytes, bytes]]
    consent_cookie: str  # "name=value"
    banner: bytes  # what the middleware injects after <body> for an undecided visitor (tiny page)
    reopen: bytes  # what it injects before </body> for a decided one
    # HtmlRewriter's keyword arguments exactly as the middleware passed them, by (page, visitor), the snippet
    # callable excepted: the standalone rewriter benchmark builds its rewriters the same way, so work the
    # middleware adds through the rewriter's options (tracker blocking, placeholders, ...) is measured too.
    rewriter_kwargs: dict[tuple[str, str], dict[str, Any]]
    checks: list[str]  # sanity problems found (the benchmark is meaningless if the middleware did nothing)

    def make_rewriter(self, page: str, visitor: str, snippet: bytes | Callable[..., bytes]) -> HtmlRewriter:
        render = snippet if callable(snippet) else (lambda *a, **k: snippet)
        return HtmlRewriter(**{**self.rewriter_kwargs[page, visitor], "snippet": render})


@contextmanager
def capture_rewriters() -> Iterator[list[dict[str, Any]]]:
    """Record how the middleware builds its HtmlRewriter, and every snippet it renders, while the block runs."""
    import consent._middleware as middleware_module

    original = getattr(middleware_module, "HtmlRewriter", None)
    records: list[dict[str, Any]] = []

    def factory(*args: Any, **kwargs: Any) -> Any:
        record: dict[str, Any] = {"kwargs": dict(kwargs), "snippets": []}
        snippet = kwargs.get("snippet")
        if snippet is not None:

            def recording(*a: Any, **k: Any) -> bytes:
                out = snippet(*a, **k)
                record["snippets"].append(out)
                return out

            kwargs["snippet"] = recording
        records.append(record)
        return original(*args, **kwargs)  # type: ignore[misc]

    if original is None:
        yield records
        return
    memo_get = middleware_module.RewriteMemo.get
    middleware_module.HtmlRewriter = factory  # type: ignore[attr-defined]
    middleware_module.RewriteMemo.get = lambda self, key: None  # type: ignore[method-assign]  # always rewrite
    try:
        yield records
    finally:
        middleware_module.HtmlRewriter = original  # type: ignore[attr-defined]
        middleware_module.RewriteMemo.get = memo_get  # type: ignore[method-assign]


def _snippet_of(driver: Driver, sc: dict[str, Any]) -> tuple[Response, dict[str, Any] | None]:
    with capture_rewriters() as records:
        r = driver.request(sc)
    return r, (records[-1] if records else None)


def setup() -> Setup:
    bare = Driver(bench_apps.make_bare_app())
    consent = Driver(bench_apps.make_consent_app())
    checks: list[str] = []
    undecided = list(BROWSER_HEADERS)
    # A decided visitor: POST action=accept once, keep the Set-Cookie.
    post_headers = [
        (b"host", HOST.encode()),
        (b"origin", f"http://{HOST}".encode()),
        (b"content-type", b"application/x-www-form-urlencoded"),
        (b"accept-language", b"en-US,en;q=0.9"),
    ]
    r = consent.request(scope("POST", "/consent", post_headers), b"action=accept&next=%2Farticle")
    set_cookie = r.header(b"set-cookie")
    if r.status != 303 or set_cookie is None:
        raise RuntimeError(f"POST /consent answered {r.status} without a cookie")
    cookie = set_cookie.decode("latin-1").split(";", 1)[0]
    decided = [(k, v) for k, v in BROWSER_HEADERS] + [(b"cookie", f"{OTHER_COOKIES}; {cookie}".encode())]

    keys = bench_apps.config().category_keys
    kwargs: dict[tuple[str, str], dict[str, Any]] = {}
    snippets: dict[str, bytes] = {}
    for visitor, headers in (("undecided", undecided), ("decided", decided)):
        for name in [*bench_pages.pages(), "tiny"]:
            _, rec_page = _snippet_of(consent, scope("GET", "/" + name, headers))
            if rec_page is None:
                checks.append(
                    f"/{name}: could not capture how the middleware builds its HtmlRewriter: the rewriter "
                    "benchmark uses HtmlRewriter's defaults"
                )
                allowed = frozenset({"necessary"}) if visitor == "undecided" else frozenset(keys)
                kwargs[name, visitor] = {"allowed": allowed, "at_body_start": visitor == "undecided"}
            else:
                kwargs[name, visitor] = {k: v for k, v in rec_page["kwargs"].items() if k != "snippet"}
        r, rec = _snippet_of(consent, scope("GET", "/tiny", headers))
        if rec is None or not rec["snippets"]:
            checks.append(f"{visitor} visitor: no snippet rendered for /tiny")
            continue
        snippets[visitor] = rec["snippets"][0]
        # The snippet must be in the response where it belongs: right after <body>, or right before </body>.
        body = r.body
        at = (
            body.index(b">", body.index(b"<body")) + 1
            if visitor == "undecided"
            else body.rindex(b"</body>") - len(snippets[visitor])
        )
        if body[at : at + len(snippets[visitor])] != snippets[visitor]:
            checks.append(f"{visitor} visitor: the rendered snippet is not where expected in the response")
    banner, reopen = snippets.get("undecided", b""), snippets.get("decided", b"")
    if b"<form" not in banner:
        checks.append("the undecided visitor's injected markup has no <form>: not the banner?")
    if b"<form" in reopen:
        checks.append("the decided visitor got the banner again: the consent cookie was not accepted")

    setup_ = Setup(
        bare=bare,
        consent=consent,
        cold=Driver(bench_apps.make_consent_app(memo=False)),
        naive=Driver(bench_apps.make_naive_app(banner)),
        undecided_headers=undecided,
        decided_headers=decided,
        consent_cookie=cookie,
        banner=banner,
        reopen=reopen,
        rewriter_kwargs=kwargs,
        checks=checks,
    )
    _validate(setup_)
    return setup_


def _validate(s: Setup) -> None:
    """The middleware must actually do its work on the benchmark pages, or the numbers mean nothing."""
    for name, page in bench_pages.pages().items():
        r = s.consent.request(scope("GET", "/" + name, s.undecided_headers))
        if r.status != 200 or b'id="consent-banner"' not in r.body:
            s.checks.append(f"/{name}: no banner for an undecided visitor")
        if r.header(b"content-length") != str(len(r.body)).encode():
            s.checks.append(f"/{name}: Content-Length does not match the rewritten body")
        # Every marked script must be inert for an undecided visitor, active for a decided one.
        if r.body.count(b'type="text/plain" data-consent=') < page.count(b'type="text/plain" data-consent='):
            s.checks.append(f"/{name}: marked scripts were activated for an undecided visitor")
        d = s.consent.request(scope("GET", "/" + name, s.decided_headers))
        if d.status != 200 or b'id="consent-banner"' in d.body or b'id="consent-reopen"' not in d.body:
            s.checks.append(f"/{name}: a decided visitor did not get the reopen link instead of the banner")
        if b'type="text/plain" data-consent=' in d.body:
            s.checks.append(f"/{name}: marked scripts stayed inert for a visitor who accepted everything")
        n = s.naive.request(scope("GET", "/" + name, s.undecided_headers))
        if s.banner not in n.body:
            s.checks.append(f"/{name}: the naive middleware did not insert the banner")
        # The rewriter alone, as benchmarked, must do what the middleware does (only the snippet's ?next= differs).
        for visitor, resp in (("undecided", r), ("decided", d)):
            rw = s.make_rewriter(name, visitor, b"\0SNIPPET\0")
            before, after = (rw.feed(page) + rw.close()).split(b"\0SNIPPET\0")
            if not (resp.body.startswith(before) and resp.body.endswith(after)):
                s.checks.append(f"/{name}: the benchmarked rewriter output differs from the middleware's response")
    for path in ("/api/items", "/logo.png"):
        b = s.bare.request(scope("GET", path, s.undecided_headers))
        for headers in (s.undecided_headers, s.decided_headers):
            c = s.consent.request(scope("GET", path, headers))
            if c.body != b.body or c.status != 200:
                s.checks.append(f"{path}: the middleware changed a non-HTML response")


# -- 1. rewriter throughput -----------------------------------------------------------------------------------


def _rewrite(s: Setup, visitor: str, name: str, page: bytes, snippet: bytes, chunk: int | None) -> Timed:
    """The rewriter as the middleware configures it; the snippet pre-rendered (the middleware renders it once per
    response: that cost is counted with the per-request work)."""
    make = s.make_rewriter
    pieces = [page] if chunk is None else [page[i : i + chunk] for i in range(0, len(page), chunk)]

    def run(n: int) -> int:
        t0 = perf_counter_ns()
        for _ in range(n):
            rw = make(name, visitor, snippet)
            for piece in pieces:
                rw.feed(piece)
            rw.close()
        return perf_counter_ns() - t0

    return run


def _replace(page: bytes, banner: bytes) -> Timed:
    needle = b"</body>"
    replacement = banner + b"</body>"

    def run(n: int) -> int:
        t0 = perf_counter_ns()
        for _ in range(n):
            page.replace(needle, replacement)
        return perf_counter_ns() - t0

    return run


REWRITER_CHUNK = 16 * 1024


def rewriter(s: Setup, *, samples: int, min_sample_ns: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    all_pages = dict(bench_pages.pages())
    all_pages["tiny"] = bench_pages.tiny_page()
    for name, page in all_pages.items():
        variants = {
            "replace": _replace(page, s.banner),
            "undecided": _rewrite(s, "undecided", name, page, s.banner, None),
            "decided": _rewrite(s, "decided", name, page, s.reopen, None),
        }
        if len(page) > REWRITER_CHUNK:
            variants["undecided_chunked"] = _rewrite(s, "undecided", name, page, s.banner, REWRITER_CHUNK)
        series = interleaved(variants, samples=samples, min_sample_ns=min_sample_ns)
        row: dict[str, Any] = {"bytes": len(page)}
        for key, ser in series.items():
            row[key] = {"mb_s": len(page) / ser.median * 1e9 / 1e6, "us": ser.median / 1e3, **ser.to_json()}
        row["undecided_vs_replace"] = series["undecided"].median / series["replace"].median
        row["decided_vs_replace"] = series["decided"].median / series["replace"].median
        row["decided_vs_undecided"] = series["decided"].median / series["undecided"].median
        out[name] = row
    return out


# -- 2. per-request time -----------------------------------------------------------------------------------


def per_request(s: Setup, *, samples: int, min_sample_ns: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    U, D = s.undecided_headers, s.decided_headers
    api_u = [(k, v) for k, v in U if k not in (b"sec-fetch-dest", b"sec-fetch-mode", b"upgrade-insecure-requests")]
    api_u = [(k, b"application/json") if k == b"accept" else (k, v) for k, v in api_u] + [
        (b"sec-fetch-dest", b"empty"),
        (b"sec-fetch-mode", b"cors"),
    ]
    api_d = api_u + [(b"cookie", dict(D)[b"cookie"])]
    img_u = [(k, b"image/avif,image/webp,*/*;q=0.8") if k == b"accept" else (k, v) for k, v in api_u]
    img_d = img_u + [(b"cookie", dict(D)[b"cookie"])]
    for path, hu, hd in (
        ("/article", U, D),
        ("/tiny", U, D),
        ("/api/items", api_u, api_d),
        ("/logo.png", img_u, img_d),
    ):
        variants = {
            "bare_undecided": s.bare.timed(scope("GET", path, hu)),
            "bare_decided": s.bare.timed(scope("GET", path, hd)),
            "naive": s.naive.timed(scope("GET", path, hu)),
            "mw_undecided": s.consent.timed(scope("GET", path, hu)),
            "mw_decided": s.consent.timed(scope("GET", path, hd)),
            # The same without the memo of rewritten pages: what a page's first view costs.
            "mw_undecided_cold": s.cold.timed(scope("GET", path, hu)),
        }
        series = interleaved(variants, samples=samples, min_sample_ns=min_sample_ns)
        row: dict[str, Any] = {key: {"us": ser.median / 1e3, **ser.to_json()} for key, ser in series.items()}
        row["mw_undecided_vs_bare"] = series["mw_undecided"].median / series["bare_undecided"].median
        row["mw_decided_vs_bare"] = series["mw_decided"].median / series["bare_decided"].median
        row["mw_undecided_vs_naive"] = series["mw_undecided"].median / series["naive"].median
        row["naive_vs_bare"] = series["naive"].median / series["bare_undecided"].median
        row["mw_undecided_cold_vs_naive"] = series["mw_undecided_cold"].median / series["naive"].median
        out[path] = row
    post = [
        (b"host", HOST.encode()),
        (b"origin", f"http://{HOST}".encode()),
        (b"referer", f"http://{HOST}/article".encode()),
        (b"content-type", b"application/x-www-form-urlencoded"),
        (b"content-length", b"29"),
        (b"accept-language", b"en-US,en;q=0.9"),
        (b"sec-fetch-site", b"same-origin"),
    ]
    form = b"action=accept&next=%2Farticle"
    variants = {
        "bare": s.bare.timed(scope("POST", "/consent", post), form),
        "naive": s.naive.timed(scope("POST", "/consent", post), form),
        "mw": s.consent.timed(scope("POST", "/consent", post), form),
    }
    series = interleaved(variants, samples=samples, min_sample_ns=min_sample_ns)
    row = {key: {"us": ser.median / 1e3, **ser.to_json()} for key, ser in series.items()}
    row["mw_vs_bare"] = series["mw"].median / series["bare"].median
    row["mw_vs_naive"] = series["mw"].median / series["naive"].median
    out["POST /consent"] = row
    return out


def fixed_parts(s: Setup, *, samples: int, min_sample_ns: int) -> dict[str, Any]:
    """Informational: the middleware's page-independent work, cross-checked without Starlette, and a few of its
    steps timed one by one. The steps use private API that changes; each is skipped if it is gone."""
    from consent._middleware import ConsentMiddleware

    def loop(fn: Callable[[], Any]) -> Timed:
        def run(n: int) -> int:
            t0 = perf_counter_ns()
            for _ in range(n):
                fn()
            return perf_counter_ns() - t0

        return run

    variants: dict[str, Timed] = {}
    # Cross-check of the subtraction method: the middleware around a raw ASGI app that sends the tiny page in one
    # message (no Starlette), minus that raw app alone; the rewriter's own time is subtracted by the caller.
    raw, wrapped = raw_tiny_apps()
    drivers = [Driver(raw), Driver(wrapped)]
    sc_tiny_u = scope("GET", "/tiny", s.undecided_headers)
    variants["raw app (tiny page)"] = drivers[0].timed(sc_tiny_u)
    variants["middleware around raw app, undecided"] = drivers[1].timed(sc_tiny_u)
    variants["middleware around raw app, decided"] = drivers[1].timed(scope("GET", "/tiny", s.decided_headers))

    mw = s.consent.find(ConsentMiddleware)
    sc_d = scope("GET", "/article", s.decided_headers)
    sc_u = scope("GET", "/article", s.undecided_headers)
    cookie_value = s.consent_cookie.split("=", 1)[1]
    candidates: dict[str, Callable[[], Any]] = {}
    if mw is not None:
        if hasattr(mw, "_read_state"):
            candidates["read state, decided (parse + verify cookie)"] = lambda: mw._read_state(sc_d)
            candidates["read state, undecided"] = lambda: mw._read_state(sc_u)
        elif hasattr(mw, "visitor") and hasattr(mw.visitor, "read"):
            candidates["visitor.read, decided (parse + verify cookie)"] = lambda: mw.visitor.read(sc_d)
            candidates["visitor.read, undecided"] = lambda: mw.visitor.read(sc_u)
        if hasattr(mw, "cookie") and hasattr(mw.cookie, "loads"):
            candidates["cookie.loads (signature check)"] = lambda: mw.cookie.loads(cookie_value)
        if hasattr(mw, "locale"):
            candidates["locale negotiation (Accept-Language)"] = lambda: mw.locale(sc_u, "en-US")
    with capture_rewriters() as records:  # the middleware's own render closure for this request
        s.consent.request(scope("GET", "/article", s.undecided_headers))
    render = records[-1]["kwargs"].get("snippet") if records else None
    if render is not None:
        candidates["render the banner (the middleware's closure)"] = lambda: render("en-US")
    skipped = []
    for name, fn in candidates.items():
        try:
            fn()
        except Exception as exc:  # private API: report, don't fail the benchmark
            skipped.append(f"{name}: {exc!r}")
            continue
        variants[name] = loop(fn)
    series = interleaved(variants, samples=samples, min_sample_ns=min_sample_ns)
    for d in drivers:
        d.close()
    out: dict[str, Any] = {k: {"us": v.median / 1e3, **v.to_json()} for k, v in series.items()}
    if skipped:
        out["skipped"] = skipped
    return out


def raw_tiny_apps() -> tuple[Any, Any]:
    """A minimal ASGI app serving the tiny page in one message, and the same behind ConsentMiddleware."""
    from consent import ConsentMiddleware

    tiny = bench_pages.tiny_page()
    start = {
        "type": "http.response.start",
        "status": 200,
        "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", b"%d" % len(tiny))],
    }

    async def raw(scope: Any, receive: Any, send: Any) -> None:
        await send({**start, "headers": list(start["headers"])})
        await send({"type": "http.response.body", "body": tiny})

    return raw, ConsentMiddleware(raw, bench_apps.config())


# -- 3. memory ---------------------------------------------------------------------------------------------


def memory(s: Setup, sizes_mb: tuple[int, ...] = (10, 50)) -> dict[str, Any]:
    """Peak traced allocation (tracemalloc) while streaming N MB of HTML in 64 KB chunks; the sink drops bodies."""
    out: dict[str, Any] = {}

    def stream(driver: Driver, mb: int) -> tuple[int, int, bool]:
        received = 0
        banner_seen = False

        async def send(message: dict[str, Any]) -> None:
            nonlocal received, banner_seen
            if message["type"] == "http.response.body":
                body = message.get("body", b"")
                if not banner_seen and b'id="consent-banner"' in body:
                    banner_seen = True
                received += len(body)

        sc = scope("GET", "/stream", s.undecided_headers, f"mb={mb}".encode())
        gc.collect()
        tracemalloc.start()
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        driver.loop.run_until_complete(_call(driver.app, sc, b"", send))
        peak = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
        return peak, received, banner_seen

    for driver in (s.bare, s.consent):  # warm up: lazy caches and first-request setup are not per-byte costs
        driver.loop.run_until_complete(
            _call(driver.app, scope("GET", "/stream", s.undecided_headers, b"mb=1"), b"", _drop)
        )
    for mb in sizes_mb:
        bare_peak, bare_bytes, _ = stream(s.bare, mb)
        mw_peak, mw_bytes, seen = stream(s.consent, mb)
        out[f"{mb}MB"] = {
            "bytes": mb * 1024 * 1024,
            "bare_peak": bare_peak,
            "mw_peak": mw_peak,
            "extra": mw_peak - bare_peak,
            "mw_bytes_out": mw_bytes,
            "bare_bytes_out": bare_bytes,
            "banner_injected": seen,
        }
    return out


async def _drop(message: dict[str, Any]) -> None:
    pass


# -- client weight -------------------------------------------------------------------------------------------


def client_weight(s: Setup) -> dict[str, Any]:
    from consent._render import load_assets

    from consent._core import Core

    # What the middleware serves (its static files, minified at startup), not the commented sources; the
    # client guard's file is generated from the tracker table of the configuration under test.
    files = {}
    bodies = {"consent." + ext: asset.body for ext, asset in sorted(load_assets().items())}
    guard = Core(bench_apps.config()).guard
    if guard is not None:
        bodies["guard.js"] = guard.asset.body
    for name, data in bodies.items():
        files[name] = {"bytes": len(data), "gzip": len(gzip.compress(data, 9, mtime=0))}
    # The banner per locale, each exactly as the middleware injects it.
    per_locale: dict[str, dict[str, int]] = {}
    for locale in bench_apps.config().locales or ("en",):
        tag = locale.replace("_", "-").encode()
        headers = [(k, tag if k == b"accept-language" else v) for k, v in s.undecided_headers]
        r, rec = _snippet_of(s.consent, scope("GET", "/tiny", headers))
        if rec is None or not rec["snippets"] or rec["snippets"][0] not in r.body:
            continue
        markup = rec["snippets"][0]
        per_locale[locale] = {"bytes": len(markup), "gzip": len(gzip.compress(markup, 9, mtime=0))}
    worst = max(per_locale, key=lambda k: per_locale[k]["gzip"]) if per_locale else None
    return {
        "assets": files,
        "assets_gzip_total": sum(f["gzip"] for name, f in files.items() if name.startswith("consent.")),
        "all_gzip_total": sum(f["gzip"] for f in files.values()),  # with the client guard
        "banner_en": {"bytes": len(s.banner), "gzip": len(gzip.compress(s.banner, 9, mtime=0))},
        "banner_worst_locale": {"locale": worst, **per_locale[worst]} if worst else None,
        "banner_per_locale": per_locale,
    }
