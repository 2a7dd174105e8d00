"""The engine: the gate's handlers registered once, compiled for the scanner back end; one `Rewriter` per
response (``feed(chunk) -> bytes``, ``close() -> bytes``, then its results)."""

from __future__ import annotations

from collections.abc import Collection

from .._memo import Memo
from . import backend as b
from . import document as d
from . import spec as s
from .embeds import on_iframe
from .fetch import ANYWHERE, CSS_NEEDLES, FETCH, on_any, on_base, on_element, on_meta, on_style
from .gate import MARKER, Blocking, Gate, Options
from .scripts import SEARCHED_TYPES, URLS, on_script
from .tokenizer import Program, Registry, Tokenizer

MAX_HOLD = 1 << 20  # the longest tag, or inline script, held to be read whole


def registry(anchors: Collection[bytes], scan_every_script: bool, head_first: bool) -> Registry:
    """What the gate listens to. ``head_first``: a head script is still to be placed (before any script)."""
    r = Registry()
    r.doctype(d.on_doctype)
    r.start(b"html", d.on_html, always=True)
    r.end(b"html", d.on_html_end)
    r.start(b"head", d.on_head, always=True, pause=head_first)
    r.start(b"body", d.on_body, always=True, pause=head_first)
    r.end(b"body", d.on_body_end)
    for hidden in (b"noscript", b"template"):
        r.start(hidden, d.on_hidden, always=True)
        r.end(hidden, d.on_hidden_end)
    r.content(
        b"script",
        on_script,
        needles=anchors,
        search_when=(b"type", SEARCHED_TYPES),  # JSON, templates and the like never run: not searched
        attrs=URLS,
        always=head_first or scan_every_script,
        pause=head_first,
    )
    r.content(b"style", on_style, needles=CSS_NEEDLES, nocase=True, any_needle=True)
    r.start(b"iframe", on_iframe, attrs={b"src": s.URL, b"srcdoc": s.PRESENT})
    for name, attrs in FETCH.items():
        r.start(name, on_element, attrs=attrs)
    r.start(b"meta", on_meta, attrs={b"http-equiv": s.PRESENT})
    r.start(b"base", on_base, always=True)
    for name, kind in ANYWHERE.items():
        r.attribute(name, kind, on_any)
    return r


class Engine:
    """The rules for one configuration: built once at startup, shared by every response."""

    def __init__(
        self,
        blocking: Blocking | None,
        optional: Collection[str],
        backend: b.Backend = b.DEFAULT,
        max_hold: int = MAX_HOLD,
    ) -> None:
        self.blocking = blocking
        self.optional = tuple(optional)
        self.backend = backend
        trackers = blocking.trackers if blocking is not None else None
        hosts = trackers.hosts if trackers is not None else frozenset()
        anchors = trackers.anchors if trackers is not None else ()
        every = trackers.always_scan if trackers is not None else False
        options = {"hosts": hosts, "marker": MARKER, "css_needles": CSS_NEEDLES, "max_tag": max_hold}
        options["max_content"] = max_hold
        self.normal = Program(registry(anchors, every, head_first=False), backend, **options)
        self.memo: Memo[tuple[object, ...], object] = Memo("gate decisions", 8192, 8 << 20, 1 << 20)
        self.head_first = Program(registry(anchors, every, head_first=True), backend, **options)

    def rewriter(self, options: Options) -> Rewriter:
        return Rewriter(self, options)


class Rewriter:
    """Rewrites one response as it streams. Results, once closed: ``changed``, ``dependent`` (the bytes
    depend on the visitor's choice), ``injected`` (the snippet went in), ``html_lang``."""

    def __init__(self, engine: Engine, options: Options, depth: int = 0) -> None:
        self.engine = engine
        gate = self.gate = Gate(options, engine.blocking, engine.optional, depth, engine.memo)
        self.tokenizer = Tokenizer(engine.head_first if options.head else engine.normal, gate)
        gate.switch = lambda: self.tokenizer.switch(engine.normal)
        gate.nested = self._nested

    def feed(self, chunk: bytes) -> bytes:
        return self.tokenizer.feed(chunk)

    def close(self) -> bytes:
        return self.tokenizer.close() + self.gate.finish()

    def rewrite(self, body: bytes) -> bytes:
        return self.feed(body) + self.close()

    @property
    def changed(self) -> bool:
        return self.gate.changed

    @property
    def dependent(self) -> bool:
        return self.gate.dependent

    @property
    def injected(self) -> bool:
        return self.gate.injected

    @property
    def html_lang(self) -> str | None:
        return self.gate.html_lang

    def _nested(self, html: bytes) -> tuple[bytes | None, bool, set[str]]:
        """An iframe's srcdoc document, through the same gate (no banner, no head script, and no placeholder in
        its own iframes: they are made inert plainly, so that the result depends only on the srcdoc)."""
        outer = self.gate.options
        options = Options(allowed=outer.allowed, encoding="utf-8")
        inner = Rewriter(self.engine, options, self.gate.depth + 1)
        out = inner.rewrite(html)
        return (out if inner.changed else None), inner.gate.gated, inner.gate.refused
