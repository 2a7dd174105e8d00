"""Document structure: whether a response is a page (not a fragment), its language, and where the banner
and the Consent Mode script go.

The banner goes right after ``<body>`` (first for keyboard and screen-reader users, and painted with the
page); the reopen link of a decided visitor right before ``</body>``; lacking those, before ``</html>``, or
at the end. A ``<body>`` inside ``<noscript>`` or ``<template>`` is not the document's (with scripting on the
browser reads a ``<noscript>`` as text, and a template's content is never rendered). The head script goes
first in ``<head>``, or before the first script, or after ``<body>``: before any tag can read the defaults.
"""

from __future__ import annotations

from .._browser.charrefs import attr_text
from . import spec as s
from .attrs import Tag
from .gate import Gate


def on_doctype(gate: Gate, event: s.Event, buf: bytes) -> bytes | None:
    gate.is_document = True
    return None


def on_html(gate: Gate, event: s.Event, buf: bytes) -> bytes | None:
    gate.is_document = True
    if gate.html_lang is None and event[0] == s.START:
        lang = Tag(buf[event[2] : event[3]]).get(b"lang")
        if lang is not None:
            gate.html_lang = attr_text(lang).strip()
    return None


def on_head(gate: Gate, event: s.Event, buf: bytes) -> bytes | None:
    if gate.head is None or event[0] != s.START:
        return None
    return buf[event[2] : event[3]] + gate.place_head()


def on_body(gate: Gate, event: s.Event, buf: bytes) -> bytes | None:
    gate.is_document = True
    if event[0] != s.START:
        return None
    tag = buf[event[2] : event[3]]
    out = tag + gate.place_head() if gate.head is not None else tag
    if gate.options.at_body_start and not gate.injected and not gate.hidden:
        out += gate.inject()
    return out if out is not tag else None


def on_body_end(gate: Gate, event: s.Event, buf: bytes) -> bytes | None:
    return _before(gate, event, buf, closing_html=False)


def on_html_end(gate: Gate, event: s.Event, buf: bytes) -> bytes | None:
    return _before(gate, event, buf, closing_html=True)


def _before(gate: Gate, event: s.Event, buf: bytes, closing_html: bool) -> bytes | None:
    if not gate.is_document or gate.injected or gate.hidden or gate.options.snippet is None:
        return None
    if gate.options.at_body_start and not closing_html:
        return None  # the banner goes after <body>, or before </html> when a page has no <body>
    return gate.inject() + buf[event[2] : event[3]]


def on_hidden(gate: Gate, event: s.Event, buf: bytes) -> bytes | None:
    gate.hidden += 1
    return None


def on_hidden_end(gate: Gate, event: s.Event, buf: bytes) -> bytes | None:
    gate.hidden = max(0, gate.hidden - 1)
    return None
