"""Which host a URL written in a page makes the browser connect to: the WHATWG URL parser, as far as the host.

`fetch_host(url, base)` answers for a string used as a fetch URL (``img src``, ``script src``, a CSS
``url()``…) in a document whose base URL is ``base``; `fetch_hosts` gives every possible answer when the
document's scheme is not known. The string is the attribute value as the browser reads it (see
`consent._browser.charrefs.attr_text` for the character references). Followed from the URL standard:

- leading and trailing C0 controls and spaces stripped, every tab, LF and CR removed;
- scheme detection (``ht&#9;tps:`` is ``https:``), case-insensitive;
- the special schemes' slash rules: ``\\`` is ``/``; ``//host``, ``/\\host``, ``\\\\host``, ``https:///host``;
  ``https:/host`` and ``https:host`` name a host unless the base has the same scheme (then they are paths);
- userinfo (the host starts after the last ``@``), ports (a bad port is a failure);
- the host itself per `consent._browser.hosts.parse_host`: percent-decoding, IDNA mapping, IPv4 forms, IPv6;
- relative references against ``base``, a `BaseURL` parsed from a ``<base href>`` with the same rules; a
  base href that fails (or is ``javascript:``/``data:``) leaves the document's URL, and also "no base"
  possible, since Chromium's preload scanner then reads ``http:x`` as the host ``x``.

A ``https:host`` or ``https:/host`` reference names ``host`` unless the document's base has the same scheme.
The scheme of the page as the browser sees it is often unknown to a server behind a TLS proxy, so
`BaseURL()` holds both possibilities and `fetch_hosts` answers with every host either one gives.

The answer is lower-case ASCII without a trailing dot (``www.facebook.com.`` is ``www.facebook.com``); an
IPv6 host keeps its brackets (``[::1]``). None means no request to another host: a relative URL against the
document itself, an invalid URL, or a scheme that fetches nothing from the network (``data:``,
``javascript:``, ``about:``, ``blob:``, ``mailto:``, ``file:``, any non-special scheme). Over-gating only,
by design: ``ws``, ``wss`` and ``ftp`` URLs, and URLs with credentials (``user@host``, which Chromium does not
fetch as a subresource), are answered with their host.

Not covered: the path, query and fragment (never needed to find the host); the encoding of the query;
``<base href>`` selection (the first one in the document counts: the caller's job); what a server redirect
does afterwards. Work is linear in the input; nothing is cached here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .hosts import parse_host

_NETWORK = frozenset(("http", "https", "ws", "wss", "ftp"))
_STRIP = "".join(chr(c) for c in range(0x21))
_TAB_NEWLINE = re.compile(r"[\t\n\r]+")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_AUTHORITY_END = re.compile(r"[^/\\?#]*")
# The document itself, before its scheme is known: one of these.
_DOCUMENT_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class _Base:
    scheme: str
    host: str | None  # None: the document's own host (first party), or no host at all
    opaque: bool = False  # a non-special URL with an opaque path ("mailto:x"): no relative URL resolves


_WORLDS = tuple(_Base(scheme, None) for scheme in _DOCUMENT_SCHEMES)
_NO_BASE = _Base("", None, opaque=True)  # no base URL: every relative reference fails


@dataclass(frozen=True)
class BaseURL:
    """A document's base URL, as far as hosts go.

    ``BaseURL()`` (or None where a base is asked for) is the document itself, its scheme unknown (http or
    https); ``BaseURL.document("https")`` the document with a known scheme; `BaseURL.parse` the base set by a
    ``<base href>``. While the document's scheme is unknown a base holds one possibility per scheme, so that
    no answer depends on a guess. Hashable (usable as a memo key).
    """

    _bases: tuple[_Base, ...] = _WORLDS

    @classmethod
    def document(cls, scheme: str | None = None) -> BaseURL:
        """The document's own URL: relative references are first party. ``scheme``: "http", "https" or None."""
        if scheme is None:
            return cls()
        if scheme.lower() not in _DOCUMENT_SCHEMES:
            raise ValueError(f"a document's scheme is http or https, not {scheme!r}")
        return cls((_Base(scheme.lower(), None),))

    @classmethod
    def parse(cls, href: str, document: BaseURL | None = None) -> BaseURL:
        """The base URL set by ``<base href="…">`` (the value as the browser reads it) in ``document``.

        An href that does not parse, and a ``javascript:`` or ``data:`` one (which Chromium refuses), leave
        the document's own URL as the base (the HTML standard's fallback base URL); both that and "no base"
        are kept as possibilities, as Chromium's preload scanner uses the latter.
        """
        bases: list[_Base] = []
        for world in (document or _DOCUMENT)._bases:
            parsed = _parse(href, world)
            if parsed is None or parsed.scheme in ("javascript", "data"):
                # The document keeps its own URL as the base, but Chromium's preload scanner resolves against
                # no base at all ("http:x" is then the host x): both are possible.
                candidates = [world, _NO_BASE]
            else:
                candidates = [parsed]
            bases.extend(c for c in candidates if c not in bases)
        return cls(tuple(bases))

    @property
    def hosts(self) -> tuple[str, ...]:
        """The hosts other than the document's own that relative URLs resolve to (usually none or one)."""
        return tuple(dict.fromkeys(b.host for b in self._bases if b.host is not None and b.scheme in _NETWORK))


_DOCUMENT = BaseURL()


def fetch_hosts(url: str, base: BaseURL | None = None) -> tuple[str, ...]:
    """Every host the browser may connect to for ``url``: none, one, or two when the document's scheme is
    unknown and decides between a host and a relative path (``https:cdn.example`` under
    ``<base href="//tracker.example/">`` names ``cdn.example`` in an http page, ``tracker.example`` in an
    https one). Never raises."""
    hosts: list[str] = []
    for world in (base or _DOCUMENT)._bases:
        parsed = _parse(url, world)
        if parsed is None or parsed.host is None or parsed.scheme not in _NETWORK:
            continue
        host = parsed.host
        if host.endswith("."):
            host = host.rstrip(".")
        if host and host not in hosts:
            hosts.append(host)
    return tuple(hosts)


def fetch_host(url: str, base: BaseURL | None = None) -> str | None:
    """The host the browser connects to when ``url`` is fetched from a document whose base URL is ``base``
    (None: the document itself, so that a relative URL is first party and gives None); None when no request
    to another host results. Never raises. Where the document's unknown scheme leaves two hosts possible
    (see `fetch_hosts`), the URL's own authority is returned."""
    hosts = fetch_hosts(url, base)
    return hosts[0] if hosts else None


def _parse(url: str, base: _Base) -> _Base | None:
    """The scheme and host of ``url`` parsed against ``base``, or None where the URL standard fails."""
    url = url.strip(_STRIP)
    if "\t" in url or "\n" in url or "\r" in url:
        url = _TAB_NEWLINE.sub("", url)
    m = _SCHEME.match(url)
    if m is None:
        return _relative(url, base)
    scheme = m[1].lower()
    rest = url[m.end() :]
    if scheme not in _NETWORK:  # file: and the non-special schemes: no host we need, and never a failure
        return _Base(scheme, None, opaque=scheme != "file" and not rest.startswith("/"))
    if base.scheme == scheme and not rest.startswith("//"):
        return _relative(rest, base)  # "https:x" in an https document is a path, "https:\\x" is not
    return _authority(scheme, rest[_skip_slashes(rest) :])


def _relative(rest: str, base: _Base) -> _Base | None:
    if base.scheme not in _NETWORK:
        return None if base.opaque else _Base(base.scheme, None)
    if rest[:1] in ("/", "\\") and rest[1:2] in ("/", "\\"):
        return _authority(base.scheme, rest[_skip_slashes(rest) :])
    return base


def _skip_slashes(text: str) -> int:
    return len(text) - len(text.lstrip("/\\"))


def _authority(scheme: str, rest: str) -> _Base | None:
    """The host of a special URL's authority (``rest`` starts after its slashes), or None (failure)."""
    authority = rest[: _AUTHORITY_END.match(rest).end()]  # type: ignore[union-attr]
    at = authority.rfind("@")
    if at >= 0:
        authority = authority[at + 1 :]
    host, port = _split_port(authority)
    if not host:
        return None  # "http://", "http://user@", "http://:80"
    if port:
        digits = port.lstrip("0")
        if not port.isascii() or not port.isdigit() or len(digits) > 5 or int(digits or "0") > 65535:
            return None
    parsed = parse_host(host)
    return None if parsed is None else _Base(scheme, parsed)


def _split_port(authority: str) -> tuple[str, str]:
    """The host and the port text of an authority: the first ":" outside brackets starts the port."""
    if "[" not in authority:
        host, _, port = authority.partition(":")
        return host, port
    inside = False
    for i, c in enumerate(authority):
        if c == "[":
            inside = True
        elif c == "]":
            inside = False
        elif c == ":" and not inside:
            return authority[:i], authority[i + 1 :]
    return authority, ""
