"""Every URL a stylesheet or a ``style`` attribute can make the browser fetch: `css_urls`.

The text is tokenized as the CSS Syntax standard does (level 3, section 4), as far as URLs go: the input
preprocessing (CR, FF and CRLF as LF, NUL as U+FFFD); comments; strings, including an unterminated one at the
end and a newline ending one as a bad string; escapes (``u\\72l(``, ``\\75 rl(``, ``\\000055RL(``) and ASCII
case insensitivity in identifiers; numbers and dimensions (``1url(x)`` is a dimension, not a URL); url tokens
(``url( x )``, with escapes; a bad url such as ``url(a b)`` fetches nothing and is not listed); and the
function form ``url("x")``.

Listed: every url token and ``url("…")`` string; the string after ``@import`` (``@import "x.css"``, any case,
escapes allowed); the strings directly inside ``image-set()`` and ``-webkit-image-set()`` (and ``image()`` and
``src()``, which fetch where supported). No grammar is checked beyond that: a URL in a position where it would
be invalid, an ``@import`` after other rules, or a declaration the browser drops is still listed (listing too
much can only over-gate). ``@font-face`` ``src: url()`` is a url token like any other; ``local("…")`` is not a
fetch and is not listed.

Linear in the input: one regular-expression scan; a text without ``url(``, ``@import``, ``image`` or ``src(``
in any case and without a backslash returns at once.
"""

from __future__ import annotations

import re

_QUICK = re.compile(r"url\(|@import|image|src\(|\\", re.IGNORECASE)
_ESCAPE_CHAR = r"\\(?:[0-9A-Fa-f]{1,6}[ \t\n]?|[^\n0-9A-Fa-f])"
_ESCAPE = rf"(?:{_ESCAPE_CHAR}|\\\Z)"
_NAME_CHAR = rf"(?:[A-Za-z0-9_\-\u0080-\U0010ffff]|{_ESCAPE})"
_NAME_START = rf"(?:[A-Za-z_\u0080-\U0010ffff]|{_ESCAPE})"
_IDENT = rf"(?:--|-?{_NAME_START}){_NAME_CHAR}*"
_NUMBER = r"[+-]?(?:[0-9]*\.[0-9]+|[0-9]+)(?:[eE][+-]?[0-9]+)?"
_TOKEN = re.compile(
    rf"""
      (?P<comment>/\*.*?(?:\*/|\Z))
    | (?P<string>"(?:[^"\\\n]|\\[\s\S])*(?P<end1>")?|'(?:[^'\\\n]|\\[\s\S])*(?P<end2>')?)
    | (?P<number>{_NUMBER}(?:%|{_IDENT})?)
    | (?P<cdc>-->)
    | (?P<ident>{_IDENT})(?P<paren>\()?
    | (?P<at>@{_IDENT})
    | (?P<hash>\#{_NAME_CHAR}+)
    | (?P<open>\()
    | (?P<close>\))
    | (?P<ws>[ \t\n]+)
    | (?P<other>[\s\S])
    """,
    re.VERBOSE,
)
# After "url(" and optional whitespace: an unquoted url token, up to ")" or the end of the input.
_URL_TOKEN = re.compile(rf"[ \t\n]*((?:[^\"'()\\ \t\n\x00-\x08\x0b\x0e-\x1f\x7f]|{_ESCAPE_CHAR})*)[ \t\n]*(?:\)|\Z)")
# A bad url: skipped to the next ")" that is not escaped, or the end.
_BAD_URL = re.compile(r"(?:[^)\\]|\\[\s\S])*\)?")
# Escapes as decoded in identifiers, url tokens and strings (in a string, an escaped newline is nothing).
_ESCAPES = re.compile(r"\\(?:[0-9A-Fa-f]{1,6}[ \t\n]?|[\s\S]|\Z)")
# A run of tokens that can change nothing here: characters that start no comment, string, at-keyword, hash,
# escape or parenthesis, and whole words (identifiers, numbers) not followed by "(", a backslash or more of a name. It
# ends on a token boundary, so tokenizing on after it gives the tokens the standard gives (tests/urls/test_css.py
# compares both ways).
_WORD = r"[\w\u0080-\U0010ffff-]"
_QUIET = re.compile(rf"""(?:[^"'/()\\@#\w\u0080-\U0010ffff-]|{_WORD}+(?![\w\u0080-\U0010ffff\\(-]))+""")
_KIND = {"end1": "string", "end2": "string", "paren": "ident"}  # inner groups name their token
_URL_FUNCTIONS = frozenset(("url", "src"))
_SET_FUNCTIONS = frozenset(("image-set", "-webkit-image-set", "image"))


def css_urls(text: str, *, skip_quiet: bool = True) -> list[str]:
    """The URLs that ``text`` (a stylesheet, a ``<style>`` block or a ``style`` attribute) may fetch, in
    order, escapes decoded, not resolved (relative URLs resolve against the stylesheet or the document).
    ``skip_quiet=False`` reads every token one by one (for tests: the answer is the same)."""
    if not _QUICK.search(text):
        return []
    text = _preprocess(text)
    quiet = _QUIET.match if skip_quiet else None
    urls: list[str] = []
    stack: list[str] = []  # the open functions and parentheses, innermost last
    after_import = False
    pos, n = 0, len(text)
    while pos < n:
        if quiet is not None and not after_import:  # after @import only its string may come
            q = quiet(text, pos)
            if q is not None:
                pos = q.end()
                if pos == n:
                    break
        m = _TOKEN.match(text, pos)
        assert m is not None  # the last alternative matches any character
        pos = m.end()
        kind = _KIND.get(m.lastgroup or "", m.lastgroup)
        if kind in ("comment", "ws"):
            continue
        if kind == "ident" and m["paren"] is not None:
            name = _ascii_lower(_unescape(m["ident"]))
            if name == "url" and text[_skip_ws(text, pos) : _skip_ws(text, pos) + 1] not in ("'", '"'):
                pos = _url_token(text, pos, urls)
                after_import = False
                continue
            stack.append(name)
        elif kind == "open":
            stack.append("")
        elif kind == "close":
            if stack:
                stack.pop()
        elif kind == "string":
            closed = m["end1"] is not None or m["end2"] is not None
            if (closed or pos == n) and (after_import or (stack and stack[-1] in _URL_FUNCTIONS | _SET_FUNCTIONS)):
                urls.append(_unescape(m[0][1 : -1 if closed else None]))
        after_import = kind == "at" and _ascii_lower(_unescape(m[0][1:])) == "import"
    return urls


def _url_token(text: str, pos: int, urls: list[str]) -> int:
    """After an unquoted ``url(``: list its URL (a bad url lists nothing); returns where the token ends."""
    token = _URL_TOKEN.match(text, pos)
    if token is None:
        return _BAD_URL.match(text, pos).end()  # type: ignore[union-attr]
    urls.append(_unescape(token[1]))
    return token.end()


def _preprocess(text: str) -> str:
    if "\r" in text or "\f" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    return text


def _skip_ws(text: str, pos: int) -> int:
    n = len(text)
    while pos < n and text[pos] in " \t\n":
        pos += 1
    return pos


def _ascii_lower(name: str) -> str:
    return name.lower() if name.isascii() else name


def _escaped(m: re.Match[str]) -> str:
    body = m[0][1:]
    if not body:
        return "\ufffd"  # a backslash at the end of the input
    if body == "\n":
        return ""
    hexa = body.rstrip(" \t\n")
    if hexa and all(c in "0123456789abcdefABCDEF" for c in hexa):
        code = int(hexa, 16)
        return "\ufffd" if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF else chr(code)
    return body


def _unescape(text: str) -> str:
    return _ESCAPES.sub(_escaped, text) if "\\" in text else text
