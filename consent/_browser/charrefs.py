"""An HTML attribute value as the browser reads it: `attr_text` decodes the bytes and the character references.

Followed from the HTML standard: decoding in the page's encoding with invalid bytes as U+FFFD (the
windows-1252 family as the Encoding standard has it, so ``latin-1``/``ascii`` labels mean windows-1252); the
input stream's newline normalisation (CR and CRLF become LF) and NUL as U+FFFD; named references with and
without ``;`` exactly as the standard's table (`html.entities.html5`) lists them, longest match first, and the
attribute-value exception: a reference matched without ``;`` and followed by ``=`` or an ASCII alphanumeric
stays as written (``&notit=`` is not ``¬it=``, ``&amp=`` stays ``&amp=``; Python's `html.unescape` decodes
both); numeric references, decimal and hexadecimal, ``;`` optional, with the standard's replacements: 0, a
surrogate or a number past U+10FFFF give U+FFFD, 0x80–0x9F give their windows-1252 characters where it has
one. ``&`` without a reference after it stays ``&``. Linear in the input (no number is ever converted whole).

Not covered: locating the attribute in the tag (the tokenizer's job) and the encoding sniffing of the page
(the caller passes the encoding it determined). An unknown encoding label decodes as UTF-8.
"""

from __future__ import annotations

import codecs
import re
from html.entities import html5

_REF = re.compile(r"&(?:#[xX]([0-9A-Fa-f]+);?|#([0-9]+);?|([A-Za-z0-9]+;?))")
_LONGEST_NAME = max(len(name) for name in html5)
_ALNUM_EQ = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789=")
# The HTML standard's table for numeric references 0x80-0x9F (the rest of that range stays as is).
_C1 = {
    0x80: "\u20ac", 0x82: "\u201a", 0x83: "\u0192", 0x84: "\u201e", 0x85: "\u2026", 0x86: "\u2020",
    0x87: "\u2021", 0x88: "\u02c6", 0x89: "\u2030", 0x8A: "\u0160", 0x8B: "\u2039", 0x8C: "\u0152",
    0x8E: "\u017d", 0x91: "\u2018", 0x92: "\u2019", 0x93: "\u201c", 0x94: "\u201d", 0x95: "\u2022",
    0x96: "\u2013", 0x97: "\u2014", 0x98: "\u02dc", 0x99: "\u2122", 0x9A: "\u0161", 0x9B: "\u203a",
    0x9C: "\u0153", 0x9E: "\u017e", 0x9F: "\u0178",
}  # fmt: skip
# Encoding-standard labels that name windows-1252, and the five bytes Python's cp1252 leaves undefined.
_WINDOWS_1252 = frozenset(("latin_1", "ascii", "cp1252", "iso8859_1"))
_CP1252_HOLES = {0x81: "\x81", 0x8D: "\x8d", 0x8F: "\x8f", 0x90: "\x90", 0x9D: "\x9d"}


def attr_text(raw: bytes, encoding: str = "utf-8") -> str:
    """The value of an attribute as the browser reads it: ``raw`` (the bytes between the quotes, or of an
    unquoted value) decoded in the page's ``encoding``, then its character references decoded."""
    text = _decode(raw, encoding)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    if "&" not in text:
        return text
    # The escapes serializers write (an iframe's srcdoc is full of them) first, in one pass each; "&amp;" last,
    # so that "&amp;lt;" stays "&lt;". Anything else left takes the precise, per-reference path.
    quick = text
    for ref, char in _COMMON:
        if ref in quick:
            quick = quick.replace(ref, char)
    if "&" not in quick.replace("&amp;", ""):
        return quick.replace("&amp;", "&")
    return _REF.sub(_reference, text)


_COMMON = (("&quot;", '"'), ("&lt;", "<"), ("&gt;", ">"), ("&#39;", "'"), ("&#039;", "'"), ("&#x27;", "'"),
           ("&apos;", "'"), ("&#34;", '"'), ("&#x22;", '"'))  # fmt: skip


def _decode(raw: bytes, encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name.replace("-", "_")
    except LookupError:
        name = "utf_8"
    if name in _WINDOWS_1252 or name == "windows_1252":
        return raw.decode("cp1252", "consent-cp1252")
    if name == "utf_8_sig":
        name = "utf_8"
    return raw.decode(name, "replace")


def _cp1252_holes(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    byte = error.object[error.start]
    return _CP1252_HOLES.get(byte, "\ufffd"), error.start + 1


codecs.register_error("consent-cp1252", _cp1252_holes)


def _reference(m: re.Match[str]) -> str:
    hexa, decimal, name = m.groups()
    if name is None:
        return _numeric(hexa if hexa is not None else decimal, 16 if hexa is not None else 10)
    # The longest prefix of the name (with its ";") that the table knows; the rest is plain text.
    for size in range(min(len(name), _LONGEST_NAME), 0, -1):
        value = html5.get(name[:size])
        if value is None:
            continue
        if not name[:size].endswith(";"):
            after = name[size] if size < len(name) else m.string[m.end() : m.end() + 1]
            if after and after in _ALNUM_EQ:
                return m[0]  # the attribute-value exception: left as written
        return value + name[size:]
    return m[0]


def _numeric(digits: str, radix: int) -> str:
    digits = digits.lstrip("0")
    if len(digits) > 8:  # past U+10FFFF in either radix; int() of a huge digit string is slow or refused
        return "\ufffd"
    code = int(digits or "0", radix)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return _C1.get(code) or chr(code)
