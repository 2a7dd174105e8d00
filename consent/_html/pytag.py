"""The start/end tag grammar of the HTML tokenizer as regular expressions, and what a tag triggers.

Written from the tokenizer's states (tag name, before/after attribute name, attribute value in its three
forms, after a quoted value, self-closing start tag): possessive and atomic groups make the expressions
follow those states exactly, so a tag the browser has not finished is never taken as finished (a quote opens
a value only right after ``=``; ``=`` as the first character of an attribute starts its name).
"""

from __future__ import annotations

import re

from . import spec as s

WS = rb"\t\n\f\r "
_NAME = rb"[^" + WS + rb"/>][^" + WS + rb"/>=]*+"
_VALUE = rb"(?:\"[^\"]*+\"|'[^']*+'|[^" + WS + rb">\"'][^" + WS + rb">]*+|(?=>))"
# One attribute: its name, then either "= value" (mandatory once '=' follows) or nothing.
_ATTR_BODY = _NAME + rb"(?>[" + WS + rb"]*+)(?:=[" + WS + rb"]*+" + _VALUE + rb"|(?!=))"
TAG = re.compile(rb"</?[A-Za-z][^" + WS + rb"/>]*+(?:[" + WS + rb"/]*+" + _ATTR_BODY + rb")*+([" + WS + rb"/]*+)>")
TAG_NAME = re.compile(rb"</?([A-Za-z][^" + WS + rb"/>]*+)")
# Attributes of a tag known to be complete, from after its name: (name, value with its quotes or None).
ATTR = re.compile(
    rb"["
    + WS
    + rb"/]*+("
    + _NAME
    + rb")(?>["
    + WS
    + rb"]*+)(?:=["
    + WS
    + rb"]*+(\"[^\"]*+\"|'[^']*+'|[^"
    + WS
    + rb">]*+))?"
)

# Foreign content (SVG, MathML): raw-text elements are not raw there, CDATA sections exist, and these start
# tags break out of it back into HTML (the tree builder's rule for foreign content).
BREAKOUT = frozenset(
    b"b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li listing menu"
    b" meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var".split()
)
FONT_BREAKOUT = frozenset((b"color", b"face", b"size"))
SVG_IP = frozenset((b"foreignobject", b"desc", b"title"))  # HTML integration points in SVG
MATH_IP = frozenset((b"mi", b"mo", b"mn", b"ms", b"mtext", b"annotation-xml"))
FOREIGN = frozenset((b"svg", b"math"))
HTML_IP = b"html"  # a stack entry: HTML content inside foreign content
MAX_DEPTH = 512  # deeper nesting is not tracked (the same in both scanners)


def attributes(tag: bytes, name_end: int) -> list[tuple[bytes, bytes | None]]:
    """Every attribute of a complete tag, in order (duplicates kept): (lower-case name, raw value)."""
    out = []
    for m in ATTR.finditer(tag, name_end, len(tag) - 1):
        value = m[2]
        if value is not None and value[:1] in (b'"', b"'"):
            value = value[1:-1]
        out.append((m[1].lower(), value))
    return out


def watch(names: set[bytes], marker: bytes) -> re.Pattern[bytes]:
    """An expression finding any of these attribute names (or the marker prefix) in a lower-cased tag: most
    tags have none of them, and one search says so."""
    alts = b"|".join(re.escape(n) + rb"(?![^" + WS + rb"/>=])" for n in sorted(names))
    if marker:
        alts = (alts + b"|" if alts else b"") + re.escape(marker)
    return re.compile(rb"[" + WS + rb"/\"'](?:" + (alts or b"(?!)") + rb")")


# A cheap proof that no URL in a tag can trigger (what `plain` checks, all on the lower-cased tag): no
# backslash, control character or character reference but "&amp;"; no quoted value starting with a control
# character or space, or holding a tab or newline; every ':' belongs to http(s):// or a scheme that fetches
# from no host; every "//" is followed by a clean authority naming no listed host.
_RISK = re.compile(
    rb"[\\\x00-\x08\x0b\x0e-\x1f]|&(?!amp;)|=[" + WS + rb"]*+[\"'][\x00-\x20]"
    rb"|=[" + WS + rb"]*+(?:\"[^\"\t\n\r]*+[\t\n\r]|'[^'\t\n\r]*+[\t\n\r])"
)
_SCHEMES = re.compile(rb"(?<![a-z0-9+.-])(?:https?://(?![/\\])|data:|blob:|about:|mailto:|tel:|sms:)")
_AUTHORITY = re.compile(rb"//([^/?#\\" + WS + rb">]*+)")


def plain(low: bytes, hosts: frozenset[bytes]) -> bool:
    """True when no URL-valued attribute of this (lower-cased) tag can trigger, proven cheaply; False when
    the exact test must decide. Sound: it never says True where `triggers` would find a URL trigger."""
    if _RISK.search(low) is not None:
        return False
    if low.count(b":") != len(_SCHEMES.findall(low)):
        return False
    for authority in _AUTHORITY.findall(low):
        if authority[-1:] in (b'"', b"'"):
            authority = authority[:-1]
        if not authority or b'"' in authority or b"'" in authority:
            return False
        verdict, host = s.url_verdict(b"//" + authority)
        if verdict != s.HOST or s.host_listed(host, hosts):
            return False
    return True


def triggers(
    rule: s.TagRule | None,
    tag: bytes,
    name_end: int,
    spec: s.ScanSpec,
    watched: re.Pattern[bytes],
    exact: re.Pattern[bytes] | None = None,
) -> bool:
    """Does this start tag ask to be reported? (See `spec` for the rules; ``watched`` is its `watch`, and
    ``exact`` finds the attributes that `plain` cannot vouch for: the marker, CSS and presence attributes.)"""
    low = tag.lower()
    if watched.search(low, name_end) is None:
        return False
    if exact is not None and exact.search(low, name_end) is None and plain(low, spec.hosts):
        return False
    wild = spec.attrs
    own = rule.attrs if rule is not None else None
    marker = spec.marker if rule is not None else b""
    for name, value in attributes(tag, name_end):
        if marker and name.startswith(marker):
            return True
        kind = (own.get(name) if own else None) or wild.get(name)
        if kind is None:
            continue
        if kind == s.PRESENT:
            return True
        if value is None:
            continue
        if kind == s.URL:
            hit = s.url_triggers(value, spec.hosts)
        elif kind == s.SRCSET:
            hit = s.srcset_triggers(value, spec.hosts)
        else:
            hit = s.css_triggers(value, spec.css_needles)
        if hit:
            return True
    return False


def foreign_step(stack: list[bytes], name: bytes, end: bool, self_closing: bool, tag: bytes, name_end: int) -> None:
    """Track SVG/MathML nesting as the tree builder does, for the one thing it changes: tokenizing."""
    top = stack[-1] if stack else None
    if end:
        if name in FOREIGN:
            if name in stack:
                while stack.pop() != name:
                    pass
        elif stack and top == HTML_IP and name in (SVG_IP | MATH_IP):
            stack.pop()
        elif top in FOREIGN and name in (b"br", b"p"):
            _break_out(stack)
        return
    if top in FOREIGN:
        if name in BREAKOUT or (name == b"font" and _font_breaks(tag, name_end)):
            _break_out(stack)
            return
        ip = (top == b"svg" and name in SVG_IP) or (top == b"math" and name in MATH_IP)
        if ip and name == b"annotation-xml":
            ip = _annotation_html(tag, name_end)
        if self_closing or len(stack) >= MAX_DEPTH:
            return
        if ip:
            stack.append(HTML_IP)
        elif name in FOREIGN:
            stack.append(name)
        return
    if name in FOREIGN and not self_closing and len(stack) < MAX_DEPTH:
        stack.append(name)


def _break_out(stack: list[bytes]) -> None:
    while stack and stack[-1] in FOREIGN:
        stack.pop()


def _font_breaks(tag: bytes, name_end: int) -> bool:
    return any(name in FONT_BREAKOUT for name, _ in attributes(tag, name_end))


def _annotation_html(tag: bytes, name_end: int) -> bool:
    for name, value in attributes(tag, name_end):
        if name == b"encoding":
            return (value or b"").lower() in (b"text/html", b"application/xhtml+xml")
    return False


def in_foreign(stack: list[bytes]) -> bool:
    return bool(stack) and stack[-1] in FOREIGN
