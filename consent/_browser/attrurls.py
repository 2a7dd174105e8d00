"""The URLs inside attribute values that are not one URL: ``srcset``/``imagesrcset`` and a refresh ``content``.

`srcset_urls` follows the HTML standard's "parse a srcset attribute" algorithm for splitting: candidates
separated by commas and ASCII whitespace, a comma inside a URL kept (``a.png,b.png`` is one URL), trailing
commas of a URL removed, commas inside parentheses in descriptors not splitting. It returns the URL of every
candidate, also of those whose descriptors are invalid (the browser drops such a candidate, so listing it
can only over-gate). The browser fetches one candidate, chosen by pixel density: gate on them all.

`refresh_url` follows the "shared declarative refresh steps" for ``<meta http-equiv=refresh content>``: a
time (digits, then digits and dots), a separator, an optional ``url=`` (any case, spaces around ``=``) and
quotes. It returns the URL string to resolve (with `consent._browser.urls.fetch_host`), or None when the content
refreshes the document itself or is not a valid refresh. `refresh_urls` adds the reading of WebKit's
older parser, which Blink inherited: any time text accepted, and a quoted URL running to the *last* matching
quote (``url='https://a.example'@tracker.example/'`` names ``tracker.example`` there); gate on every reading.

Both take the attribute value as the browser reads it (`consent._browser.charrefs.attr_text`). Linear in the input.
"""

from __future__ import annotations

import re

_WS = " \t\n\r\f"
_WS_OR_COMMA = _WS + ","
_NOT_WS = re.compile(r"[^ \t\n\r\f]*")
_DESCRIPTOR_END = re.compile(r"[,(]")
_DIGITS = re.compile(r"[0-9]*")
_DIGITS_DOTS = re.compile(r"[0-9.]*")


def srcset_urls(value: str) -> list[str]:
    """The candidate URLs of a ``srcset`` (or ``imagesrcset``) value, in order."""
    urls: list[str] = []
    pos, n = 0, len(value)
    while True:
        while pos < n and value[pos] in _WS_OR_COMMA:
            pos += 1
        if pos >= n:
            return urls
        end = _NOT_WS.match(value, pos).end()  # type: ignore[union-attr]
        url = value[pos:end]
        pos = end
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            pos = _skip_descriptors(value, pos)
        if url:
            urls.append(url)


def _skip_descriptors(value: str, pos: int) -> int:
    """Past the descriptors of one candidate: to just after the comma that ends it outside parentheses."""
    n = len(value)
    while pos < n:
        m = _DESCRIPTOR_END.search(value, pos)
        if m is None:
            return n
        if m[0] == ",":
            return m.end()
        close = value.find(")", m.end())
        if close < 0:
            return n
        pos = close + 1
    return n


def refresh_url(content: str) -> str | None:
    """The URL a ``<meta http-equiv=refresh>`` with this ``content`` navigates to; None when it reloads the
    document itself or the content is not a valid refresh."""
    n, pos = len(content), _skip_ws(content, 0)
    digits_end = _DIGITS.match(content, pos).end()  # type: ignore[union-attr]
    if digits_end == pos and content[pos : pos + 1] != ".":
        return None
    pos = _DIGITS_DOTS.match(content, digits_end).end()  # type: ignore[union-attr]
    if pos < n:
        if content[pos] not in _WS + ";,":
            return None
        pos = _skip_ws(content, pos)
        if content[pos : pos + 1] in (";", ","):
            pos += 1
        pos = _skip_ws(content, pos)
    if pos >= n:
        return None
    url_start = pos
    if content[pos] in "Uu":
        pos += 1
        if content[pos : pos + 1] in ("R", "r") and content[pos + 1 : pos + 2] in ("L", "l"):
            pos = _skip_ws(content, pos + 2)
            if content[pos : pos + 1] == "=":
                return _unquote(content, _skip_ws(content, pos + 1))
        return content[url_start:]
    return _unquote(content, pos)


def refresh_urls(content: str) -> list[str]:
    """Every URL a refresh ``content`` may navigate to: the standard's reading, then the legacy one."""
    urls = [url for url in (refresh_url(content), _legacy_refresh_url(content)) if url is not None]
    return list(dict.fromkeys(urls))


def _legacy_refresh_url(content: str) -> str | None:
    n, pos = len(content), _skip_ws(content, 0)
    while pos < n and content[pos] not in _WS + ";,":
        pos += 1
    pos = _skip_ws(content, pos)
    if content[pos : pos + 1] in (";", ","):
        pos += 1
    start = pos = _skip_ws(content, pos)
    if pos >= n:
        return None
    if content[pos : pos + 3].lower() == "url":
        after = _skip_ws(content, pos + 3)
        if content[after : after + 1] == "=":
            start = _skip_ws(content, after + 1)
    quote = content[start : start + 1]
    if quote in ("'", '"'):
        end = content.rfind(quote, start + 1)
        return content[start + 1 : end if end > start else n].strip(_WS)
    return content[start:].strip(_WS)


def _unquote(content: str, pos: int) -> str:
    quote = content[pos : pos + 1]
    if quote in ("'", '"'):
        end = content.find(quote, pos + 1)
        return content[pos + 1 : end] if end >= 0 else content[pos + 1 :]
    return content[pos:]


def _skip_ws(text: str, pos: int) -> int:
    n = len(text)
    while pos < n and text[pos] in _WS:
        pos += 1
    return pos
