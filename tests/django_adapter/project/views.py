"""Views only the tests need. ``/stream`` sends its first part, then waits until ``/release`` is requested (or
the test resumes the iterator): a client that gets the first part before the second is produced proves that the
page was streamed, not buffered. Sync iterator under WSGI, async iterator under ASGI (Django buffers a sync
iterator there)."""

import asyncio
import tempfile
import threading

from django.core.handlers.asgi import ASGIRequest
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse

from consent import consent_state

RELEASE = threading.Event()
FIRST = (
    "<!DOCTYPE html><html><head><title>Live</title>"
    '<script type="text/plain" data-consent="analytics" async src="https://www.googletagmanager.com/gtag/js?id=G-LIVE"></script>'
    "</head><body><h1>Live blog</h1><p>part 1</p>\n"
)
SECOND = "<p>part 2</p></body></html>"
produced: list[str] = []  # what the view has produced so far (in-process tests look)


def _sync():
    produced.append("part 1")
    yield FIRST
    RELEASE.wait(30)
    RELEASE.clear()
    produced.append("part 2")
    yield SECOND


async def _async():
    produced.append("part 1")
    yield FIRST
    await asyncio.to_thread(RELEASE.wait, 30)
    RELEASE.clear()
    produced.append("part 2")
    yield SECOND


def stream(request: HttpRequest) -> StreamingHttpResponse:
    produced.clear()
    return StreamingHttpResponse(_async() if isinstance(request, ASGIRequest) else _sync())


def release(request: HttpRequest) -> HttpResponse:
    RELEASE.set()
    return HttpResponse("released", content_type="text/plain")


def file(request: HttpRequest) -> FileResponse:
    page = tempfile.TemporaryFile()
    page.write((FIRST + SECOND).encode())
    page.seek(0)
    return FileResponse(page, content_type="text/html; charset=utf-8")


def page(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The live page whole, or streamed in chunks of the size the ``X-Chunk`` request header gives."""
    body = (FIRST + SECOND).encode()
    size = int(request.headers.get("x-chunk", 0))
    if not size:
        return HttpResponse(body)
    return StreamingHttpResponse(body[i : i + size] for i in range(0, len(body), size))


def cookies(request: HttpRequest) -> HttpResponse:
    """A page whose app sets an analytics cookie (known to the tracker table) and one of its own."""
    response = HttpResponse(FIRST + SECOND)
    response.set_cookie("_ga", "GA1.1.1.1", max_age=3600)
    response.set_cookie("sessionid", "abc", httponly=True)
    return response


def state(request: HttpRequest) -> JsonResponse:
    """The visitor's state through consent.consent_state (what works with the asgi.py recipe too)."""
    return JsonResponse({"decided": consent_state(request).decided})
