"""The consent gate: what a page's markup may load for this visitor, decided element by element.

It registers handlers with the tokenizer and knows nothing of tokenizing. Every handler ends in `decide`,
the one place that says whether an element runs: the categories it needs are those its ``data-consent``
marker names plus the category of any known tracker it loads (a marker cannot unblock a tracker, unless the
site owner adds ``data-consent-allow-tracker``); when the visitor allows all of them the element is served
active, otherwise inert. Which elements and attributes make a browser fetch is the table in `fetch`; scripts
are in `scripts`, iframes and their placeholders in `embeds`. Document structure (the banner after
``<body>``, the Consent Mode script first in ``<head>``) is here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import cast

from .._browser.charrefs import attr_text
from .._browser.urls import BaseURL, fetch_hosts
from .._memo import Memo
from .._trackers import Provider, Trackers
from . import spec as s
from .attrs import Tag

MARKER = b"data-consent"
TRUST = b"data-consent-allow-tracker"  # the site owner vouches for this element: its marker alone decides
NECESSARY = "necessary"
Snippet = Callable[["str | None"], bytes]
# placeholder(provider name or None, category, url, page lang) -> the escaped value of an iframe's srcdoc.
Placeholder = Callable[["str | None", str, bytes, "str | None"], bytes]


@dataclass(frozen=True)
class Blocking:
    """The tracker table, how its categories map onto the site's, and providers left alone (Google's tags
    in advanced Consent Mode)."""

    trackers: Trackers
    category: Mapping[str, str] = field(default_factory=dict)
    exempt: frozenset[str] = frozenset()

    def category_of(self, provider: Provider) -> str:
        return self.category.get(provider.category, provider.category)


@dataclass(frozen=True)
class Options:
    """What one response needs: who the visitor is, and what to write into the page."""

    allowed: frozenset[str]
    snippet: Snippet | None = None
    at_body_start: bool = True  # the banner goes right after <body>; else (the reopen link) before </body>
    placeholder: Placeholder | None = None
    head: bytes | None = None  # for the top of <head> (Consent Mode defaults): before any script
    encoding: str = "utf-8"
    # What `placeholder` depends on besides its arguments (the plan's language inputs, paths): with it, iframe
    # decisions can be remembered across responses; None: they are not.
    memo_key: object = None


class Gate:
    """The per-response state of the rules, and their results."""

    def __init__(
        self,
        options: Options,
        blocking: Blocking | None,
        optional: Collection[str],
        depth: int = 0,
        memo: Memo[tuple[object, ...], object] | None = None,
    ) -> None:
        self.options = options
        self.memo = memo  # the engine's: decisions that depend only on their inputs, shared by every response
        self.allowed = options.allowed
        self.blocking = blocking
        self.optional = optional
        self.depth = depth  # srcdoc nesting
        self.head = options.head
        self.base: BaseURL | None = None
        self.base_seen = False
        self.hidden = 0  # inside <noscript> or <template>: a <body> there is not the document's
        # Results.
        self.is_document = False
        self.injected = False
        self.changed = False
        self.gated = False  # the output depends on the visitor's choice
        self.html_lang: str | None = None
        self.required: list[str] = []  # what the last element decided on needs
        self.refused: set[str] = set()  # every category an element was made inert for
        self.switch: Callable[[], None] | None = None  # set by the rewriter: head script placed, stop looking
        # set by the rewriter: rewrite an iframe's srcdoc document -> (new bytes or None, consent-dependent,
        # the categories made inert in it)
        self.nested: Callable[[bytes], tuple[bytes | None, bool, set[str]]] | None = None

    @property
    def dependent(self) -> bool:
        return self.is_document or self.gated

    # -- trackers ------------------------------------------------------------------------------------------

    def url_providers(self, raw: bytes) -> list[Provider]:
        """The known trackers a fetch of this raw attribute value goes to (usually none)."""
        blocking = self.blocking
        if blocking is None or not raw:
            return []
        verdict, host = s.url_verdict(raw)
        if verdict == s.FIRST_PARTY:
            return []
        if verdict == s.HOST:
            found = blocking.trackers.for_host(host, _path(raw))
            return [found] if found is not None and found.id not in blocking.exempt else []
        return self.text_providers(attr_text(raw, self.options.encoding))

    def text_providers(self, text: str) -> list[Provider]:
        """The same for a URL already decoded (from srcset, CSS or a refresh), resolved against the base."""
        blocking = self.blocking
        if blocking is None:
            return []
        out = []
        for host in fetch_hosts(text, self.base):
            found = blocking.trackers.for_host(host.encode(), None)
            if found is not None and found.id not in blocking.exempt and found not in out:
                out.append(found)
        return out

    # -- the decision ----------------------------------------------------------------------------------------

    def decide(self, tag: Tag, providers: list[Provider], extra: Collection[str] = (), why: str = "") -> bool | None:
        """Whether ``tag``'s element may run for this visitor: True (serve it active), False (inert), None
        (not a matter of consent). Marks an inert element with what it needs (``data-consent``) and which
        trackers were found (``data-consent-auto``), so the client script can activate it after a choice.
        ``extra``: categories needed besides (all of them for what cannot be read), ``why`` says so."""
        marked = tag.get(MARKER)
        wanted = set(marked.decode("latin-1").split()) if marked else set()
        from_trackers = {self.blocking.category_of(p) for p in providers} if self.blocking else set()
        if wanted and TRUST in tag:
            from_trackers = set()
        required = (wanted | from_trackers | set(extra)) - {NECESSARY}
        self.required = sorted(required)
        if not wanted and not from_trackers and not extra:
            return None
        self.gated = True
        if required <= self.allowed:
            return True
        self.refused |= required - self.allowed
        needed = " ".join(sorted(required)).encode()
        if marked is None:
            tag.insert(b" " + MARKER + b'="' + needed + b'"')
        elif set(marked.decode("latin-1").split()) != required:
            tag.set(MARKER, needed)
        found = " ".join([p.id for p in providers] + ([why] if why else []))
        if found and b"data-consent-auto" not in tag:
            tag.insert(b' data-consent-auto="' + found.encode() + b'"')
        return False

    def fail_closed(self, tag_start: bytes, insert: bytes) -> bytes | None:
        """A tag too large to read: unless every category is allowed, put ``insert`` (attributes that win
        over the author's, since the first of two equal names counts) right after its name."""
        if set(self.optional) <= self.allowed:
            return None
        self.gated = True
        self.changed = True
        needed = " ".join(sorted(self.optional)).encode()
        return tag_start + insert + b' data-consent="' + needed + b'" data-consent-auto="oversized"'

    def edited(self, tag: Tag) -> bytes | None:
        if not tag.changed:
            return None
        self.changed = True
        return bytes(tag)

    # -- document structure -----------------------------------------------------------------------------------

    def inject(self) -> bytes:
        self.injected = True
        snippet = self.options.snippet
        if snippet is None:
            return b""
        self.changed = True
        return snippet(self.html_lang)

    def place_head(self) -> bytes:
        head, self.head = self.head, None
        if self.switch is not None:
            self.switch()
        if not head:
            return b""
        self.changed = True
        return head

    def finish(self) -> bytes:
        """What goes at the very end: the banner, if a document never had a place for it."""
        if self.is_document and not self.injected and self.options.snippet is not None:
            return self.inject()
        return b""


Handler = Callable[["Gate", s.Event, bytes], "bytes | None"]


def remembered(handler: Handler, page: bool = False) -> Handler:
    """A handler whose answer depends only on the tag, its held content and the visitor: remembered in the
    engine's memo, since the same tags (a site's analytics loader, its images) come back on page after page.
    ``page``: it also depends on the page (the placeholder's language and links), part of the key then. While
    a head script is still to be placed, everything runs."""

    def run(gate: Gate, event: s.Event, buf: bytes) -> bytes | None:
        memo = gate.memo
        if memo is None or event[0] == s.TOO_LONG or gate.head is not None:
            return handler(gate, event, buf)
        if page and gate.options.memo_key is None:
            return handler(gate, event, buf)
        tag = buf[event[2] : event[3]]
        content = buf[event[3] : event[4]] if event[5] else b""  # vendor snippets in it: it decides too
        extra = (gate.options.memo_key, gate.html_lang) if page else None
        key = (handler, event[0], tag, content, gate.allowed, gate.base, gate.options.encoding, extra)
        found = cast("tuple[bytes | None, bool, frozenset[str]] | None", memo.get(key))
        if found is None:
            (before, gate.gated), (refused, gate.refused) = (gate.gated, False), (gate.refused, set())
            found = (handler(gate, event, buf), gate.gated, frozenset(gate.refused))
            memo.put(key, found, 2 * len(tag) + len(content) + 96)
            gate.gated, gate.refused = before or gate.gated, refused | gate.refused
        out, gated, made_inert = found
        if gated:
            gate.gated = True
        gate.refused |= made_inert
        if out is not None:
            gate.changed = True
        return out

    run.__doc__ = handler.__doc__
    return run


def _path(raw: bytes) -> str | None:
    """The path of a plain absolute URL (None when character references make it uncertain)."""
    rest = raw.split(b"//", 1)[-1]
    slash = rest.find(b"/")
    if slash < 0:
        return "/"
    path = rest[slash:].split(b"?", 1)[0].split(b"#", 1)[0]
    return None if b"&" in path or b"\\" in path else path.decode("latin-1")
