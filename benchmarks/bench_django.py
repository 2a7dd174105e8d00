"""consent.django's cost per request under WSGI, against a baseline in the same run: the same Django app
without the middleware, and with the naive middleware a developer would write (``content.replace(b"</body>",
banner + b"</body>")``). Also the three ways of running an endpoint's coroutine from a WSGI thread.

    python benchmarks/bench_django.py [--samples 15]

Medians of interleaved samples, in microseconds per request (Django's WSGIHandler called in-process).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django
from django.conf import settings

BANNER = b'<div id="consent-banner">' + b"x" * 700 + b"</div>"


def naive(get_response):
    def middleware(request):
        response = get_response(request)
        if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            response.content = response.content.replace(b"</body>", BANNER + b"</body>")
            response["Content-Length"] = str(len(response.content))
        return response

    return middleware


def setup() -> None:
    from django.http import HttpResponse, JsonResponse
    from django.urls import path

    from benchmarks.bench_pages import article_page

    page = article_page()
    urls = type(sys)("bench_urls")
    urls.urlpatterns = [
        path("article", lambda r: HttpResponse(page)),
        path("json", lambda r: JsonResponse({"ok": True, "items": list(range(20))})),
    ]
    sys.modules["bench_urls"] = urls
    settings.configure(
        DEBUG=False,
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF="bench_urls",
        MIDDLEWARE=[],
        CONSENT={"secret_key": "b" * 40, "locales": ["en"]},
        DATABASES={},
    )
    django.setup()


def handler(middleware: list[str]):
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import override_settings

    with override_settings(MIDDLEWARE=middleware):
        return WSGIHandler()


def environ(path: str, cookie: str = "") -> dict[str, object]:
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "bench",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "bench",
        "HTTP_ACCEPT_LANGUAGE": "en",
        "wsgi.input": io.BytesIO(),
        "wsgi.url_scheme": "http",
    }
    if cookie:
        env["HTTP_COOKIE"] = cookie
    return env


def per_request(app, path: str, cookie: str = "", n: int = 300) -> float:
    def start_response(status, headers):
        pass

    t0 = time.perf_counter()
    for _ in range(n):
        env = environ(path, cookie)
        response = app(env, start_response)
        b"".join(response)
        response.close()
    return (time.perf_counter() - t0) / n * 1e6


def drivers(n: int = 2000) -> dict[str, float]:
    from asgiref.sync import async_to_sync

    async def handler(out: list[int]) -> int:
        out.append(1)
        return 1

    def inline():
        coro = handler([])
        try:
            coro.send(None)
        except StopIteration:
            return

    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()
    ats = async_to_sync(handler)
    ways = {
        "inline (the page rewrite)": inline,
        "one loop thread (the endpoints)": lambda: asyncio.run_coroutine_threadsafe(handler([]), loop).result(),
        "asgiref async_to_sync": lambda: ats([]),
    }
    out = {}
    for name, call in ways.items():
        for _ in range(100):
            call()
        t0 = time.perf_counter()
        for _ in range(n):
            call()
        out[name] = (time.perf_counter() - t0) / n * 1e6
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=15)
    args = parser.parse_args()
    setup()
    from consent.testing import consent_cookie

    decided = "consent=" + consent_cookie(categories="all")["consent"]
    apps = {
        "bare": handler([]),
        "naive": handler(["benchmarks.bench_django.naive"]),
        "consent": handler(["consent.django.ConsentMiddleware"]),
    }
    cases = [
        ("JSON, undecided", "/json", ""),
        ("80 KB article, undecided (repeat view)", "/article", ""),
        ("80 KB article, decided (repeat view)", "/article", decided),
        ("GET /consent (endpoint)", "/consent", ""),
    ]
    samples: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.samples):
        for label, path, cookie in cases:
            for name, app in apps.items():
                if path == "/consent" and name != "consent":
                    continue
                samples.setdefault((label, name), []).append(per_request(app, path, cookie))
    print(f"Django {django.get_version()}, Python {sys.version.split()[0]}; µs per request, median of {args.samples}")
    print(f"{'case':44} {'bare':>9} {'naive':>9} {'consent':>9}")
    for label, _, _ in cases:
        row = [statistics.median(samples[(label, n)]) if (label, n) in samples else None for n in apps]
        print(f"{label:44} " + " ".join(f"{v:9.1f}" if v is not None else f"{'-':>9}" for v in row))
    for name, value in drivers().items():
        print(f"driver: {name:36} {value:8.1f} µs")


if __name__ == "__main__":
    main()
