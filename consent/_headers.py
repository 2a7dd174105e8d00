"""Small pure helpers on raw ASGI header lists (names matched case-insensitively: some apps don't lowercase)."""

from __future__ import annotations

import codecs
import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

RawHeaders = list[tuple[bytes, bytes]]

HTML_TYPES = (b"text/html",)
# Statuses whose response has no body, or a partial one that rewriting would corrupt.
NO_REWRITE_STATUS = frozenset((204, 206, 304))
VALIDATORS = (b"etag", b"last-modified", b"content-md5", b"digest", b"content-digest", b"repr-digest")


def normalize(headers: Iterable[Sequence[bytes]]) -> RawHeaders:
    return [(bytes(k).lower(), bytes(v)) for k, v in headers]


def get(headers: RawHeaders, name: bytes) -> bytes | None:
    for k, v in headers:
        if k == name:
            return v
    return None


def request_header(scope: Mapping[str, Any], name: bytes) -> str | None:
    """The first value of request header ``name`` (lower-case), decoded as latin-1, or None."""
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def remove(headers: RawHeaders, *names: bytes) -> RawHeaders:
    return [(k, v) for k, v in headers if k not in names]


_MEDIA: dict[bytes, tuple[bytes, str | None]] = {}


def media_type_and_charset(content_type: bytes | None) -> tuple[bytes, str | None]:
    if not content_type:
        return b"", None
    found = _MEDIA.get(content_type)
    if found is None:
        found = _media(content_type)
        if len(_MEDIA) < 64 and len(content_type) < 128:  # an app sends a handful of content types
            _MEDIA[content_type] = found
    return found


def _media(content_type: bytes) -> tuple[bytes, str | None]:
    parts = content_type.split(b";")
    media = parts[0].strip().lower()
    charset = None
    for param in parts[1:]:
        key, _, value = param.partition(b"=")
        if key.strip().lower() == b"charset":
            charset = value.strip().strip(b"\"'").decode("latin-1").lower() or None
    return media, charset


@functools.lru_cache(maxsize=64)
def ascii_compatible(charset: str) -> bool:
    """True if ASCII markup means the same bytes in this charset (so we may splice markup into it)."""
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        return False
    if name.startswith(("utf-16", "utf-32", "utf-7")):
        return False
    try:
        return "<body a='1\"'>&#;".encode(name) == b"<body a='1\"'>&#;"
    except (UnicodeError, LookupError):
        return False


def add_vary(headers: RawHeaders, *values: bytes) -> RawHeaders:
    """Merge ``values`` into ``Vary`` without duplicates (Starlette's add_vary_header would repeat them)."""
    existing: list[bytes] = []
    rest: RawHeaders = []
    for k, v in headers:
        if k == b"vary":
            existing.extend(x.strip() for x in v.split(b",") if x.strip())
        else:
            rest.append((k, v))
    if b"*" in existing:
        return headers
    seen = {x.lower() for x in existing}
    for value in values:
        if value.lower() not in seen:
            existing.append(value)
            seen.add(value.lower())
    rest.append((b"vary", b", ".join(existing)))
    return rest


def edit(
    headers: RawHeaders,
    drop: tuple[bytes, ...] = (),
    vary: tuple[bytes, ...] = (),
    private: bool = False,
    length: int | None = None,
) -> RawHeaders:
    """`remove`, then ``Content-Length: length``, `add_vary` and `make_private` in one pass over the headers
    (they run on every rewritten response)."""
    rest: RawHeaders = []
    varies: list[bytes] = []
    directives: list[bytes] = []
    for k, v in headers:
        if k in drop:
            continue
        if vary and k == b"vary":
            varies.extend(x.strip() for x in v.split(b",") if x.strip())
        elif private and k == b"cache-control":
            directives.extend(d.strip() for d in v.split(b",") if d.strip())
        else:
            rest.append((k, v))
    if length is not None:
        rest.append((b"content-length", b"%d" % length))
    if vary:
        if b"*" not in varies:
            seen = {x.lower() for x in varies}
            for value in vary:
                if value.lower() not in seen:
                    varies.append(value)
                    seen.add(value.lower())
        rest.append((b"vary", b", ".join(varies)))
    if private:
        kept = [d for d in directives if d.split(b"=")[0].strip().lower() not in (b"public", b"s-maxage", b"private")]
        rest.append((b"cache-control", b", ".join([b"private", *kept])))
    return rest


def make_private(headers: RawHeaders) -> RawHeaders:
    """Merge ``private`` into ``Cache-Control``: shared caches must not store or serve this response.

    ``public`` and ``s-maxage`` (which only shared caches read) are dropped; everything else the app said
    (max-age, no-store, must-revalidate…) stays.
    """
    directives: list[bytes] = []
    rest: RawHeaders = []
    for k, v in headers:
        if k == b"cache-control":
            directives.extend(d.strip() for d in v.split(b",") if d.strip())
        else:
            rest.append((k, v))
    kept = [d for d in directives if d.split(b"=")[0].strip().lower() not in (b"public", b"s-maxage", b"private")]
    rest.append((b"cache-control", b", ".join([b"private", *kept])))
    return rest


def csp_nonce(headers: RawHeaders, directive: bytes) -> str | None:
    """The nonce the page's Content-Security-Policy allows for ``script-src``/``style-src``, if any."""
    for k, v in headers:
        if k != b"content-security-policy":
            continue
        fallback = None
        for part in v.split(b";"):
            tokens = part.split()
            if not tokens:
                continue
            name = tokens[0].lower()
            if name not in (directive, b"default-src"):
                continue
            for token in tokens[1:]:
                if token.startswith(b"'nonce-") and token.endswith(b"'"):
                    nonce = token[7:-1].decode("latin-1")
                    if name == directive:
                        return nonce
                    fallback = nonce
        if fallback:
            return fallback
    return None
