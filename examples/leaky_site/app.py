"""A deliberately leaky example site, for ``consent scan``: three leaks the server cannot catch.

Run it with ``python examples/leaky_site/app.py`` (after ``pip install -e ".[example]"``), then scan it::

    consent scan http://127.0.0.1:8001/ --offline --config examples/leaky_site/consent.toml --html report.html

ConsentMiddleware gates what it can see in the HTML: the marked Google Analytics tag and the raw YouTube
embed stay inert until consent. What it cannot see are the planted leaks, all in first-party scripts:

1. ``/static/recommend.js`` injects Hotjar's script at run time;
2. ``/static/stats.js`` sends a ``fetch`` beacon to Google Analytics;
3. ``/static/share.js`` writes Meta's ``_fbp`` cookie from JavaScript.

The scanner must report each of them, with its provider, as a violation before any choice. The server
also sets an undeclared ``session`` cookie, so the report has a ``[[cookies]]`` block to offer.
"""

from __future__ import annotations

import argparse
import os
import secrets
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from consent import ConsentConfig, ConsentMiddleware

HERE = Path(__file__).resolve().parent
LEAKS = ("recommend.js", "stats.js", "share.js")


def load_config() -> ConsentConfig:
    secret = os.environ.get("CONSENT_SECRET") or secrets.token_urlsafe(32)
    return ConsentConfig.from_toml(
        HERE / "consent.toml",
        secret_key=secret,
        # This site stays leaky on purpose: the client-side guard, which blocks tracker requests made at run
        # time before consent, is off here, or two of the three planted leaks would be caught.
        client_guard=False,
    )


CONFIG = load_config()

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - The Leaky Times</title>
<style>body {{ font: 18px/1.5 Georgia, serif; max-width: 40rem; margin: 0 auto; padding: 0 1rem; }}</style>
<!-- Marked for consent: the middleware keeps it inert until the visitor allows analytics. -->
<script type="text/plain" data-consent="analytics" async src="https://www.googletagmanager.com/gtag/js?id=G-LEAKY0001"></script>
{leaks}
</head>
<body>
<header><p><a href="/">The Leaky Times</a> · <a href="/de/">Deutsch</a> · <a href="/about">{about}</a></p></header>
<main>
<h1>{title}</h1>
{body}
<!-- Pasted as the vendor ships it: the middleware recognises YouTube and shows a placeholder instead. -->
<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" title="Video"></iframe>
</main>
<footer><p><a href="/privacy">{privacy}</a></p></footer>
</body>
</html>
"""

TEXT = {
    "en": {
        "title": "Harbour reopens after the storm",
        "about": "About us",
        "privacy": "Privacy & Cookies Policy",
        "body": "<p>The harbour reopened on Monday after three days of storms.</p>",
    },
    "de": {
        "title": "Hafen nach dem Sturm wieder offen",
        "about": "Über uns",
        "privacy": "Datenschutz",
        "body": "<p>Der Hafen ist seit Montag nach drei Tagen Sturm wieder geöffnet.</p>",
    },
}


def render(lang: str, title: str | None = None, body: str | None = None) -> HTMLResponse:
    text = dict(TEXT[lang])
    if title is not None:
        text["title"], text["body"] = title, body or ""
    leaks = "\n".join(f'<script src="/static/{name}"></script>' for name in LEAKS)
    response = HTMLResponse(PAGE.format(lang=lang, leaks=leaks, **text))
    # A first-party cookie the configuration does not declare: the report offers a [[cookies]] block for it.
    response.set_cookie("session", secrets.token_urlsafe(16), httponly=True, samesite="lax")
    return response


async def home(request: Request) -> HTMLResponse:
    return render("en")


async def german(request: Request) -> HTMLResponse:
    return render("de")


async def about(request: Request) -> HTMLResponse:
    return render("en", "About us", "<p>A newspaper that means well but pasted too many scripts.</p>")


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in LEAKS:
        return Response("Not found", status_code=404)
    return Response((HERE / "static" / name).read_bytes(), media_type="text/javascript")


app = Starlette(
    routes=[
        Route("/", home),
        Route("/de/", german),
        Route("/about", about),
        Route("/static/{name}", static),
    ],
    middleware=[Middleware(ConsentMiddleware, config=CONFIG)],
)


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    print(f"asgi-consent leaky example site: http://{args.host}:{args.port}/", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
