"""The middleware in process (no sockets): its cost against the bare app and against the naive middleware a
developer would write (buffer the body, ``replace(b"</body>", banner + b"</body>")``), on the same pages and in the
same run. Apps here are raw ASGI, so that nothing but the middleware differs between the variants."""

from __future__ import annotations

import asyncio
import secrets
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from consent import ConsentConfig, ConsentMiddleware
from consent._cookie import ConsentCookie
from consent._memo import disabled

from . import pages
from .apps import NaiveBannerMiddleware
from .timing import interleaved

SECRET = "b" * 40
CHUNK = 16 * 1024
HEADERS = [
    (b"host", b"www.meridian-news.example"),
    (b"accept", b"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
    (b"accept-language", b"en-US,en;q=0.9"),
    (b"user-agent", b"Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36"),
]
JSON = b'{"items": [' + b", ".join(b'{"id": %d, "title": "An item of the list"}' % i for i in range(40)) + b"]}"


class _App:
    """A raw ASGI app that answers with the body it is given (in chunks, or whole)."""

    def __init__(self) -> None:
        self.body = b""
        self.chunk = 0
        self.content_type = b"text/html; charset=utf-8"

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", self.content_type)]})
        body, chunk = self.body, self.chunk
        if not chunk:
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        for i in range(0, len(body), chunk):
            await send({"type": "http.response.body", "body": body[i : i + chunk], "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def _scope(headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {"type": "http", "method": "GET", "path": "/article", "root_path": "", "query_string": b"",
            "scheme": "http", "headers": headers, "http_version": "1.1"}  # fmt: skip


async def _receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _send(message: Any) -> None:
    return None


class Rig:
    """One raw app, three ways: bare, behind the naive middleware, behind ConsentMiddleware."""

    def __init__(self) -> None:
        self.app = _App()
        self.config = ConsentConfig(secret_key=SECRET)
        banner = b'<div id="consent-banner">' + b"x" * 1400 + b"</div>"
        self.variants = {
            "bare": self.app,
            "naive": NaiveBannerMiddleware(self.app, banner),
            "consent": ConsentMiddleware(self.app, config=self.config),
        }
        self.loop = asyncio.new_event_loop()
        cookie = ConsentCookie(self.config).dumps({"analytics", "marketing"}, "bench")
        self.decided = [*HEADERS, (b"cookie", b"_ga=GA1.1.1.1; consent=" + cookie.encode())]

    def timed(self, name: str, headers: list[tuple[bytes, bytes]] | None = None) -> Callable[[int], int]:
        app = self.variants[name]
        scope = _scope(headers or HEADERS)
        loop = self.loop

        async def many(n: int) -> None:
            for _ in range(n):
                await app(dict(scope), _receive, _send)

        def run(n: int) -> int:
            t = time.perf_counter_ns()
            loop.run_until_complete(many(n))
            return time.perf_counter_ns() - t

        return run


def streamed(corpus: Path | None, *, samples: int, min_ns: int, log: Callable[[str], None]) -> dict[str, Any]:
    """Pages streamed in 16 KB chunks, undecided visitor: consent / naive, per page; the median page decides."""
    rig = Rig()
    named = [(f"generated:{n}", p) for n, p in pages.pages().items()]
    if corpus is not None:
        real = [(p.name, p.read_bytes()) for p in sorted(corpus.glob("*.htm*"))]
        named += [(n, p) for n, p in real if len(p) > 20_000][::3]  # every third real page over 20 KB
    rows: dict[str, Any] = {}
    for name, page in named:
        rig.app.body, rig.app.chunk = page, CHUNK
        got = interleaved({v: rig.timed(v) for v in rig.variants}, samples=samples, min_sample_ns=min_ns)
        rows[name] = {v: s.median / 1000 for v, s in got.items()} | {"bytes": len(page)}
        rows[name]["vs_naive"] = rows[name]["consent"] / rows[name]["naive"]
        rows[name]["vs_bare"] = rows[name]["consent"] / rows[name]["bare"]
    log(f"  streamed: {len(rows)} pages")
    real_rows = [r for n, r in rows.items() if not n.startswith("generated:")] or list(rows.values())
    ratios = sorted(r["vs_naive"] for r in real_rows)
    return {"pages": len(rows), "median_vs_naive": statistics.median(ratios), "max_vs_naive": ratios[-1],
            "min_vs_naive": ratios[0], "rows": rows}  # fmt: skip


def whole(*, samples: int, min_ns: int) -> dict[str, Any]:
    """One body message (Starlette's HTMLResponse): the page memo on a repeat view, and what it saves; a page
    with a per-request token (every view a miss); JSON and a tiny page (what the middleware costs anyway)."""
    rig = Rig()
    article = pages.pages()["article"]
    out: dict[str, Any] = {}
    rig.app.body, rig.app.chunk = article, 0
    repeat = interleaved({v: rig.timed(v) for v in rig.variants}, samples=samples, min_sample_ns=min_ns)
    with disabled():  # every memo off: each view rewritten from scratch, verified cookies re-checked
        cold = interleaved({"consent": rig.timed("consent")}, samples=samples, min_sample_ns=min_ns)
    out["article_repeat_us"] = {v: s.median / 1000 for v, s in repeat.items()}
    out["article_memo_off_us"] = cold["consent"].median / 1000
    out["memo_saves_us"] = out["article_memo_off_us"] - out["article_repeat_us"]["consent"]

    marker = b"</form>"
    tokens = [article.replace(marker, b'<input name="csrf" value="' + secrets.token_urlsafe(24).encode() + b'">'
                              + marker, 1) for _ in range(64)]  # fmt: skip
    state = {"i": 0}

    class _Token(_App):
        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            state["i"] += 1
            self.body = tokens[state["i"] % len(tokens)]
            await _App.__call__(self, scope, receive, send)

    token_rig = Rig.__new__(Rig)
    token_rig.__dict__.update(rig.__dict__)
    token_rig.app = _Token()
    token_rig.app.chunk = 0
    token_rig.variants = {"bare": token_rig.app, "naive": NaiveBannerMiddleware(token_rig.app, b"<div></div>"),
                          "consent": ConsentMiddleware(token_rig.app, config=rig.config)}  # fmt: skip
    miss = interleaved({v: token_rig.timed(v) for v in token_rig.variants}, samples=samples, min_sample_ns=min_ns)
    out["article_token_us"] = {v: s.median / 1000 for v, s in miss.items()}

    for label, body, content_type in (("tiny", pages.tiny_page(), b"text/html"), ("json", JSON, b"application/json")):
        rig.app.body, rig.app.chunk, rig.app.content_type = body, 0, content_type
        fns = {
            "bare": rig.timed("bare"),
            "undecided": rig.timed("consent"),
            "decided": rig.timed("consent", rig.decided),
        }
        got = interleaved(fns, samples=samples, min_sample_ns=min_ns)
        out[f"{label}_us"] = {v: s.median / 1000 for v, s in got.items()}
    rig.app.content_type = b"text/html; charset=utf-8"
    return out
