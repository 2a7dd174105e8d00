"""One plan per HTML response: a frozen value built by one pure function from the request, the visitor's
state and the response's start message.

The plan holds every input that shapes the rewritten bytes (what to write into the page, for whom, in which
language, under which nonce and charset) and nothing else, so it is itself the key of the page memo: no input
can be forgotten, and one visitor's page is never served to another. It builds the rewriter and decides the
headers (``Content-Length``, validators, ``Vary``, ``Cache-Control``) by one rule for whole bodies, streamed
bodies and HEAD, the streamed ones assuming the worst of what they cannot know yet.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote

from . import _headers as h
from ._html.gate import Options
from ._html.rewriter import Rewriter
from ._state import ConsentState

if TYPE_CHECKING:
    from ._core import Core

BANNER, REOPEN, SHARED = "banner", "reopen", "shared"
MAX_NEXT = 1024  # a longer next path (a huge query string) is cut to its path, or to the site's root


class Plan(NamedTuple):
    """Immutable and hashed as one tuple (it is built and looked up on every HTML response)."""

    kind: str  # BANNER (undecided visitor), REOPEN (decided), SHARED (a page every visitor gets)
    allowed: frozenset[str]
    mode: str
    gpc: bool
    explicit: str | None  # the catalog the app chose (scope["consent.locale"])
    header: str | None  # the catalog Accept-Language asks for, when the header may decide
    root_path: str
    next_path: str
    nonce: str | None
    encoding: str
    head: bytes | None  # for the top of <head>: the Consent Mode / Matomo script and the client guard's tag

    @property
    def shared(self) -> bool:
        return self.kind == SHARED

    @property
    def header_decides(self) -> bool:
        """Whether Accept-Language may choose the language (the response then varies on it)."""
        return not self.shared and self.explicit is None

    def locale(self, core: Core, page_lang: str | None) -> tuple[str, bool]:
        """The consent UI's language, and whether it came from the header: the app's choice, then the page's
        ``<html lang>``, then Accept-Language, then the default."""
        if self.explicit:
            return self.explicit, False
        if page_lang and (found := core.negotiator.match(page_lang)):
            return found, False
        if not self.header_decides:
            return core.config.default_locale, False
        return self.header or core.config.default_locale, True

    def rewriter(self, core: Core) -> tuple[Rewriter, list[bool]]:
        """A rewriter for this plan, and a list that gets True once a language from the header was used."""
        used: list[bool] = []
        renderer = core.renderer

        def snippet(page_lang: str | None) -> bytes:
            locale, from_header = self.locale(core, page_lang)
            if from_header:
                used.append(True)
            text = renderer.snippet(self.kind, locale, self.root_path, self.mode)
            return text.render(self.next_path, self.nonce, self.gpc).encode(self.encoding, "xmlcharrefreplace")

        def placeholder(provider: str | None, category: str, url: bytes, page_lang: str | None) -> bytes:
            locale, from_header = self.locale(core, page_lang)
            if from_header:
                used.append(True)
            return renderer.placeholder(locale, self.root_path, provider, category, url, self.next_path)

        options = Options(
            allowed=self.allowed,
            snippet=snippet,
            at_body_start=self.kind != REOPEN,
            placeholder=placeholder,
            head=self.head,
            encoding=self.encoding if self.encoding != "ascii" else "utf-8",
            memo_key=(self.explicit, self.header, self.root_path, self.next_path, self.kind, self.mode),
        )
        return core.engine.rewriter(options), used


def plan(core: Core, scope: Any, state: ConsentState, shared: bool, headers: h.RawHeaders, charset: str | None) -> Plan:
    """The plan for an HTML response we may rewrite (the caller has checked that)."""
    decided = state.decided and not shared
    nonce = None
    for key, _ in headers:
        if key == b"content-security-policy":
            nonce = h.csp_nonce(headers, b"script-src") or h.csp_nonce(headers, b"style-src")
            break
    asked = scope.get("consent.locale")
    explicit = core.negotiator.match(asked) if isinstance(asked, str) else None
    header = None
    if not shared and explicit is None:
        header = core.negotiator.from_header(h.request_header(scope, b"accept-language"))
    root_path = scope.get("root_path", "")
    allowed = frozenset() if shared else core.visitor.allowed(state)
    return Plan(
        kind=SHARED if shared else REOPEN if decided else BANNER,
        allowed=allowed,
        mode=state.mode,
        gpc=state.gpc and not shared,
        explicit=explicit,
        header=header,
        root_path=root_path,
        next_path=next_path(root_path, scope),
        nonce=nonce,
        # Without a declared charset the page may declare one in a <meta>: numeric character references keep
        # our markup right in any ASCII-compatible encoding.
        encoding=charset or "ascii",
        head=head_markup(core, state, shared, allowed, root_path, nonce),
    )


def head_markup(
    core: Core, state: ConsentState, shared: bool, allowed: frozenset[str], root_path: str, nonce: str | None
) -> bytes | None:
    """What goes first into ``<head>``, before any script of the page: the Consent Mode / Matomo defaults
    (inline: they fetch nothing and must precede every tag), then the client guard (external, so a strict CSP
    allows it; it must run before the page's own scripts). Its parts are built once per visitor kind; a
    nonce (new on every request) is put into them per response."""
    key = (state.mode, state.gpc and not shared, state.decided and not shared, allowed, shared, root_path)
    parts = core.head_markups.get(key)
    if parts is None:
        script = core.head(state, shared)
        tag = core.guard.tag(root_path, allowed, shared, str(state.mode)) if core.guard is not None else None
        parts = core.head_markups.put(key, (script, tag, _assemble(script, tag, b"")))
    script, tag, plain = parts
    if not nonce:
        return plain
    return _assemble(script, tag, b' nonce="' + escape(nonce, quote=True).encode("ascii", "xmlcharrefreplace") + b'"')


def _assemble(script: bytes | None, guard_tag: bytes | None, attr: bytes) -> bytes | None:
    out = b"<script" + attr + b">" + script + b"</script>" if script is not None else b""
    if guard_tag is not None:
        out += guard_tag + attr + b"></script>"
    return out or None


def next_path(root_path: str, scope: Any) -> str:
    """The page's own address, for the banner's ``next``: the path quoted (it arrives decoded), the query as
    it came; cut when too long to be worth carrying."""
    path = str(scope["path"])
    if root_path and not path.startswith(root_path):
        path = root_path + path
    if not path.isascii() or _UNSAFE.search(path):
        path = quote(path)
    query = scope.get("query_string", b"")
    full = path + "?" + query.decode("latin-1") if query else path
    if len(full) <= MAX_NEXT:
        return full
    return path if len(path) <= MAX_NEXT else (root_path + "/" if root_path else "/")


_UNSAFE = re.compile(r'[ "#%<>?\\^`{|}\x00-\x1f\x7f]')


# -- headers ---------------------------------------------------------------------------------------------------


_REWRITTEN = (b"content-length", *h.VALIDATORS)


def _varies(plan: Plan, region: bytes | None, language: bool) -> tuple[bytes, ...]:
    """What a response whose bytes depend on the visitor varies on: the region's mode (the banner and the
    gating depend on it), the cookie unless the page is one for everyone, the language if the header chose it."""
    vary: tuple[bytes, ...] = (region,) if region else ()
    if not plan.shared:
        vary += (b"Cookie",)
    return vary + (b"Accept-Language",) if language else vary


def whole_headers(
    plan: Plan,
    headers: h.RawHeaders,
    body: bytes,
    changed: bool,
    dependent: bool,
    used_header: bool,
    region: bytes | None,
) -> h.RawHeaders:
    """Headers for a body we rewrote whole: exact length; caching headers only if the bytes depend on
    consent (private, never stored for others by a shared cache); ``Vary: Accept-Language`` only if the
    header chose the language of what went in."""
    vary = _varies(plan, region, used_header) if dependent else (b"Accept-Language",) if used_header else ()
    if not (changed or vary):
        return headers
    return h.edit(
        headers,
        drop=_REWRITTEN if changed else (),
        vary=vary,
        private=dependent and not plan.shared,
        length=len(body) if changed else None,
    )


def stream_headers(plan: Plan, headers: h.RawHeaders, region: bytes | None) -> h.RawHeaders:
    """Headers for a streamed body (or a HEAD): by the same rule as `whole_headers`, assuming the worst of
    what is not known yet: changed, consent-dependent, and in the header's language if it may decide."""
    vary = _varies(plan, region, plan.header_decides)
    return h.edit(headers, drop=_REWRITTEN, vary=vary, private=not plan.shared)
