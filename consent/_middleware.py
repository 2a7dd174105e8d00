"""`ConsentMiddleware`: the pure ASGI shell. Routes the middleware's own endpoints, gives the app the
visitor's `ConsentState`, and wraps ``send`` so that every HTML response is planned (`consent._plan`) and
rewritten, and every response's cookies are filtered."""

from __future__ import annotations

from typing import Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import _headers as h
from ._config import ConsentConfig
from ._core import Core
from ._endpoints import Request
from ._placement import check_placement
from ._plan import Plan, plan, stream_headers, whole_headers
from ._state import ConsentState


class ConsentMiddleware:
    """Cookie consent for an ASGI app: banner, signed consent cookie, script gating and policy pages.

    Every full HTML page gets the banner until the visitor decides; the choice lives in a signed cookie set
    by the server; trackers (marked ``data-consent`` or known to the tracker table) stay inert until their
    category is allowed, and their cookies are refused on the way out. The app reads the choice at
    ``scope["consent"]`` (a `ConsentState`). Put compression middleware *outside* this one: compressed bodies
    pass through untouched (and their gated scripts stay inert).
    """

    def __init__(self, app: ASGIApp, config: ConsentConfig) -> None:
        if not isinstance(config, ConsentConfig):
            raise TypeError("ConsentMiddleware(config=...) needs a ConsentConfig")
        check_placement(app)  # Litestar's DefineMiddleware would hide /consent and the pages
        self.app = app
        self.config = config
        self.core = Core(config)
        self.endpoints = self.core.endpoints

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # websocket, lifespan: nothing to do with consent
            await self.app(scope, receive, send)
            return
        core = self.core
        root_path = scope.get("root_path", "")
        path = scope["path"]
        if root_path and path.startswith(root_path):
            path = path[len(root_path) :] or "/"
        state, dnt = core.visitor.read(scope)
        scope["consent"] = state
        # For the app's own templates and pages: consent.jinja, consent.policy_html, consent.fastapi.
        scope["consent.endpoints"] = core.endpoints
        if core.endpoints.handles(path):
            await core.endpoints(Request(scope, path, root_path, state, dnt), receive, send)
            return
        if core.exclude and path.startswith(core.exclude):
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, _Responder(core, scope, state, send).send)


_START, _HELD, _STREAM, _PASS = range(4)
_FILES = ("http.response.pathsend", "http.response.zerocopy")


class _Responder:
    """The message state machine of one response: hold the start message until the first body (so that the
    headers fit what the body becomes), rewrite, then pass everything else on. A message it does not know
    (``http.response.debug``, trailers, an extension's) goes through without changing how the response is
    treated: only a response that cannot be rewritten is passed through as it is."""

    __slots__ = ("core", "scope", "state", "_send", "phase", "start", "headers", "plan", "rewriter", "queued")

    def __init__(self, core: Core, scope: Scope, state: ConsentState, send: Send) -> None:
        self.core = core
        self.scope = scope
        self.state = state
        self._send = send
        self.phase = _START
        self.start: Message = {}
        self.headers: h.RawHeaders = []
        self.plan: Plan | None = None
        self.rewriter: Any = None
        self.queued: list[Message] = []  # messages of unknown kinds that came while the start was held

    async def send(self, message: Message) -> None:
        phase = self.phase
        if phase == _PASS:
            await self._send(message)
            return
        kind = message["type"]
        if kind == "http.response.start" and phase == _START:
            await self._begin(message)
        elif kind == "http.response.body" and phase == _HELD:
            await self._first(message.get("body", b""), message.get("more_body", False))
        elif kind == "http.response.body" and phase == _STREAM:
            await self._next(message.get("body", b""), message.get("more_body", False))
        elif kind in _FILES and phase in (_HELD, _STREAM):
            await self._file(message)
        elif phase == _HELD:
            self.queued.append(message)  # it must not overtake the start message
        else:
            await self._send(message)

    async def _begin(self, message: Message) -> None:
        headers, self.plan = self._decide(message)
        if headers is not None:
            message["headers"] = headers
        if self.plan is None:
            self.phase = _PASS
            await self._send(message)
        elif self.scope["method"] == "HEAD":
            # No body to rewrite, but a GET would be rewritten: the same headers as a streamed GET.
            message["headers"] = stream_headers(self.plan, message["headers"], self.core.region_vary)
            self.phase = _PASS
            await self._send(message)
        else:
            self.start, self.headers, self.phase = message, message["headers"], _HELD

    def _decide(self, message: Message) -> tuple[h.RawHeaders | None, Plan | None]:
        """The response's headers (None: unchanged) with the app's cookies filtered, and its plan (None: not
        HTML we may rewrite)."""
        core = self.core
        content_type = cache_control = None
        cookies = False
        for key, value in message.get("headers", ()):  # one pass: most responses need nothing else from us
            key = key.lower()
            if key == b"content-type":
                content_type = value
            elif key == b"cache-control":
                cache_control = value.lower()
            elif key == b"set-cookie":
                cookies = True
        html = content_type is not None and content_type[:9].lower() == b"text/html"
        if not html and not cookies:
            return None, None
        mode = core.config.cache_mode
        shared = mode == "shared" or (
            mode == "auto"
            and cache_control is not None
            and (b"public" in cache_control or b"s-maxage" in cache_control)
        )
        headers = h.normalize(message.get("headers", ()))
        if cookies:
            # The app's own cookies of refused categories never leave (a shared page refuses them for all).
            allowed = frozenset() if shared else core.visitor.allowed(self.state)
            headers, dependent = core.cookie_rules.filter(headers, allowed)
            if dependent and not shared:
                headers = h.add_vary(headers, b"Cookie")
        if not html:
            return headers, None
        media, charset = h.media_type_and_charset(content_type)
        status = message["status"]
        if (
            media not in h.HTML_TYPES
            or status < 200
            or status in h.NO_REWRITE_STATUS
            or h.get(headers, b"content-range") is not None
            or h.get(headers, b"content-encoding") not in (None, b"identity")
            or (charset is not None and not h.ascii_compatible(charset))
        ):
            return headers, None  # not HTML we can edit safely: it passes untouched, gated markup stays inert
        return headers, plan(core, self.scope, self.state, shared, headers, charset)

    async def _first(self, body: bytes, more: bool) -> None:
        plan = self.plan
        assert plan is not None
        if more:
            await self._open()
            await self._next(body, more)
            return
        memo = self.core.pages
        key = (plan, len(body), body[:64], body[-64:])  # cheap to build; a hit is then compared in full
        found: Any = memo.get(key)
        if found is None or found[0] != body:
            rewriter, used = plan.rewriter(self.core)
            out = rewriter.rewrite(body)
            found = (body, out, rewriter.changed, rewriter.dependent, bool(used))
            memo.put(key, found, len(body) + len(out) + 512)
        _, out, changed, dependent, used_header = found
        headers = whole_headers(plan, self.headers, out, changed, dependent, used_header, self.core.region_vary)
        await self._release(headers)
        self.phase = _PASS
        await self._send({"type": "http.response.body", "body": out, "more_body": False})

    async def _open(self) -> None:
        """Start streaming: the headers cannot wait for what the rest of the body becomes."""
        assert self.plan is not None
        self.rewriter, _ = self.plan.rewriter(self.core)
        await self._release(stream_headers(self.plan, self.headers, self.core.region_vary))
        self.phase = _STREAM

    async def _release(self, headers: h.RawHeaders) -> None:
        self.start["headers"] = headers
        await self._send(self.start)
        queued, self.queued = self.queued, []
        for message in queued:
            await self._send(message)

    async def _next(self, body: bytes, more: bool) -> None:
        out = self.rewriter.feed(body) if body else b""
        if more:
            if out:
                await self._send({"type": "http.response.body", "body": out, "more_body": True})
            return
        self.phase = _PASS
        await self._send({"type": "http.response.body", "body": out + self.rewriter.close(), "more_body": False})

    async def _file(self, message: Message) -> None:
        """HTML sent as a file (``pathsend``, ``zerocopy``): read it and rewrite it like any body (fail closed:
        a file is no reason to serve trackers live)."""
        if self.phase == _HELD:
            await self._open()
        chunk = 64 * 1024
        if message["type"] == "http.response.pathsend":
            async with await anyio.open_file(message["path"], "rb") as f:
                while data := await f.read(chunk):
                    await self._next(data, True)
            await self._next(b"", False)
            return
        file, offset = message["file"], message.get("offset")
        count = message.get("count", -1)
        while count != 0:
            size = chunk if count < 0 else min(chunk, count)
            data = await anyio.to_thread.run_sync(_read, file, size, offset)
            if not data:
                break
            offset = None if offset is None else offset + len(data)
            count = count - len(data) if count > 0 else count
            await self._next(data, True)
        if not message.get("more_body", False):
            await self._next(b"", False)
        else:
            self.phase = _STREAM  # more zerocopy or body messages follow


def _read(file: Any, size: int, offset: int | None) -> bytes:
    import os

    fd = file if isinstance(file, int) else file.fileno()
    return os.pread(fd, size, offset) if offset is not None else os.read(fd, size)
