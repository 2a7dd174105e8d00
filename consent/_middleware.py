"""`ConsentMiddleware`: the pure ASGI shell around the rewriter, the cookie rules and the endpoints."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import quote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import _headers as h
from ._config import ConsentConfig
from ._cookie import ConsentCookie
from ._endpoints import Endpoints, Request
from ._enforce import CookieRules
from ._html import Blocking, HtmlRewriter
from ._i18n import Negotiator
from ._placement import check_placement
from ._render import Renderer, load_assets
from ._state import ConsentState
from ._tags import head_script
from ._trackers import Trackers, load_table, provider_from
from ._visitor import Visitor

GOOGLE_TAGS = frozenset(("google-analytics", "google-tag-manager", "google-ads"))


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
        check_placement(app)  # Litestar's DefineMiddleware would hide /consent and the pages (fit)
        self.app = app
        self.config = config
        self.cookie = ConsentCookie(config)
        self.visitor = Visitor(config, self.cookie)
        self.trackers = _trackers(config)
        tracker_category = dict(config.tracker_categories)
        self.blocking = (
            Blocking(
                self.trackers,
                tracker_category,
                exempt=GOOGLE_TAGS if config.google_consent_mode == "advanced" else frozenset(),
            )
            if config.auto_block
            else None
        )
        self.cookie_rules = CookieRules(config, self.trackers if config.auto_block else None, tracker_category)
        assets = load_assets()
        self.renderer = Renderer(config, assets, self.trackers)
        self.negotiator = Negotiator(config.locales or (), config.default_locale)
        self.endpoints = Endpoints(
            config, self.cookie, self.renderer, assets, self.negotiator, self.visitor, self.cookie_rules
        )
        # Render once at startup: a broken template or catalog fails here, not on a visitor's request.
        for locale in config.locales or ():
            self.renderer.prerender(locale)
        self._heads: dict[tuple[object, ...], bytes] = {}
        self._exclude = tuple(config.exclude_paths)
        self.rewritten = RewriteMemo()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # websocket, lifespan: nothing to do with consent
            await self.app(scope, receive, send)
            return
        root_path = scope.get("root_path", "")
        path = scope["path"]
        if root_path and path.startswith(root_path):
            path = path[len(root_path) :] or "/"
        state, dnt = self.visitor.read(scope)
        scope["consent"] = state
        # For the app's own templates and pages: consent.jinja, consent.policy_html, consent.fastapi (fit).
        scope["consent.endpoints"] = self.endpoints
        if self.endpoints.handles(path):
            await self.endpoints(Request(scope, path, root_path, state, dnt), receive, send)
            return
        if self._exclude and path.startswith(self._exclude):
            await self.app(scope, receive, send)
            return
        responder = _Responder(self, scope, state, path, root_path, send)
        await self.app(scope, receive, responder.send)

    def locale(self, scope: Scope, page_lang: str | None, use_header: bool = True) -> tuple[str, bool]:
        """The banner's language, and whether it came from ``Accept-Language`` (the response then varies
        on it). A language the app sets (``scope["consent.locale"]``) wins, then the page's ``<html lang>``,
        then the visitor's preferences, then the default."""
        match = self.negotiator.match
        explicit = scope.get("consent.locale")
        if isinstance(explicit, str) and (found := match(explicit)):
            return found, False
        if page_lang and (found := match(page_lang)):
            return found, False
        if not use_header:
            return self.config.default_locale, False
        header = h.request_header(scope, b"accept-language")
        return self.negotiator.from_header(header) or self.config.default_locale, True

    def head(self, state: ConsentState, shared: bool) -> bytes | None:
        """The Consent Mode / Matomo script for the top of ``<head>`` (None when neither is on).

        A shared (cacheable) page gets the mode's defaults only; the client script sends the update."""
        config = self.config
        if not (config.google_consent_mode or config.matomo):
            return None
        gpc = state.gpc and not shared
        decided = state.decided and not shared
        granted = frozenset(k for k, v in state.categories.items() if v) if decided else None
        key = (state.mode, gpc, granted)
        script = self._heads.get(key)
        if script is None:
            defaults = self.visitor.state(None, state.mode, gpc, False, None).categories
            script = head_script(config, defaults, state.categories if decided else None).encode()
            if len(self._heads) < 256:  # bounded: a few variants per mode
                self._heads[key] = script
        return script


def _trackers(config: ConsentConfig) -> Trackers:
    version, entries = load_table()
    providers = {entry["id"]: provider_from(entry, f"trackers.json providers[{i}]") for i, entry in enumerate(entries)}
    for i, entry in enumerate(config.trackers):  # the site's own entries add to or replace the table's
        provider = provider_from(entry, f"trackers[{i}]")
        providers[provider.id] = provider
    return Trackers(providers.values())


_PASS, _HELD, _STREAM = range(3)


class _Lazy:
    """The rewriter, built only when a page is not in the memo."""

    def __init__(self, make: Callable[[], HtmlRewriter]) -> None:
        self._make = make
        self._value: HtmlRewriter | None = None

    def get(self) -> HtmlRewriter:
        if self._value is None:
            self._value = self._make()
        return self._value


class _Rewritten(NamedTuple):
    body: bytes
    changed: bool
    dependent: bool  # the bytes depend on the visitor's consent
    injected: bool
    from_header: bool  # the banner's language came from Accept-Language


class RewriteMemo:
    """Rewritten single-message pages, by input bytes and every per-request input that shapes the output.

    Bounded in bytes (inputs and outputs counted); a page larger than ``max_entry`` is never kept. Keys hold
    the input itself, so a hit is an exact match, never a hash coincidence."""

    def __init__(self, max_bytes: int = 32 * 1024 * 1024, max_entry: int = 512 * 1024) -> None:
        self.max_bytes = max_bytes
        self.max_entry = max_entry
        self._entries: dict[tuple[bytes, tuple[object, ...]], _Rewritten] = {}
        self._size = 0

    def get(self, key: tuple[bytes, tuple[object, ...]]) -> _Rewritten | None:
        return self._entries.get(key) if len(key[0]) <= self.max_entry else None

    def put(self, key: tuple[bytes, tuple[object, ...]], value: _Rewritten, size: int) -> None:
        if len(key[0]) > self.max_entry:
            return
        if self._size + size > self.max_bytes:
            self._entries.clear()  # simple and bounded; a busy site refills it with its popular pages
            self._size = 0
        self._entries[key] = value
        self._size += size


class _Responder:
    """Per-request send wrapper: filters cookies, decides at ``http.response.start`` whether the body is HTML
    to rewrite, holds the start message until the first body chunk (so Content-Length can be fixed), then
    streams."""

    def __init__(
        self, mw: ConsentMiddleware, scope: Scope, state: ConsentState, path: str, root_path: str, send: Send
    ) -> None:
        self.mw = mw
        self.scope = scope
        self.state = state
        self.path = path
        self.root_path = root_path
        self._send = send
        self.mode = -1  # until the start message
        self.start: Message = {}
        self.headers: h.RawHeaders = []
        self.rewriter: _Lazy | None = None
        self.shared = False  # every visitor gets the same bytes (a publicly cacheable page)
        self.from_header = False  # the banner's language came from Accept-Language

    async def send(self, message: Message) -> None:
        mode = self.mode
        if mode == _PASS:
            await self._send(message)
            return
        kind = message["type"]
        if kind == "http.response.body":
            if mode == _HELD:
                await self._first_body(message)
            else:
                await self._next_body(message)
        elif kind == "http.response.start" and mode < 0:
            self._begin(message)
            if self.mode == _PASS:
                await self._send(message)
        else:
            if mode == _HELD:  # pathsend (or anything else) instead of a body: nothing we can rewrite
                await self._send(self.start)
            self.mode = _PASS
            await self._send(message)

    def _begin(self, message: Message) -> None:
        self.mode = _PASS
        mw = self.mw
        config = mw.config
        # One pass over the raw headers: most responses (JSON, images) need nothing else from us.
        content_type = cache_control = None
        cookies = False
        for key, value in message.get("headers", ()):
            key = key.lower()
            if key == b"content-type":
                content_type = value
            elif key == b"cache-control":
                cache_control = value.lower()
            elif key == b"set-cookie":
                cookies = True
        html = content_type is not None and content_type[:9].lower() == b"text/html"
        if not html and not cookies:
            return
        self.shared = config.cache_mode == "shared" or (
            config.cache_mode == "auto"
            and cache_control is not None
            and (b"public" in cache_control or b"s-maxage" in cache_control)
        )
        state = self.state
        allowed = frozenset() if self.shared else mw.visitor.allowed(state)
        headers = h.normalize(message.get("headers", ()))
        if cookies:
            # The app's own cookies of refused categories never leave (a shared page refuses them for all).
            headers = mw.cookie_rules.filter(headers, allowed)
            message["headers"] = headers
        if not html:
            return
        status = message["status"]
        media, charset = h.media_type_and_charset(content_type)
        if (
            media not in h.HTML_TYPES
            or status < 200
            or status in h.NO_REWRITE_STATUS
            or h.get(headers, b"content-range") is not None
            or h.get(headers, b"content-encoding") not in (None, b"identity")
            or (charset is not None and not h.ascii_compatible(charset))
        ):
            # Not HTML we can safely edit: bytes pass through untouched, and gated markup stays inert.
            return
        if self.scope["method"] == "HEAD":
            # No body to rewrite, but a GET would be rewritten: same headers, minus the length we can't know.
            message["headers"] = self._cache_headers(h.remove(headers, b"content-length", *h.VALIDATORS))
            return
        self.mode = _HELD
        self.start = message
        self.headers = headers
        shared = self.shared
        decided = state.decided and not shared
        nonce = h.csp_nonce(headers, b"script-src") or h.csp_nonce(headers, b"style-src")
        next_path = _next_path(self.root_path, self.path, self.scope)
        # Without a declared charset the page may declare one in a <meta>: numeric character references
        # keep our markup right in any ASCII-compatible encoding.
        encoding = charset or "ascii"
        renderer = mw.renderer
        kind = "shared" if shared else "reopen" if decided else "banner"
        mode_ = state.mode
        gpc = state.gpc and not shared

        def locale_of(page_lang: str | None) -> str:
            locale, from_header = mw.locale(self.scope, page_lang, use_header=not shared)
            self.from_header = self.from_header or from_header
            return locale

        def render(page_lang: str | None) -> bytes:
            locale = locale_of(page_lang)
            snippet = renderer.snippet(kind, locale, self.root_path, mode_)
            return snippet.render(next_path, nonce, gpc).encode(encoding, "xmlcharrefreplace")

        def placeholder(provider: str | None, category: str, url: bytes, page_lang: str | None) -> bytes:
            return renderer.placeholder(locale_of(page_lang), self.root_path, provider, category, url, next_path)

        head = mw.head(state, shared)
        if head is not None and nonce:
            head = b'<script nonce="' + nonce.encode() + b'">' + head + b"</script>"
        elif head is not None:
            head = b"<script>" + head + b"</script>"
        self.rewriter = _Lazy(
            lambda: HtmlRewriter(
                allowed=allowed,
                snippet=render,
                at_body_start=not decided,
                blocking=mw.blocking,
                placeholder=placeholder,
                head=head,
            )
        )
        # Everything besides the body that can change the rewritten bytes (see ConsentMiddleware.rewritten).
        self.variant = (
            kind,
            allowed,
            mode_,
            gpc,
            self.scope.get("consent.locale"),
            None if shared else h.request_header(self.scope, b"accept-language"),
            self.root_path,
            next_path,
            nonce,
            encoding,
            head,
        )

    async def _first_body(self, message: Message) -> None:
        assert self.rewriter is not None
        more = message.get("more_body", False)
        body = message.get("body", b"")
        if not more:
            # A whole page in one message: the same page for another visitor in the same situation was
            # perhaps rewritten already (a news article is the same bytes for thousands of readers).
            memo = self.mw.rewritten
            key = (body, self.variant)
            done = memo.get(key)
            if done is None:
                rewriter = self.rewriter.get()
                out = rewriter.feed(body) + rewriter.close()
                done = _Rewritten(
                    out, rewriter.changed, rewriter.consent_dependent, rewriter.injected, self.from_header
                )
                memo.put(key, done, len(body) + len(out))
            self.mode = _PASS
            await self._send_whole(done)
            return
        rewriter = self.rewriter.get()
        out = rewriter.feed(body)
        # We cannot know yet what the rest will become: no length, no validators, and not shareable.
        headers = self._cache_headers(h.remove(self.headers, b"content-length", *h.VALIDATORS))
        if not self.shared and self.mw.locale(self.scope, rewriter.html_lang)[1]:
            headers = h.add_vary(headers, b"Accept-Language")  # the language may come from the header
        self.mode = _STREAM
        self.start["headers"] = headers
        await self._send(self.start)
        await self._send({"type": "http.response.body", "body": out, "more_body": True})

    async def _send_whole(self, done: _Rewritten) -> None:
        headers = self.headers
        # The whole body is known: exact length; caching headers change only if the bytes depend on consent.
        if done.changed:
            headers = h.remove(headers, b"content-length", *h.VALIDATORS)
            headers.append((b"content-length", b"%d" % len(done.body)))
        if done.dependent:
            headers = self._cache_headers(headers)
        if done.from_header and done.injected:
            headers = h.add_vary(headers, b"Accept-Language")
        self.start["headers"] = headers
        await self._send(self.start)
        await self._send({"type": "http.response.body", "body": done.body, "more_body": False})

    async def _next_body(self, message: Message) -> None:
        assert self.rewriter is not None
        rewriter = self.rewriter.get()
        out = rewriter.feed(message.get("body", b""))
        if message.get("more_body", False):
            if out:
                await self._send({"type": "http.response.body", "body": out, "more_body": True})
            return
        self.mode = _PASS
        await self._send({"type": "http.response.body", "body": out + rewriter.close(), "more_body": False})

    def _cache_headers(self, headers: h.RawHeaders) -> h.RawHeaders:
        region_header = self.mw.config.region_header
        if region_header:  # the banner and the gating depend on the region's mode
            headers = h.add_vary(headers, region_header.encode())
        if self.shared:
            return headers  # identical bytes for everyone: the app's caching headers stand
        return h.make_private(h.add_vary(headers, b"Cookie"))


def _next_path(root_path: str, path: str, scope: Scope) -> str:
    """The page's own address, for the banner's ``next``: the path quoted (it arrives decoded), the query as
    it came."""
    full = root_path + path
    if not full.isascii() or any(c in _UNSAFE for c in full):
        full = quote(full)
    query = scope.get("query_string", b"")
    return full + "?" + query.decode("latin-1") if query else full


_UNSAFE = frozenset(' "#%<>?\\^`{|}\x7f') | frozenset(chr(c) for c in range(32))
