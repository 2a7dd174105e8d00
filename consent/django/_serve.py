"""The middleware's own endpoints (``/consent``, the settings and policy pages, ``/.well-known/gpc.json``, the
assets), served by the core's ASGI handler exactly as under `ConsentMiddleware`, its messages turned into an
``HttpResponse``.

The handler may await real work: the consent log's durable write before the answer, an async ``layout``,
``on_decision`` after the answer. Under ASGI it runs in the server's event loop; under WSGI in one event loop
of the process, on a thread of its own (a hand-over costs about 90 µs, where asgiref's ``async_to_sync``
builds a loop per call, about 350 µs). Either way the visitor gets the answer as soon as it is complete, while
``on_decision`` still runs (it never holds a visitor); the request body is read before the hand-over, so a
slow client never holds the loop.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import MutableMapping
from typing import Any

from django.http import HttpRequest, HttpResponse

from .._core import Core
from .._endpoints import Request
from .._forms import MAX_BODY
from ._bridge import morsel

Message = MutableMapping[str, Any]
_tasks: set[asyncio.Task[None]] = set()  # handlers still running their after-response work (on_decision)


class _Answer:
    """Collects the handler's messages; ``done`` fires once the response is complete."""

    def __init__(self, done: Any) -> None:
        self.start: Message | None = None
        self.body: list[bytes] = []
        self.complete = False
        self._done = done

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
        elif message["type"] == "http.response.body" and not self.complete:
            self.body.append(message.get("body", b""))
            if not message.get("more_body", False):
                self.complete = True
                self._done()


def _body(request: HttpRequest) -> bytes | None:
    """The request body, bounded (the consent endpoint refuses more than ``MAX_BODY`` bytes anyway); None when
    the client went away while sending it."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return b""
    try:
        if hasattr(request, "_body"):  # already read by an outer middleware
            return bytes(request.body)
        return bytes(request.read(MAX_BODY + 1))
    except OSError:  # UnreadablePostError: a 400 from the endpoint, not a 500
        return None


def _handler(core: Core, request: Request, body: bytes | None, answer: _Answer) -> Any:
    async def receive() -> Message:
        if body is None:
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": body, "more_body": False}

    return core.endpoints(request, receive, answer.send)


def serve(core: Core, django_request: HttpRequest, request: Request) -> HttpResponse:
    """Serve an endpoint under WSGI (or any sync caller)."""
    body = _body(django_request)
    ready = threading.Event()
    answer = _Answer(ready.set)
    future = asyncio.run_coroutine_threadsafe(_handler(core, request, body, answer), _loop())
    future.add_done_callback(lambda _: ready.set())
    ready.wait()
    return _response(answer, future)


async def aserve(core: Core, django_request: HttpRequest, request: Request) -> HttpResponse:
    """Serve an endpoint in the running event loop (Django under ASGI)."""
    body = _body(django_request)
    done = asyncio.get_running_loop().create_future()

    def ready(*_: Any) -> None:
        if not done.done():
            done.set_result(None)

    answer = _Answer(ready)
    task = asyncio.ensure_future(_handler(core, request, body, answer))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    task.add_done_callback(ready)
    await done
    return _response(answer, task)


def _response(answer: _Answer, task: Any) -> HttpResponse:
    if not answer.complete or answer.start is None:
        task.result()  # the handler's own error, if it failed before answering
        raise RuntimeError("consent.django: the endpoint sent no complete response")
    response = EndpointResponse(b"".join(answer.body), status=answer.start["status"])
    del response.headers["Content-Type"]  # the endpoint's own headers only (a 303 has no content type)
    for key, value in answer.start["headers"]:
        name = key.decode("latin-1").title()
        if name == "Set-Cookie":
            response.add_cookie_line(value)
        elif name in response.headers:
            response.headers[name] += ", " + value.decode("latin-1")
        else:
            response.headers[name] = value.decode("latin-1")
    return response


class EndpointResponse(HttpResponse):  # type: ignore[misc]
    """An endpoint's answer. Its cookies go into ``cookies`` (so that Django's test client keeps them); a
    cookie the same answer sets twice (expired for the host and for the cookie's domain, on refusal) keeps its
    other lines in ``extra_cookies``, sent after the headers by WSGI and ASGI handlers alike."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extra_cookies: list[str] = []

    def add_cookie_line(self, line: bytes) -> None:
        found = morsel(line)
        if found is not None and found.key not in self.cookies:
            self.cookies[found.key] = found
        else:
            self.extra_cookies.append(line.decode("latin-1"))

    def items(self) -> Any:
        return [*super().items(), *(("Set-Cookie", line) for line in self.extra_cookies)]


# -- the event loop of a WSGI process --------------------------------------------------------------------------

_loop_lock = threading.Lock()
_current: tuple[int, asyncio.AbstractEventLoop] | None = None


def _loop() -> asyncio.AbstractEventLoop:
    """This process's endpoint loop, started on first use (and again in a forked worker: threads do not
    survive a fork)."""
    global _current
    found = _current
    if found is not None and found[0] == os.getpid():
        return found[1]
    with _loop_lock:
        if _current is None or _current[0] != os.getpid():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="consent-endpoints", daemon=True).start()
            _current = (os.getpid(), loop)
        return _current[1]
