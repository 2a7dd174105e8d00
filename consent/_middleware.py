"""`ConsentMiddleware`: the pure ASGI shell around the rewriter, the cookie and the endpoints."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from urllib.parse import quote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import _headers as h
from ._config import NECESSARY, ConsentConfig
from ._cookie import ConsentCookie, read_cookies
from ._endpoints import Endpoints, Request
from ._html import HtmlRewriter
from ._i18n import Negotiator
from ._render import Renderer, load_assets
from ._state import ConsentState


class ConsentMiddleware:
    """Cookie consent for an ASGI app: banner, signed consent cookie, script gating and policy pages.

    Every full HTML page gets the banner until the visitor decides; the choice lives in a signed cookie set
    by the server; elements marked ``data-consent`` stay inert until their category is allowed. The app
    reads the choice at ``scope["consent"]`` (a `ConsentState`). Put compression middleware *outside* this
    one: compressed bodies pass through untouched (and their gated scripts stay inert).
    """

    def __init__(self, app: ASGIApp, config: ConsentConfig) -> None:
        if not isinstance(config, ConsentConfig):
            raise TypeError("ConsentMiddleware(config=...) needs a ConsentConfig")
        self.app = app
        self.config = config
        self.cookie = ConsentCookie(config)
        assets = load_assets()
        self.renderer = Renderer(config, assets)
        self.negotiator = Negotiator(config.locales or (), config.default_locale)
        self.endpoints = Endpoints(config, self.cookie, self.renderer, assets, self.negotiator)
        # Render once at startup: a broken template or catalog fails here, not on a visitor's request.
        for locale in config.locales or ():
            for kind in ("banner", "reopen", "head_banner", "head_reopen"):
                self.renderer.snippet(kind, locale, "")
        keys = config.category_keys
        default_granted = config.mode == "opt-out"
        self._undecided = ConsentState(
            decided=False,
            categories={key: default_granted or key == NECESSARY for key in keys},
            policy_version=config.policy_version,
            mode=config.mode,
        )
        self._granted_cache: dict[frozenset[str], Mapping[str, bool]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # websocket, lifespan: nothing to do with consent
            await self.app(scope, receive, send)
            return
        root_path = scope.get("root_path", "")
        path = scope["path"]
        if root_path and path.startswith(root_path):
            path = path[len(root_path) :] or "/"
        state = self._read_state(scope)
        scope["consent"] = state
        if self.endpoints.handles(path):
            await self.endpoints(Request(scope, path, root_path, state), receive, send)
            return
        if scope["method"] not in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE") or any(
            path.startswith(p) for p in self.config.exclude_paths
        ):
            await self.app(scope, receive, send)
            return
        responder = _Responder(self, scope, state, path, root_path, send)
        await self.app(scope, receive, responder.send)

    def locale(self, scope: Scope, page_lang: str | None) -> tuple[str, bool]:
        """The banner's language, and whether it came from ``Accept-Language`` (the response then varies
        on it). A language the app sets (``scope["consent.locale"]``) wins, then the page's ``<html lang>``,
        then the visitor's preferences, then the default."""
        match = self.negotiator.match
        explicit = scope.get("consent.locale")
        if isinstance(explicit, str) and (found := match(explicit)):
            return found, False
        if page_lang and (found := match(page_lang)):
            return found, False
        header = None
        for key, value in scope.get("headers", ()):
            if key.lower() == b"accept-language":
                header = value.decode("latin-1")
                break
        return self.negotiator.from_header(header) or self.config.default_locale, True

    def _read_state(self, scope: Scope) -> ConsentState:
        values: list[str] = []
        for key, value in scope.get("headers", ()):
            if key.lower() == b"cookie":
                values.extend(read_cookies(value.decode("latin-1"), self.cookie.name))
        best = None
        for value in values:  # the same name may come twice (another path or domain): the newest valid wins
            choice = self.cookie.loads(value)
            if choice is not None and (best is None or choice.decided_at > best.decided_at):
                best = choice
        if best is None:
            return self._undecided
        categories = self._granted_cache.get(best.granted)
        if categories is None:
            categories = MappingProxyType(
                {key: key == NECESSARY or key in best.granted for key in self.config.category_keys}
            )
            if len(self._granted_cache) < 256:  # bounded: one entry per combination of categories
                self._granted_cache[best.granted] = categories
        return ConsentState(
            decided=True,
            categories=categories,
            policy_version=self.config.policy_version,
            mode=self.config.mode,
            consent_id=best.consent_id,
            decided_at=best.decided_at,
        )


_PASS, _HELD, _STREAM = range(3)


class _Responder:
    """Per-request send wrapper: decides at ``http.response.start`` whether the body is HTML to rewrite,
    holds the start message until the first body chunk (so Content-Length can be fixed), then streams."""

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
        self.rewriter: HtmlRewriter | None = None
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
        headers = h.normalize(message.get("headers", ()))
        status = message["status"]
        media, charset = h.media_type_and_charset(h.get(headers, b"content-type"))
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
            message["headers"] = _private(h.remove(headers, b"content-length", *h.VALIDATORS))
            return
        self.mode = _HELD
        self.start = message
        self.headers = headers
        decided = self.state.decided
        mw = self.mw
        kind = "reopen" if decided else "banner"
        nonce = h.csp_nonce(headers, b"script-src") or h.csp_nonce(headers, b"style-src")
        next_path = quote(self.root_path + self.path) + _query(self.scope)
        # Without a declared charset the page may declare one in a <meta>: numeric character references
        # keep our markup right in any ASCII-compatible encoding.
        encoding = charset or "ascii"

        def render(page_lang: str | None) -> bytes:
            locale, self.from_header = mw.locale(self.scope, page_lang)
            head = mw.renderer.snippet("head_" + kind, locale, self.root_path)
            snippet = mw.renderer.snippet(kind, locale, self.root_path)
            markup = head.render(next_path, nonce) + snippet.render(next_path)
            return markup.encode(encoding, "xmlcharrefreplace")

        allowed = frozenset(k for k, v in self.state.categories.items() if v)
        self.rewriter = HtmlRewriter(allowed=allowed, snippet=render, at_body_start=not decided)

    async def _first_body(self, message: Message) -> None:
        rewriter = self.rewriter
        assert rewriter is not None
        more = message.get("more_body", False)
        out = rewriter.feed(message.get("body", b""))
        headers = self.headers
        if more:
            # We cannot know yet what the rest will become: no length, no validators, and not shareable.
            headers = _private(h.remove(headers, b"content-length", *h.VALIDATORS))
            if self.mw.locale(self.scope, rewriter.html_lang)[1]:  # the language may come from the header
                headers = h.add_vary(headers, b"Accept-Language")
            self.mode = _STREAM
        else:
            out += rewriter.close()
            self.mode = _PASS
            # The whole body is known: exact length; caching headers change only if the bytes depend on consent.
            if rewriter.changed:
                headers = h.remove(headers, b"content-length", *h.VALIDATORS)
                headers.append((b"content-length", b"%d" % len(out)))
            if rewriter.consent_dependent:
                headers = _private(headers)
            if self.from_header and rewriter.injected:
                headers = h.add_vary(headers, b"Accept-Language")
        self.start["headers"] = headers
        await self._send(self.start)
        await self._send({"type": "http.response.body", "body": out, "more_body": more})

    async def _next_body(self, message: Message) -> None:
        rewriter = self.rewriter
        assert rewriter is not None
        out = rewriter.feed(message.get("body", b""))
        if message.get("more_body", False):
            if out:
                await self._send({"type": "http.response.body", "body": out, "more_body": True})
            return
        self.mode = _PASS
        await self._send({"type": "http.response.body", "body": out + rewriter.close(), "more_body": False})


def _private(headers: h.RawHeaders) -> h.RawHeaders:
    return h.make_private(h.add_vary(headers, b"Cookie"))


def _query(scope: Scope) -> str:
    query = scope.get("query_string", b"")
    return "?" + query.decode("latin-1") if query else ""
