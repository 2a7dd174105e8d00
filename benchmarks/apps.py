"""The apps under test: a bare Starlette site, the same behind ConsentMiddleware, and behind a naive middleware.

Routes (identical in every app):

``GET /article`` ``/large`` ``/dense`` ``/tiny``  the benchmark pages (HTMLResponse, one body message)
``GET /api/items``                              a JSON API response (~3 KB, serialised per request)
``GET /logo.png``                               a binary response (another non-HTML pass-through)
``GET /article-token``                          the article with a per-request token in it (a CSRF field, as a
                                                CMS writes one): never the same bytes twice
``GET /stream?mb=N``                            N MB of HTML as a StreamingResponse in 64 KB chunks
``POST /consent``                               in the bare app a plain handler that reads the form and sets an
                                                unsigned cookie (what a site would write without the library);
                                                behind ConsentMiddleware the middleware answers it itself

Module-level factories (``make_bare_app``, ``make_consent_app``) are what uvicorn loads for the end-to-end runs.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from consent import ConsentConfig, ConsentMiddleware

from benchmarks import pages as bench_pages

SECRET = "b" * 40
CHUNK = 64 * 1024


def config() -> ConsentConfig:
    """The configuration under test: the defaults (every shipped locale, opt-in, analytics + marketing)."""
    return ConsentConfig(secret_key=SECRET)


def _items() -> list[dict[str, object]]:
    import random

    r = random.Random(7)
    words = bench_pages._WORDS
    return [
        {
            "id": 48000 + i,
            "title": " ".join(r.choice(words) for _ in range(8)).capitalize(),
            "url": f"{bench_pages.SITE}/news/2026/11/{i + 1:02d}/{'-'.join(r.choice(words) for _ in range(5))}/",
            "section": r.choice(["news", "sport", "culture", "opinion"]),
            "published": f"2026-11-{i + 1:02d}T{r.randint(6, 22):02d}:00:00+00:00",
            "comments": r.randint(0, 300),
            "image": {"src": f"{bench_pages.UPLOADS}{r.randint(1000, 9999)}-400x225.jpg", "width": 400, "height": 225},
        }
        for i in range(12)
    ]


ITEMS = _items()
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 48  # ~12 KB of "image"


def routes() -> list[Route]:
    pages = dict(bench_pages.pages())
    pages["tiny"] = bench_pages.tiny_page()

    def page_endpoint(body: bytes):
        async def endpoint(request: Request) -> Response:
            return HTMLResponse(body)

        return endpoint

    article = pages["article"]
    marker = b"</form>"

    async def article_token(request: Request) -> Response:
        token = secrets.token_urlsafe(24).encode()
        return HTMLResponse(
            article.replace(marker, b'<input type="hidden" name="csrf" value="' + token + b'">' + marker, 1)
        )

    async def items(request: Request) -> Response:
        return JSONResponse({"items": ITEMS, "total": len(ITEMS), "next": None})

    async def logo(request: Request) -> Response:
        return Response(PNG, media_type="image/png")

    async def stream(request: Request) -> Response:
        total = int(float(request.query_params.get("mb", "10")) * 1024 * 1024)

        async def body():
            for chunk in bench_pages.stream_chunks(total, CHUNK):
                yield chunk

        return StreamingResponse(body(), media_type="text/html; charset=utf-8")

    async def consent_post(request: Request) -> Response:
        # What a site does without the library: read the form, remember the answer in a plain cookie.
        fields = dict(parse_qsl((await request.body()).decode("latin-1")))
        response = RedirectResponse(fields.get("next") or "/", status_code=303)
        response.set_cookie("consent", fields.get("action", ""), max_age=180 * 86400, samesite="lax")
        return response

    out = [Route(f"/{name}", page_endpoint(body)) for name, body in pages.items()]
    out += [
        Route("/article-token", article_token),
        Route("/api/items", items),
        Route("/logo.png", logo),
        Route("/stream", stream),
        Route("/consent", consent_post, methods=["POST"]),
    ]
    return out


class NaiveBannerMiddleware:
    """The simplest correct thing: buffer the whole HTML body, ``replace(b"</body>", banner + b"</body>")``, fix
    Content-Length. Non-HTML responses pass through. This is the baseline the streaming middleware is held to."""

    def __init__(self, app: ASGIApp, banner: bytes) -> None:
        self.app = app
        self.banner = banner + b"</body>"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        parts: list[bytes] = []
        passthrough = False

        async def wrapped(message: Message) -> None:
            nonlocal start, passthrough
            if passthrough:
                await send(message)
                return
            if message["type"] == "http.response.start":
                content_type = b""
                for key, value in message.get("headers", ()):
                    if key.lower() == b"content-type":
                        content_type = value
                if not content_type.startswith(b"text/html"):
                    passthrough = True
                    await send(message)
                    return
                start = message
                return
            if message["type"] == "http.response.body" and start is not None:
                parts.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = b"".join(parts).replace(b"</body>", self.banner)
                headers = [(k, v) for k, v in start.get("headers", ()) if k.lower() != b"content-length"]
                headers.append((b"content-length", b"%d" % len(body)))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": body, "more_body": False})
                return
            await send(message)

        await self.app(scope, receive, wrapped)


def make_bare_app() -> Starlette:
    return Starlette(routes=routes())


def make_consent_app() -> Starlette:
    return Starlette(routes=routes(), middleware=[Middleware(ConsentMiddleware, config=config())])


def make_naive_app(banner: bytes) -> Starlette:
    return Starlette(routes=routes(), middleware=[Middleware(NaiveBannerMiddleware, banner=banner)])
