"""Views only the tests need. ``/stream`` sends its first part, then waits until ``/release`` is requested (or
the test resumes the iterator): a client that gets the first part before the second is produced proves that the
page was streamed, not buffered. Sync iterator under WSGI, async iterator under ASGI (Django buffers a sync
iterator there)."""

import asyncio
import tempfile
import threading

from django.core.handlers.asgi import ASGIRequest
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse

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
