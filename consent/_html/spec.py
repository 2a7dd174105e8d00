"""What the scanner is asked to find: the scan specification, shared by both back ends.

The scanner tokenizes HTML as a browser does (start and end tags with their attributes, comments, doctypes,
raw-text elements, script data with its escape states, foreign content) and reports only what its
registrations ask for, as events with byte offsets. It knows nothing of consent: which tags matter, which
attributes hold URLs, which hosts and which words in a script are interesting all come from the caller.

A start tag of a registered element is reported when its rule says ``ALWAYS``, or, for ``FILTER``, when one of
its attributes *triggers*:

- an attribute whose name starts with ``marker``;
- a ``URL`` attribute whose value is not plainly harmless (`url_verdict` is not `FIRST_PARTY`, or names a
  host in ``hosts``, or a parent domain of one);
- a ``SRCSET`` attribute any of whose candidate URLs triggers as above;
- a ``CSS`` attribute whose value holds one of ``css_needles`` (case-insensitive) or a character reference;
- a ``PRESENT`` attribute, whatever its value.

``attrs`` rules keyed by attribute name apply to every start tag, registered or not (``style``, say). A
registered raw-text element with ``content`` is reported together with its content (held until its end tag,
up to ``max_content`` bytes), and also when the content holds one of the rule's needles.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

# Attribute kinds.
URL, SRCSET, CSS, PRESENT = 1, 2, 3, 4
# Start-tag reporting.
NEVER, FILTER, ALWAYS = 0, 1, 2
# Content needles: none, case-sensitive, ASCII case-insensitive.
NO_CONTENT, CONTENT_EXACT, CONTENT_NOCASE = 0, 1, 2

# Event kinds: (kind, name, start, end, content_end, hits): hits are the indices of the rule's needles found in
# a CONTENT event's content (the exact set), () otherwise.
START, CONTENT, END, DOCTYPE, TRUNCATED, TOO_LONG = 1, 2, 3, 4, 5, 6
Event = tuple[int, bytes, int, int, int, tuple[int, ...]]

# What the HTML tokenizer treats as raw text (in HTML content, not in SVG or MathML).
RAWTEXT = frozenset((b"style", b"xmp", b"iframe", b"noembed", b"noframes"))
RCDATA = frozenset((b"textarea", b"title"))
RAW_ELEMENTS = RAWTEXT | RCDATA | {b"script", b"plaintext"}
MAX_NAME = 31  # longer tag or attribute names are never registered


@dataclass(frozen=True)
class TagRule:
    start: int = NEVER
    end: bool = False  # report end tags
    pause: bool = False  # the scanner returns after reporting this element (its handler may re-register)
    attrs: Mapping[bytes, int] = field(default_factory=dict)
    content: int = NO_CONTENT
    needles: tuple[bytes, ...] = ()
    # Search the content for needles only when this attribute is absent, or its value (stripped of ASCII
    # whitespace, lower-cased) is one of these, or holds a character reference: (b"type", (b"", b"module")).
    search_when: tuple[bytes, tuple[bytes, ...]] | None = None
    # True: report only whether a needle occurs (hits ``(0,)``, or ``()``), which lets the search stop early.
    any_needle: bool = False


def searches(rule: TagRule, value: bytes | None) -> bool:
    """Whether a held element whose watched attribute has ``value`` (None: absent) is searched for needles."""
    if rule.search_when is None or value is None:
        return True
    return b"&" in value or value.strip(b"\t\n\f\r ").lower() in rule.search_when[1]


@dataclass(frozen=True)
class ScanSpec:
    tags: Mapping[bytes, TagRule] = field(default_factory=dict)
    attrs: Mapping[bytes, int] = field(default_factory=dict)  # checked on every start tag
    hosts: frozenset[bytes] = frozenset()
    marker: bytes = b""
    css_needles: tuple[bytes, ...] = ()
    max_tag: int = 1 << 20
    max_content: int = 1 << 20

    def __post_init__(self) -> None:
        for name in [*self.tags, *self.attrs]:
            if not name or len(name) > MAX_NAME or name != name.lower():
                raise ValueError(f"{name!r}: names are lower-case, 1-{MAX_NAME} bytes")
        for rule in self.tags.values():
            if any(len(n) > 64 or not n for n in rule.needles) or len(rule.needles) > 256:
                raise ValueError("needles are 1-64 bytes, at most 256 per rule")


# -- URL verdicts: the part of the WHATWG URL parser that decides which host a fetch goes to --------------

FIRST_PARTY, HOST, UNCLEAR = 0, 1, 2
_SCHEME_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.")
_ALPHA = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_HOST_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_~:@[]")
_NO_HOST_SCHEMES = frozenset((b"data", b"blob", b"about", b"mailto", b"tel", b"sms"))
_WEB_SCHEMES = frozenset((b"http", b"https"))
_SLASHES = frozenset(b"/\\")
_PREFIX_STOP = frozenset(b"/?#")


# Fast paths for the two commonest shapes (each exactly what the slow path below decides for them).
_PLAIN_ABSOLUTE = re.compile(rb"(?:[Hh][Tt][Tt][Pp][Ss]?:)?//([A-Za-z0-9._~:@\[\]-]++)(?=[/?#\\]|\Z)")
_PLAIN_RELATIVE = re.compile(rb"(?:/(?![/\\\t\n\r&])|[A-Za-z0-9._~!$'()*+,;=@-]++(?=[/?#]|\Z))")


def url_verdict(value: bytes) -> tuple[int, bytes]:
    """How a raw attribute value (character references not decoded) may choose a host.

    ``(FIRST_PARTY, b"")``: relative, or a scheme that fetches from no host; ``(HOST, host)``: a plain
    ``http(s)://host`` or ``//host`` URL (host lower-cased, port, userinfo and a trailing dot removed);
    ``(UNCLEAR, b"")``: anything a browser might read differently from its bytes (character references other
    than ``&amp;``, backslashes, whitespace, percent-escapes or non-ASCII in the authority, one-slash forms,
    other schemes), which only the precise parser may decide.
    """
    m = _PLAIN_ABSOLUTE.match(value)
    if m is not None:
        return _host(m[1])
    if _PLAIN_RELATIVE.match(value) is not None:
        return FIRST_PARTY, b""
    n = len(value)
    if n == 0:
        return FIRST_PARTY, b""
    if value[0] <= 0x20:
        return UNCLEAR, b""
    j = 0
    while j < n and value[j] in _SCHEME_CHARS:
        j += 1
    if 0 < j < n and value[j] == 0x3A and value[0] in _ALPHA:  # "scheme:"
        scheme = value[:j].lower()
        if scheme in _WEB_SCHEMES:
            if value[j + 1 : j + 3] == b"//" and j + 3 < n and value[j + 3] not in _SLASHES:
                return _authority(value, j + 3)
            return UNCLEAR, b""
        if scheme in _NO_HOST_SCHEMES:
            return FIRST_PARTY, b""
        return UNCLEAR, b""
    if value[:2] == b"//":
        if n > 2 and value[2] not in _SLASHES:
            return _authority(value, 2)
        return UNCLEAR, b""
    # Relative: nothing before the path may turn into a scheme or an authority once the browser has decoded
    # character references and dropped tabs and newlines ("/&#47;host", "/\thost" and "/\\host" are "//host").
    if value[0] == 0x2F:
        return (UNCLEAR if n > 1 and _hides(value, 1) else FIRST_PARTY), b""
    k = 0
    while k < n and value[k] not in _PREFIX_STOP:
        if value[k] == 0x3A or _hides(value, k):
            return UNCLEAR, b""
        k += 1
    return FIRST_PARTY, b""


def _hides(value: bytes, k: int) -> bool:
    c = value[k]
    return c == 0x5C or c == 0x09 or c == 0x0A or c == 0x0D or (c == 0x26 and not _amp(value, k))


def _amp(value: bytes, k: int) -> bool:
    return value[k : k + 5] == b"&amp;"


def _authority(value: bytes, a: int) -> tuple[int, bytes]:
    n = len(value)
    e = a
    while e < n and value[e] not in b"/?#\\":
        if value[e] not in _HOST_CHARS:
            return UNCLEAR, b""
        e += 1
    return _host(value[a:e])


def _host(authority: bytes) -> tuple[int, bytes]:
    host = authority.rpartition(b"@")[2]
    if host[:1] != b"[":
        host = host.partition(b":")[0]
    host = host.lower().rstrip(b".")
    if not host:
        return UNCLEAR, b""
    return HOST, host


def host_listed(host: bytes, hosts: frozenset[bytes]) -> bool:
    """``host`` or one of its parent domains is in ``hosts``."""
    while True:
        if host in hosts:
            return True
        dot = host.find(b".")
        if dot < 0:
            return False
        host = host[dot + 1 :]


def url_triggers(value: bytes, hosts: frozenset[bytes]) -> bool:
    verdict, host = url_verdict(value)
    return verdict == UNCLEAR or (verdict == HOST and host_listed(host, hosts))


_SRCSET_SPACE = b"\t\n\f\r "


_CANDIDATE = re.compile(rb"[\t\n\f\r ,]*+([^\t\n\f\r ]++)")
_DESCRIPTORS = re.compile(rb"(?:[^,(]++|\([^)]*+\)?)*+")


def srcset_triggers(value: bytes, hosts: frozenset[bytes]) -> bool:
    """Any candidate of a ``srcset`` (split as the HTML spec does) triggers; so does a character reference."""
    if _bad_amp(value):
        return True
    i = 0
    n = len(value)
    while i < n:
        m = _CANDIDATE.match(value, i)
        if m is None:
            return False
        url = m[1]
        i = m.end()
        if url_triggers(url.rstrip(b","), hosts):
            return True
        if not url.endswith(b","):
            d = _DESCRIPTORS.match(value, i)
            assert d is not None
            i = d.end()
    return False


def _bad_amp(value: bytes) -> bool:
    amp = value.find(b"&")
    while amp >= 0:
        if not _amp(value, amp):
            return True
        amp = value.find(b"&", amp + 5)
    return False


def css_triggers(value: bytes, needles: tuple[bytes, ...]) -> bool:
    low = value.lower()
    return any(n in low for n in needles) or _bad_amp(value)
