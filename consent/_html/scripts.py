"""Scripts: which ones run for this visitor.

A script is a matter of consent when it is marked (``data-consent``), when its ``src`` (``href`` in SVG) is a
known tracker's, or when its inline text holds a known vendor snippet (all of it is searched: the scanner holds
the whole script, up to 1 MiB; a larger one cannot be vouched for and needs every category). It then runs only
if the visitor allows every category it needs (`Gate.decide`); otherwise it is served with
``type="text/plain"`` (its own type kept in ``data-type``), which no browser runs or fetches, and the client
script runs it once, in document order, after a choice that allows it.
"""

from __future__ import annotations

from .._browser.charrefs import attr_text
from .._trackers import Provider
from . import spec as s
from .attrs import Tag
from .fetch import _make_inert, _make_live, activate, neutralise, providers_of
from .gate import MARKER, Gate, remembered

JS_TYPES = frozenset(
    (
        b"",
        b"text/javascript",
        b"application/javascript",
        b"module",
        b"text/ecmascript",
        b"application/ecmascript",
        b"application/x-javascript",
        b"text/x-javascript",
        b"text/jscript",
        b"text/livescript",
    )
)
URLS = {b"src": s.URL, b"href": s.URL, b"xlink:href": s.URL}
SVG_HREFS = [b"href", b"xlink:href"]
# What the scanner searches inline scripts of: JavaScript, and what a marker keeps inert (text/plain).
SEARCHED_TYPES = tuple(sorted(JS_TYPES | {b"text/plain"}))


def runs_as_javascript(tag: Tag) -> bool:
    """Would this script be JavaScript once live? (JSON-LD, templates and the like never run.) Character
    references in the type count as the browser reads them."""
    kind = _type(tag.get(b"type"))
    if kind == b"text/plain" and MARKER in tag:
        kind = _type(tag.get(b"data-type"))  # gated by its author: its own type is kept here
    return kind is None or kind in JS_TYPES


def _type(value: bytes | None) -> bytes | None:
    if value is None:
        return None
    if b"&" in value:
        value = attr_text(value).encode("utf-8", "replace")
    return value.strip(b"\t\n\f\r ").lower()


@remembered
def on_script(gate: Gate, event: s.Event, buf: bytes) -> bytes | None:
    kind, start, end = event[0], event[2], event[3]
    before = gate.place_head() if gate.head is not None and gate.is_document else b""
    if kind == s.TOO_LONG:
        neutral = gate.fail_closed(buf[start:end], b' type="text/plain"')
        return before + (neutral if neutral is not None else buf[start:end]) if before or neutral else None
    tag = Tag(buf[start:end])
    providers = providers_of(gate, tag, URLS)
    unscannable = False
    if tag.get(b"src") is None and runs_as_javascript(tag):
        if kind == s.TRUNCATED:
            unscannable = True
        elif kind == s.CONTENT and (event[5] or gate.blocking and gate.blocking.trackers.always_scan):
            providers += _snippets(gate, buf[end : event[4]], event[5], providers)
    if unscannable:  # too long to search: it needs every category (fail closed)
        runs = gate.decide(tag, providers, gate.optional, "unscannable")
    else:
        runs = gate.decide(tag, providers)
    if runs is False:
        _make_inert(tag)
        neutralise(tag, SVG_HREFS)  # Chromium fetches an SVG script's href whatever its type says
    elif runs and MARKER in tag:
        _make_live(tag)
        activate(tag, [b"src", *SVG_HREFS])
    out = gate.edited(tag)
    if not before:
        return out
    return before + (out if out is not None else tag.raw)


def _snippets(gate: Gate, text: bytes, anchors: tuple[int, ...], already: list[Provider]) -> list[Provider]:
    """Vendor snippets in an inline script, from the anchors the scanner found in it."""
    if gate.blocking is None:
        return []
    exempt = gate.blocking.exempt
    found = gate.blocking.trackers.for_anchors(text, anchors)
    return [p for p in found if p.id not in exempt and p not in already]
