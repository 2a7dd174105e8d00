"""Checks that guard the consent endpoint: where a redirect may go, and whether a post is the visitor's own."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from starlette.types import Scope

from ._headers import request_header

# Characters kept as they are when re-quoting a path: RFC 3986 pchar, '/', '?' and '%' (already quoted).
_SAFE = "/?&=%:@!$'()*+,;-._~#"


def safe_next(value: object, default: str = "/") -> str:
    """``value`` if it is a same-site relative path, else ``default``.

    Refuses scheme-relative (``//host``), backslash (``/\\host``, which browsers read as ``//host``),
    absolute and ``javascript:`` URLs, and any control character or whitespace: browsers strip tabs and
    newlines from URLs, so ``/\\t/host`` would become ``//host``.
    """
    if not isinstance(value, str) or not value.startswith("/") or len(value) > 2048:
        return default
    if value.startswith("//") or "\\" in value:
        return default
    if any(ord(c) < 0x21 or 0x7F <= ord(c) <= 0x9F for c in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    # Non-ASCII characters are quoted so the Location header stays ASCII; existing escapes are kept.
    return quote(value, safe=_SAFE)


def _host_port(netloc: str) -> tuple[str, int | None] | None:
    try:
        parts = urlsplit("//" + netloc)
        host, port = parts.hostname, parts.port
    except ValueError:  # a port that is not a number
        return None
    if not host:
        return None
    if port in (80, 443):
        port = None  # TLS may end at a proxy: the scheme (and so the default port) can differ on both sides
    return host, port


def request_host(scope: Scope) -> str | None:
    host = request_header(scope, b"host")
    if host is not None:
        return host
    server = scope.get("server")
    if server and server[0]:
        return f"{server[0]}:{server[1]}" if server[1] else str(server[0])
    return None


def is_cross_site(scope: Scope, cookie_domain: str | None) -> bool:
    """True if a state-changing request did not come from this site.

    ``Sec-Fetch-Site: cross-site`` says so directly. Otherwise ``Origin`` (sent on every POST by current
    browsers; ``null`` from sandboxed frames and privacy-sensitive redirects) must name this host, or a
    subdomain of ``cookie_domain`` when consent is shared across subdomains. Lacking ``Origin``, a present
    ``Referer`` must. A request with neither (curl, very old browsers) is allowed: it cannot be a forged
    cross-site form post from a browser that sends neither header for same-site posts either.
    """
    origin = referer = fetch_site = None
    for key, value in scope.get("headers", ()):
        key = key.lower()
        if key == b"sec-fetch-site":
            fetch_site = value.decode("latin-1").strip().lower()
        elif key == b"origin":
            origin = value.decode("latin-1").strip()
        elif key == b"referer":
            referer = value.decode("latin-1").strip()
    if fetch_site == "cross-site":
        return True
    source = origin if origin is not None else referer
    if source is None:
        return False
    if source.lower() == "null" or not source:
        return True
    try:
        parts = urlsplit(source)
    except ValueError:  # "http://[": not a URL, so not this site
        return True
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return True
    host = request_host(scope)
    if host is None:
        return True
    theirs = _host_port(parts.netloc)
    ours = _host_port(host)
    if theirs is None or ours is None:
        return True
    if theirs == ours:
        return False
    if cookie_domain and theirs[1] == ours[1]:
        return not (theirs[0] == cookie_domain or theirs[0].endswith("." + cookie_domain))
    return True
