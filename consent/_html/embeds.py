"""Iframes: gated like every element (`Gate.decide`), with two things of their own.

A blocked iframe keeps its size and shows a placeholder (its ``srcdoc``) naming the provider, with "Load this
once", "Always allow <category>" and a link to the content. An iframe's own ``srcdoc`` is a document: it is
rewritten by the same gate (trackers in it inert) and the author's version kept in ``data-srcdoc``, which the
client script puts back after a choice that allows them.
"""

from __future__ import annotations

from functools import partial
from html import escape
from typing import cast

from .._browser.charrefs import attr_text
from .._trackers import Provider
from . import spec as s
from .attrs import Tag
from .fetch import ANYWHERE, activate, neutralise, providers_of
from .gate import MARKER, Gate, remembered

URLS = {b"src": s.URL, **ANYWHERE}
MAX_DEPTH = 2  # srcdoc inside srcdoc inside srcdoc: not rewritten further, gated whole instead


@partial(remembered, page=True)
def on_iframe(gate: Gate, event: s.Event, buf: bytes) -> bytes | None:
    kind, start, end = event[0], event[2], event[3]
    if kind == s.TOO_LONG:
        return gate.fail_closed(buf[start:end], b' src="about:blank" srcdoc=""')
    tag = Tag(buf[start:end])
    providers = providers_of(gate, tag, URLS)
    srcdoc = tag.get(b"srcdoc")
    inner, refused = _inner(gate, srcdoc) if srcdoc else (None, frozenset[str]())
    # What the srcdoc document holds inert, the iframe needs too: then the client script puts the author's
    # version back after a choice that allows it.
    extra = gate.optional if inner is False else refused
    runs = gate.decide(tag, providers, extra, "srcdoc" if extra else "")
    if runs is False:
        neutralise(tag, URLS)
        if srcdoc is None:
            _placeholder(gate, tag, providers)
    elif runs and MARKER in tag:
        activate(tag, URLS)
    if isinstance(inner, bytes):
        tag.rename(b"srcdoc", b"data-srcdoc")
        tag.append(b' srcdoc="' + inner + b'"')
    return gate.edited(tag)


def _inner(gate: Gate, srcdoc: bytes) -> tuple[bytes | bool | None, frozenset[str]]:
    """The srcdoc document rewritten for this visitor: its escaped new value, None when unchanged, False
    when it is nested too deep to rewrite (it then needs every category); and the categories made inert in it."""
    if gate.nested is None:
        return None, frozenset()
    if gate.depth >= MAX_DEPTH:
        return False, frozenset()
    key = (b"srcdoc", srcdoc, gate.allowed, gate.options.encoding, gate.depth)
    found = cast(
        "tuple[bytes | None, bool, frozenset[str]] | None", gate.memo.get(key) if gate.memo is not None else None
    )
    if found is None:  # the same embed code comes back on page after page
        html = attr_text(srcdoc, gate.options.encoding)
        out, gated, inert = gate.nested(html.encode("utf-8"))
        value = None if out is None else escape(out.decode("utf-8"), quote=True).encode("ascii", "xmlcharrefreplace")
        found = (value, gated, frozenset(inert))
        if gate.memo is not None:
            gate.memo.put(key, found, 2 * len(srcdoc) + (len(value) if value else 0) + 96)
    value, gated, refused = found
    if gated:
        gate.gated = True
    return value, refused


def _placeholder(gate: Gate, tag: Tag, providers: list[Provider]) -> None:
    make = gate.options.placeholder
    url = tag.get(b"data-src") or tag.get(b"src")
    if make is None or url is None:
        return
    refused = [c for c in gate.required if c not in gate.allowed]
    name = providers[0].name if providers else None
    tag.append(b' srcdoc="' + make(name, " ".join(refused), url, gate.html_lang) + b'"')
