"""The host of a special URL (http, https, ws, wss, ftp) as the WHATWG URL standard's host parser reads it.

`parse_host` takes the host part of an authority (after userinfo, before the port) and returns its
serialisation: a lower-case ASCII domain, a dotted-decimal IPv4 address, or a bracketed IPv6 address; or
None where the standard says failure (the browser then makes no request).

Followed exactly: IPv6 in brackets (the standard's parser and serialiser); percent-decoding then UTF-8
decoding of the host; the forbidden domain code points; IPv4 in every form the standard accepts (decimal,
``0x`` hex, leading-zero octal, one to four parts, a trailing dot) and the "ends in a number" rule that makes
``1.2.3.08`` a failure rather than a domain.

Where Chromium (checked: version 156) reads a host differently, its reading is followed, since the answer
must be the host it connects to: a space in a host (also from U+3000 or U+00A0) is kept and written ``%20``
(the standard fails); ``*`` is written ``%2A``; the dotted IPv4 tail of an IPv6 address takes IPv4 numbers
(``[::127.0.0.010]`` is ``[::7f00:8]``; the standard fails); a fullwidth ``％４１`` decodes to ``A``.

Approximated (UTS #46 has no implementation in the standard library): the mapping is NFKC, case folding and
NFKC again, with the default-ignorable code points removed, U+3002 / U+FF0E / U+FF61 read as dots, and a
small table for characters newer than this Python's Unicode database that map to ASCII (Unicode 16's
outlined Latin letters and digits, U+A7F1). Labels left non-ASCII are punycode-encoded without UTS #46's
validity checks (bidi, joiners, disallowed code points). The approximation only ever errs one way: where the
browser refuses a host, this may still return one (over-gating); a host the browser maps to ASCII is mapped
to the same ASCII here (checked code point by code point against ada-url's UTS #46 tables, and in Chromium,
by ``tests/urls``). A non-ASCII label over `LONG_LABEL` code points is written as ``xn--`` and a digest
instead of its punycode (the standard library's encoder is quadratic); the host's other labels stay exact.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

LONG_LABEL = 255

# Default_Ignorable_Code_Point (DerivedCoreProperties): removed. UTS #46 ignores most of them and rejects the
# rest; removing all errs towards returning the host a browser would at most refuse.
_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
_IGNORABLE = re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _IGNORABLE_RANGES) + "]+")
# Newer than Python 3.10's Unicode database (14.0) and mapped to ASCII by UTS #46 (Unicode 16).
_NEWER: dict[int, str] = {0xA7F1: "s"}
_NEWER.update({0x1CCD6 + i: chr(ord("a") + i) for i in range(26)})
_NEWER.update({0x1CCF0 + i: str(i) for i in range(10)})
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": ".", "\ue000": "\u00df", "\ue001": "\u03c2"})
# UTS #46 keeps ß and ς (non-transitional, as browsers now do); case folding would turn them into "ss" and
# "σ": park them on private-use code points (which nothing maps) and put them back with the dots.
_DEVIATIONS = str.maketrans({"\u1e9e": "\ue000", "\u00df": "\ue000", "\u03c2": "\ue001"})

# Forbidden domain code points: the forbidden host code points, C0 controls, "%" and DEL.
_FORBIDDEN_DOMAIN = re.compile(r"[\x00-\x20#/:<>?@\[\\\]^|%\x7f]")
_PERCENT = re.compile(rb"%([0-9A-Fa-f]{2})")
_HEX = frozenset("0123456789abcdefABCDEF")


def parse_host(host: str) -> str | None:
    """The serialised host of a special URL, or None (failure). ``host`` is the raw text from the URL."""
    if host.startswith("["):
        if not host.endswith("]"):
            return None
        pieces = _ipv6(host[1:-1])
        return None if pieces is None else "[" + _ipv6_text(pieces) + "]"
    if "%" in host:
        host = _percent_decode(host)
    if host.isascii():
        domain = host.lower()
    else:
        domain = _to_ascii(host)
    if not domain or _FORBIDDEN_DOMAIN.search(domain.replace(" ", "")):
        return None
    if _ends_in_number(domain):
        return _ipv4(domain)
    if " " in domain or "*" in domain:
        # Chromium accepts a space in a host (U+3000 and U+00A0 map to one) and escapes it, and escapes "*":
        # the URL standard fails the first and keeps the second. Answer what Chromium requests.
        domain = domain.replace(" ", "%20").replace("*", "%2A")
    return domain


def _percent_decode(text: str) -> str:
    raw = _PERCENT.sub(lambda m: bytes((int(m[1], 16),)), text.encode("utf-8", "surrogatepass"))
    return raw.decode("utf-8", "replace")


def _map(text: str) -> str:
    if _NEWER and any(ord(c) in _NEWER for c in text):
        text = "".join(_NEWER.get(ord(c), c) for c in text)
    text = _IGNORABLE.sub("", text).translate(_DEVIATIONS)
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    text = _IGNORABLE.sub("", text)
    return unicodedata.normalize("NFC", text).translate(_DOTS)


def _to_ascii(host: str) -> str:
    mapped = _map(host)
    if mapped.count("%") > host.count("%"):
        # A fullwidth "％４１" maps to "%41": the standard fails such a host; decoding again can only add a
        # host the browser refuses, never lose one it accepts.
        mapped = _map(_percent_decode(mapped))
    if mapped.isascii():
        return mapped
    return ".".join(label if label.isascii() else _punycode(label) for label in mapped.split("."))


def _punycode(label: str) -> str:
    if len(label) > LONG_LABEL:
        return "xn--" + hashlib.sha256(label.encode("utf-8", "surrogatepass")).hexdigest()[:40]
    try:
        return "xn--" + label.encode("punycode").decode("ascii")
    except UnicodeError:  # a lone surrogate: no browser resolves it, but keep the other labels
        return "xn--" + hashlib.sha256(label.encode("utf-8", "surrogatepass")).hexdigest()[:40]


def _ends_in_number(domain: str) -> bool:
    parts = domain.split(".")
    if parts[-1] == "":
        if len(parts) == 1:
            return False
        parts.pop()
    last = parts[-1]
    if last and last.isascii() and last.isdigit():
        return True
    return _ipv4_number(last) is not None


def _ipv4_number(part: str) -> int | None:
    if not part:
        return None
    radix = 10
    if len(part) >= 2 and part[:2] in ("0x", "0X"):
        part, radix = part[2:], 16
    elif len(part) >= 2 and part[0] == "0":
        part, radix = part[1:], 8
    if not part:
        return 0
    digits = "0123456789abcdefABCDEF"[: 10 if radix == 10 else 8 if radix == 8 else 22]
    if not all(c in digits for c in part):
        return None
    part = part.lstrip("0") or "0"
    if len(part) > 12:  # beyond 2**40 in any radix: too big for any part, and int() stays cheap
        return 1 << 40
    return int(part, radix)


def _ipv4(domain: str) -> str | None:
    parts = domain.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if len(parts) > 4:
        return None
    numbers = []
    for part in parts:
        n = _ipv4_number(part)
        if n is None:
            return None
        numbers.append(n)
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        return None
    address = numbers[-1]
    for i, n in enumerate(numbers[:-1]):
        address += n * 256 ** (3 - i)
    return ".".join(str((address >> shift) & 255) for shift in (24, 16, 8, 0))


def _ipv6(text: str) -> list[int] | None:
    """The standard's IPv6 parser: eight 16-bit pieces, or None. A dotted IPv4 tail (always the last 32 bits)
    is read apart, as Chromium does, and stands as two zero pieces meanwhile."""
    colon = text.rfind(":")
    if "." not in text[colon + 1 :]:
        return _ipv6_pieces(text)
    tail = _ipv6_ipv4(text[colon + 1 :])
    address = _ipv6_pieces(text[: colon + 1] + "0:0") if tail is not None and colon >= 0 else None
    if address is not None and tail is not None:
        address[6], address[7] = tail
    return address


def _ipv6_pieces(text: str) -> list[int] | None:
    address = [0] * 8
    piece, compress, i, n = 0, -1, 0, len(text)
    if text.startswith(":"):
        if not text.startswith("::"):
            return None
        i, piece = 2, 1
        compress = piece
    while i < n:
        if piece == 8:
            return None
        if text[i] == ":":
            if compress >= 0:
                return None
            i += 1
            piece += 1
            compress = piece
            continue
        value = length = 0
        while length < 4 and i < n and text[i] in _HEX:
            value = value * 16 + int(text[i], 16)
            i += 1
            length += 1
        if i < n and text[i] == ":":
            i += 1
            if i >= n:
                return None
        elif i < n:
            return None
        address[piece] = value
        piece += 1
    if compress >= 0:
        swaps, piece = piece - compress, 7
        while piece != 0 and swaps > 0:
            other = compress + swaps - 1
            address[piece], address[other] = address[other], address[piece]
            piece -= 1
            swaps -= 1
    elif piece != 8:
        return None
    return address


def _ipv6_ipv4(text: str) -> tuple[int, int] | None:
    """The dotted IPv4 tail of an IPv6 address. The standard wants four decimal parts without leading zeros;
    Chromium reads each of the four parts as an IPv4 number (``0x7f``, octal ``010``): accept what it does."""
    parts = text.split(".")
    if len(parts) != 4:
        return None
    numbers = []
    for part in parts:
        n = _ipv4_number(part)
        if n is None or n > 255:
            return None
        numbers.append(n)
    return numbers[0] * 256 + numbers[1], numbers[2] * 256 + numbers[3]


def _ipv6_text(pieces: list[int]) -> str:
    best, best_len, start = -1, 1, -1
    for i, p in enumerate([*pieces, 1]):
        if p == 0 and start < 0:
            start = i
        elif p != 0 and start >= 0:
            if i - start > best_len:
                best, best_len = start, i - start
            start = -1
    if best < 0:
        return ":".join(f"{p:x}" for p in pieces)
    head = ":".join(f"{p:x}" for p in pieces[:best])
    tail = ":".join(f"{p:x}" for p in pieces[best + best_len :])
    return head + "::" + tail
