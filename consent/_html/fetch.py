"""Every element and attribute that makes a browser fetch, in one table, and how the gate neutralises and
restores each.

Neutralising renames the attribute to ``data-<name>`` (``src`` -> ``data-src``), which the browser ignores;
restoring (the server for a visitor who allows the category, the client script after a choice) renames it
back. CSS in a ``style`` attribute goes the same way (``data-style``); a ``<style>`` element gets
``type="text/plain"``; a ``<meta http-equiv=refresh>`` becomes an ordinary ``<meta>``; a ``<base href>`` on a
tracker's host stops being the base. Tags too large to read get attributes that win over the author's.
"""

from __future__ import annotations

import re
from typing import cast

from .._browser.attrurls import refresh_urls, srcset_urls
from .._browser.charrefs import attr_text
from .._browser.css import css_urls
from .._browser.urls import BaseURL
from .._trackers import Provider
from . import spec as s
from .attrs import Tag
from .gate import Gate, remembered

URL, SRCSET, CSS = s.URL, s.SRCSET, s.CSS
_XLINK = b"xlink:href"

# element -> its attributes that fetch, and their kinds. Scripts and iframes have handlers of their own.
FETCH: dict[bytes, dict[bytes, int]] = {
    b"img": {b"src": URL, b"srcset": SRCSET},
    b"source": {b"src": URL, b"srcset": SRCSET},
    b"link": {b"href": URL, b"imagesrcset": SRCSET},
    b"video": {b"src": URL, b"poster": URL},
    b"audio": {b"src": URL},
    b"track": {b"src": URL},
    b"embed": {b"src": URL},
    b"object": {b"data": URL},
    b"input": {b"src": URL},
    b"frame": {b"src": URL},
    b"image": {b"href": URL, _XLINK: URL},  # SVG
    b"use": {b"href": URL, _XLINK: URL},
    b"feimage": {b"href": URL, _XLINK: URL},
}
# Attributes that fetch on whatever element carries them.
ANYWHERE: dict[bytes, int] = {b"style": CSS, b"background": URL, b"ping": URL}
# What the client script renames back after a choice (consent.js keeps the same list).
RESTORED = sorted({a for attrs in FETCH.values() for a in attrs} | set(ANYWHERE) | {b"srcdoc"})
# <link rel> values that fetch nothing: such links are left alone even when they name a tracker.
_INERT_RELS = frozenset(
    b"alternate author bookmark canonical external help license me next nofollow noopener "
    b"noreferrer opener prev search tag shortlink".split()
)
# Written first into a tag too large to read, so that the author's own attributes (later duplicates) are void.
_OVERRIDE = {
    b"link": b' rel="x-consent-blocked"',
    b"object": b' data=""',
    b"video": b' src="" poster=""',
    b"meta": b' http-equiv="x-consent-blocked"',
    b"base": b' href=""',
}
CSS_NEEDLES = (b"url(", b"@import", b"image-set(", b"image(", b"\\")
# Written first into an inert <style>'s CSS: Chromium's preload scanner fetches a leading @import whatever the
# type says, and stops at the first rule. The client script takes it out again when it activates the style.
INERT_CSS = b"consent-inert{}"
# Every place a plain stylesheet (no escapes, no image-set) can fetch from, and a little more (comments too).
# Searched in a lower-cased copy (a case-insensitive pattern is several times slower; only hosts are judged).
_CSS_CANDIDATES = re.compile(rb"url\(\s*(?:\"([^\"]*)\"|'([^']*)'|([^)\s\"']*))|@import\s*(?:\"([^\"]*)\"|'([^']*)')")
_CSS_PRECISE = (b"image-set(", b"image(", b"cross-fade(")


def providers_of(gate: Gate, tag: Tag, attrs: dict[bytes, int]) -> list[Provider]:
    """Known trackers the element's fetching attributes (live, or kept in ``data-…``) go to."""
    found: list[Provider] = []
    for name, kind in attrs.items():
        for key in (name, b"data-" + name):
            raw = tag.get(key)
            if not raw:
                continue
            if kind == URL:
                hits = gate.url_providers(raw)
            elif kind == SRCSET:
                hits = [
                    p for url in srcset_urls(attr_text(raw, gate.options.encoding)) for p in gate.text_providers(url)
                ]
            else:
                hits = css_providers(gate, attr_text(raw, gate.options.encoding).encode("utf-8"))
            found.extend(p for p in hits if p not in found)
    return found


def css_providers(gate: Gate, css: bytes) -> list[Provider]:
    """Known trackers a stylesheet fetches from. Most CSS is plain: every ``url()`` and ``@import`` in it
    (comments included: only over-gating) is first-party or an unlisted host, which a cheap search proves;
    anything else is parsed as CSS (escapes, ``image-set``). Remembered per text: a site's styles repeat."""
    if gate.blocking is None:
        return []
    memo = gate.memo
    key = (b"css", css, gate.base)
    found = cast("tuple[Provider, ...] | None", memo.get(key) if memo is not None else None)
    if found is not None:
        return list(found)
    lower = css.lower()
    plain = b"\\" not in css and not any(needle in lower for needle in _CSS_PRECISE)
    if plain:
        for m in _CSS_CANDIDATES.finditer(lower):
            url = next(g for g in m.groups() if g is not None).strip()
            verdict, host = s.url_verdict(url)
            if verdict == s.UNCLEAR or (verdict == s.HOST and s.host_listed(host, gate.blocking.trackers.hosts)):
                plain = False
                break
    if plain:
        result: list[Provider] = []
    else:
        result = [p for url in css_urls(css.decode("utf-8", "replace")) for p in gate.text_providers(url)]
    if memo is not None:
        memo.put(key, tuple(result), len(css) + 64)
    return result


def neutralise(tag: Tag, attrs: dict[bytes, int] | list[bytes]) -> None:
    """Rename each live fetching attribute to ``data-…`` (the author's own ``data-…`` copy wins if present)."""
    for name in attrs:
        value = tag.get(name)
        if value is None or value.strip().lower() in (b"", b"about:blank"):
            continue
        if b"data-" + name in tag:
            tag.remove(name)
        else:
            tag.rename(name, b"data-" + name)


def activate(tag: Tag, attrs: dict[bytes, int] | list[bytes]) -> None:
    """Rename each ``data-…`` copy back to the live attribute (the real URL wins over a placeholder)."""
    for name in attrs:
        if b"data-" + name not in tag:
            continue
        if name in tag:
            tag.remove(name)
        tag.rename(b"data-" + name, name)


def gate_element(gate: Gate, tag: Tag, attrs: dict[bytes, int]) -> bytes | None:
    """The common case: decide, then neutralise or (for a marked element) activate."""
    runs = gate.decide(tag, providers_of(gate, tag, attrs))
    if runs is None:
        return None
    if runs:
        if b"data-consent" in tag:
            activate(tag, attrs)
    else:
        neutralise(tag, attrs)
    return gate.edited(tag)


@remembered
def on_element(gate: Gate, event: s.Event, buf: bytes) -> bytes | None:
    kind, name, start, end = event[0], event[1], event[2], event[3]
    if kind == s.TOO_LONG:
        return gate.fail_closed(buf[start:end], _OVERRIDE.get(name, b' src="" srcset="" href=""'))
    tag = Tag(buf[start:end])
    attrs = {**FETCH[name], **ANYWHERE}
    if name == b"link":
        rels = set((tag.get(b"rel") or b"").lower().split())
        if rels and rels <= _INERT_RELS:
            attrs = dict(ANYWHERE)
    return gate_element(gate, tag, attrs)


@remembered
def on_any(gate: Gate, event: s.Event, buf: bytes) -> bytes | None:
    """A tag reported for an attribute that fetches wherever it is (style, background, ping)."""
    return gate_element(gate, Tag(buf[event[2] : event[3]]), ANYWHERE)


@remembered
def on_meta(gate: Gate, event: s.Event, buf: bytes) -> bytes | None:
    kind, start, end = event[0], event[2], event[3]
    if kind == s.TOO_LONG:
        return gate.fail_closed(buf[start:end], _OVERRIDE[b"meta"])
    tag = Tag(buf[start:end])
    equiv = tag.get(b"http-equiv")
    if equiv is None or attr_text(equiv).strip().lower() != "refresh":
        return gate_element(gate, tag, ANYWHERE)
    content = attr_text(tag.get(b"content") or b"", gate.options.encoding)
    providers = [p for url in refresh_urls(content) for p in gate.text_providers(url)]
    runs = gate.decide(tag, providers)
    if runs is False:
        tag.rename(b"http-equiv", b"data-http-equiv")
    return gate.edited(tag)


def on_base(gate: Gate, event: s.Event, buf: bytes) -> bytes | None:
    """The first ``<base href>`` sets how later relative URLs resolve; on a tracker's host, it is made inert
    (relative URLs then stay first-party) until the visitor allows that tracker."""
    kind, start, end = event[0], event[2], event[3]
    if kind == s.TOO_LONG:
        return gate.fail_closed(buf[start:end], _OVERRIDE[b"base"])
    tag = Tag(buf[start:end])
    href = tag.get(b"href")
    if href is None or gate.base_seen:
        return gate_element(gate, tag, ANYWHERE)
    gate.base_seen = True
    text = attr_text(href, gate.options.encoding)
    base = BaseURL.parse(text)
    providers = [p for host in base.hosts if (p := _host_provider(gate, host)) is not None]
    runs = gate.decide(tag, providers)
    if runs is False:
        tag.rename(b"href", b"data-href")
    else:
        gate.base = base
    return gate.edited(tag)


def _host_provider(gate: Gate, host: str) -> Provider | None:
    if gate.blocking is None:
        return None
    found = gate.blocking.trackers.for_host(host.encode(), None)
    return found if found is not None and found.id not in gate.blocking.exempt else None


@remembered
def on_style(gate: Gate, event: s.Event, buf: bytes) -> bytes | None:
    """A ``<style>`` element: its CSS fetching from a tracker makes the whole block inert."""
    kind, start, end, content_end = event[0], event[2], event[3], event[4]
    if kind == s.TOO_LONG:
        return gate.fail_closed(buf[start:end], b' type="text/plain"')
    tag = Tag(buf[start:end])
    providers = []
    if kind == s.CONTENT and event[5]:
        css = buf[end:content_end]
        if gate.options.encoding not in ("utf-8", "ascii"):
            css = css.decode(gate.options.encoding, "replace").encode("utf-8")
        providers = css_providers(gate, css)
    runs = gate.decide(tag, providers + providers_of(gate, tag, ANYWHERE))
    if runs is False:
        _make_inert(tag)
        if kind == s.CONTENT and content_end > end:
            gate.changed = True
            return (gate.edited(tag) or tag.raw) + INERT_CSS
    elif runs and b"data-consent" in tag:
        _make_live(tag)
    return gate.edited(tag)


def _make_inert(tag: Tag) -> None:
    """``type="text/plain"`` (the author's type kept in ``data-type``): a script or style that does nothing."""
    value = tag.get(b"type")
    if value is not None and value.strip().lower() == b"text/plain":
        return
    if value is None:
        tag.insert(b' type="text/plain"')
        return
    quote = tag.quote(b"type")
    keep = b"" if b"data-type" in tag else b" data-type=" + quote + value + quote  # the author's, for later
    tag.replace(b"type", b'type="text/plain"' + keep)


def _make_live(tag: Tag) -> None:
    value = tag.get(b"type")
    if value is None or value.strip().lower() != b"text/plain":
        return
    tag.remove(b"type")
    if b"data-type" in tag:
        tag.rename(b"data-type", b"type")
