"""The client script and stylesheet: minified once at startup and served under versioned names."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib.resources import files


@dataclass(frozen=True)
class Asset:
    path: str  # under the prefix, with a content hash: "/static/consent.3f2a9c1e.js"
    body: bytes
    media_type: str


def minify_css(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*([{};,>])\s*", r"\1", text).replace(";}", "}").strip()


_WORD = re.compile(r"[A-Za-z0-9_$]+")
_SPACE = re.compile(r"\s+")
# After these a '/' starts a regular expression, not a division.
_BEFORE_REGEX = frozenset("(,=:[!&|?{};+-*%<>~^") | {"return", "typeof", "case", "in", "of", "new", "void", "throw"}


def minify_js(text: str) -> str:
    """Comments and the spaces no token needs taken out; a line break kept where the source had one, unless
    the token before it (``{ ; ,``) or after it (``} ) ]``) makes it meaningless, so automatic semicolon
    insertion reads the code as before. For our own scripts: strings and regular expressions are copied
    whole, template literals with ``${}`` are not supported."""
    out: list[str] = []
    last = ""  # the last token written
    gap = ""  # what separated it from the next: "", " " or "\n"
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            j = _SPACE.match(text, i).end()  # type: ignore[union-attr]
            gap = "\n" if "\n" in text[i:j] or gap == "\n" else " "
            i = j
            continue
        if text.startswith("//", i):
            i = text.find("\n", i)
            i, gap = (n if i < 0 else i), "\n"
            continue
        if text.startswith("/*", i):
            i, gap = text.index("*/", i) + 2, gap or " "
            continue
        j = _token_end(text, i, last)
        token = text[i:j]
        if gap == "\n" and last not in ("", "{", ";", ",") and token[0] not in "})]":
            out.append("\n")
        elif gap and (_WORD.match(last[-1:]) and _WORD.match(token[0]) or last[-1:] in ("+", "-") and token[0] in "+-"):
            out.append(" ")
        out.append(token)
        last, gap, i = token, "", j
    return "".join(out) + "\n"


def _token_end(text: str, i: int, last: str) -> int:
    c = text[i]
    if c in "'\"`":
        j = i + 1
        while text[j] != c:
            j += 2 if text[j] == "\\" else 1
        return j + 1
    if c == "/" and (last in _BEFORE_REGEX or last == ""):
        j, in_class = i + 1, False
        while in_class or text[j] != "/":
            in_class = (in_class or text[j] == "[") and text[j] != "]"
            j += 2 if text[j] == "\\" else 1
        flags = _WORD.match(text, j + 1)
        return flags.end() if flags else j + 1
    found = _WORD.match(text, i)
    return found.end() if found else i + 1


def load_assets() -> dict[str, Asset]:
    """The client script and stylesheet, minified, under versioned names (a hash of the content)."""
    assets = {}
    for name, media_type in (
        ("consent.js", "text/javascript; charset=utf-8"),
        ("consent.css", "text/css; charset=utf-8"),
    ):
        source = files("consent").joinpath("static", name).read_text(encoding="utf-8")
        body = (minify_js(source) if name.endswith(".js") else minify_css(source)).encode()
        stem, ext = name.rsplit(".", 1)
        digest = hashlib.sha256(body).hexdigest()[:10]
        assets[ext] = Asset(f"/static/{stem}.{digest}.{ext}", body, media_type)
    return assets
