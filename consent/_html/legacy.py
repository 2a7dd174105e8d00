"""A streaming HTML rewriter: inserts one snippet and gates consent-marked elements, in bounded memory.

Pure and synchronous: bytes in, bytes out, no ASGI. It is not a full HTML5 parser; it tokenizes just enough
to know when a ``<`` is real markup (not text inside a script, style, comment, textarea, title or attribute
value) and stops only at the tags it acts on. Everything else is copied through unchanged.

Speed comes from not looking at most tags. ``_STOP`` finds the next tag of interest with one search over a
lower-cased copy of the buffer. A hit is real markup unless it sits inside an attribute of an earlier tag:
inside the last tag before it (found with ``rfind``), or deeper, which needs a quoted value holding ``<`` or
``>``. Such values are rare; ``_clean`` rules them out for the stretch before each hit with one search over
that stretch stripped to its structural bytes, and only the rest takes the precise, tag-by-tag path
(``_scan``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from .._trackers import Provider, Trackers

_WS = rb"\t\n\f\r "
# An attribute value: quoted, or unquoted (which must run to whitespace or '>', so the grammar is unambiguous
# and a failed match costs linear time). Quotes only open a value right after '='.
_VALUE = rb"=[" + _WS + rb"]*(?:\"[^\"]*\"|'[^']*'|(?![" + _WS + rb"\"'])[^" + _WS + rb">]*(?=[" + _WS + rb">]))"
_RUN = rb"[^>\"'=]*"
# A whole start or end tag, '>' inside quoted values included.
_TAG = re.compile(rb"</?[A-Za-z]" + _RUN + rb"(?:(?:" + _VALUE + rb"|[\"'])" + _RUN + rb")*>")
_TAG_NAME = re.compile(rb"</?[A-Za-z][^" + _WS + rb"/>]*")
# The tags we act on, searched in buf.lower() (same offsets): a nested literal alternation runs about three
# times faster there than with re.IGNORECASE. Groups: 1 start tag, 2 end tag, 3 comment, 4 doctype.
_STOP = re.compile(
    rb"<(?:(s(?:cript|tyle)|t(?:extarea|itle)|xmp|i(?:frame|mg)|no(?:embed|frames)|body|h(?:tml|ead)|link)(?=["
    + _WS
    + rb"/>])"
    rb"|/(body|html)(?=[" + _WS + rb"/>])|(!--)|(!doctype))"
)
# A quoted attribute value holding '<' or '>' before its closing quote, searched in text stripped to the
# bytes below. Values shrink to (almost) nothing there, so the search is an order of magnitude faster than
# on the text itself. Stripping can only add matches (an '=' from a URL may pose as a value's opening), never
# lose one, so a miss proves the stretch clean; a hit merely sends it down the precise path.
_STRUCTURE = bytes(c for c in range(256) if c not in b"<>=\"'")
_DANGER = re.compile(rb"=(?:\"[^\"<>]*[<>]|'[^'<>]*[<>])")
_COMMENT_END = re.compile(rb"--!?>")
_EMPTY_COMMENT = re.compile(rb"-?>")  # "<!-->" and "<!--->" are complete comments
_GT_OR_EQ = re.compile(rb"[>=]")
_UNQUOTED = re.compile(rb"[^" + _WS + rb">]*")
_RAW_END = {  # searched in buf.lower()
    name: re.compile(rb"</" + name + rb"[" + _WS + rb"/>]")
    for name in (b"script", b"style", b"textarea", b"title", b"xmp", b"iframe", b"noembed", b"noframes")
}
_ELEMENTS = frozenset((b"iframe", b"img", b"link"))
_SRC = re.compile(rb"[" + _WS + rb"\"'/]src[" + _WS + rb"]*=")
_RAW_KEEP = 10  # len("</noframes"): a tail that may hold the start of an end tag
_TAG_START = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ/!?")
_SPACE = frozenset(b"\t\n\f\r ")

# States between chunks.
_DATA, _RAW, _COMMENT, _SKIP = range(4)

Snippet = Callable[["str | None"], bytes]
# placeholder(provider name or None, category, url, page lang) -> the escaped value of an iframe's srcdoc.
Placeholder = Callable[["str | None", str, bytes, "str | None"], bytes]
_JS_TYPES = frozenset(
    (
        b"",
        b"text/javascript",
        b"application/javascript",
        b"module",
        b"text/ecmascript",
        b"application/ecmascript",
        b"application/x-javascript",
        b"text/x-javascript",
        b"text/jscript",
        b"text/livescript",
    )
)
_HINT_RELS = frozenset((b"preload", b"prefetch", b"preconnect", b"dns-prefetch", b"modulepreload", b"prerender"))


@dataclass(frozen=True)
class Blocking:
    """What the rewriter needs to gate trackers the templates did not mark: the table, how its categories
    map to the site's, and providers to leave alone (Google's tags in advanced Consent Mode)."""

    trackers: Trackers
    category: Mapping[str, str] = field(default_factory=dict)
    exempt: frozenset[str] = frozenset()
    max_inline: int = 16 * 1024  # how much of an inline script is searched for a vendor snippet

    def category_of(self, provider: Provider) -> str:
        return self.category.get(provider.category, provider.category)


class HtmlRewriter:
    """Rewrites one HTML response as it streams.

    ``snippet(lang)`` renders the markup to insert, given the page's ``<html lang>`` (or None); it is called at
    most once, and only for documents (a doctype, ``<html>`` or ``<body>``): fragments such as htmx partials
    get none. With ``at_body_start`` it goes right after ``<body …>``, otherwise right before ``</body>``;
    lacking that tag, before ``</html>``, and lacking that too, at the end.

    Elements marked ``data-consent="<category> …"`` (``<script>``, ``<iframe>``, ``<img>``) are served active when every
    category is in ``allowed`` (``type`` restored from ``data-type``, ``src`` from ``data-src``) and inert
    otherwise, mending markup that would run anyway (a missing ``type="text/plain"``, an iframe with a live
    ``src``).

    Output is identical whatever the chunking. Memory is bounded by ``max_tag_bytes`` plus the largest chunk:
    a tag longer than that is passed through untouched.
    """

    def __init__(
        self,
        *,
        allowed: Collection[str],
        snippet: Snippet | None = None,
        at_body_start: bool = True,
        blocking: Blocking | None = None,
        placeholder: Placeholder | None = None,
        head: bytes | None = None,
        max_tag_bytes: int = 64 * 1024,
    ) -> None:
        self.allowed = allowed
        self.snippet = snippet
        self.at_body_start = at_body_start
        self.blocking = blocking
        self.placeholder = placeholder
        self.head = head  # markup for the top of <head> (Consent Mode defaults): first, before any script
        self.max_tag_bytes = max_tag_bytes
        self.is_document = False
        self.injected = False
        self.changed = False
        self.gated = False  # saw consent-marked elements: the output depends on the visitor's choice
        self.html_lang: str | None = None
        self._state = _DATA
        self._raw_end: re.Pattern[bytes] | None = None
        self._carry = b""
        # The carry is an unfinished tag (or an inline script being read): don't re-parse it until this
        # arrives, so that a stream of tiny chunks costs linear time.
        self._wait_for: bytes | None = None
        # _SKIP: following a tag too long to hold, to its end.
        self._skip_quote = b""  # the quote we are inside, b"" when none
        self._skip_after_eq = False
        self._skip_plain = False  # a bogus comment or doctype: ends at the first '>', quotes don't count
        self._skip_then_raw: str | None = None
        # Per buffer.
        self._low = b""
        self._dirty = True  # may the buffer hold a quoted value with '<' or '>'? (False: proven clean)
        self._open_at = 0  # where the unfinished tag found by _classify starts

    @property
    def consent_dependent(self) -> bool:
        return self.is_document or self.gated

    def feed(self, chunk: bytes) -> bytes:
        wait = self._wait_for
        if (
            wait is not None
            and wait not in chunk
            and wait not in self._carry[-1:] + chunk[:1]
            and len(self._carry) + len(chunk) <= self.max_tag_bytes
        ):
            self._carry += chunk
            return b""
        return self._run(self._carry + chunk if self._carry else chunk, final=False)

    def close(self) -> bytes:
        out = self._run(self._carry, final=True) if self._carry else b""
        if self.is_document and not self.injected and self.snippet is not None:
            out += self._inject()
        return out

    # -- the state machine ----------------------------------------------------------------------------

    def _run(self, buf: bytes, final: bool) -> bytes:
        out: list[bytes] = []
        self._low = buf.lower()
        self._dirty = _DANGER.search(buf.translate(None, _STRUCTURE)) is not None
        pos = 0
        while True:  # finish what the previous chunk left open, then go on in the data state
            state = self._state
            if state == _DATA:
                pos = self._data(buf, pos, out, final)
                break
            if state == _RAW:
                pos = self._rawtext(buf, pos, out, final)
            elif state == _COMMENT:
                pos = self._comment(buf, pos, out, final)
            else:
                stop = self._skip(buf, pos)
                out.append(buf[pos:stop])
                pos = stop
            if self._state == state:
                break
        if final:
            out.append(buf[pos:])
            pos = len(buf)
        self._carry = carry = buf[pos:]
        if self._state != _DATA or len(carry) < 2:
            self._wait_for = None
        elif self._wait_for is None:
            self._wait_for = b">"
        if len(carry) > self.max_tag_bytes and self._state == _DATA:
            # A tag too long to hold: let it through untouched and follow its quotes to its end.
            out.append(self._give_up(carry))
            self._carry = b""
            self._wait_for = None
        return b"".join(out)

    def _data(self, buf: bytes, q: int, out: list[bytes], final: bool) -> int:
        """Copy from ``q`` (in the data state), acting on tags of interest; return where processing stopped.

        Leaves ``self._state`` at _DATA with the rest to carry, or at _RAW/_COMMENT/_SKIP when it ran out of
        buffer inside one of those.
        """
        end = len(buf)
        low = self._low
        search = _STOP.search
        self._wait_for = None
        while True:
            m = search(low, q)
            p = m.start() if m is not None else end
            where = self._classify(buf, q, p)
            if where != p:
                if where < 0:  # an unfinished tag: hold it back for the next chunk
                    out.append(buf[q : self._open_at])
                    return self._open_at
                out.append(buf[q:where])  # p lies inside an attribute of a tag ending at `where`
                q = where
                continue
            out.append(buf[q:p])
            if m is None:
                return end
            kind = m.lastindex
            if kind == 3:  # <!--
                q = p + 4
                closer = _EMPTY_COMMENT.match(buf, q)
                if closer is not None:
                    out.append(buf[p : closer.end()])
                    q = closer.end()
                    continue
                out.append(buf[p:q])
                q = self._comment(buf, q, out, final)
                if self._state != _DATA:
                    return q
                continue
            if kind == 4:  # <!doctype ...>
                gt = buf.find(b">", p)
                if gt < 0:
                    return p
                if gt + 1 - p <= self.max_tag_bytes:
                    self.is_document = True
                out.append(buf[p : gt + 1])
                q = gt + 1
                continue
            tm = _TAG.match(buf, p)
            if tm is None:
                return p  # unfinished (or, at the very end, malformed: _run flushes it)
            q = tm.end()
            tag = buf[p:q]
            # A tag longer than max_tag_bytes passes untouched, as it does when it arrives in pieces too big to
            # hold (see _give_up): the output must not depend on the chunking.
            small = q - p <= self.max_tag_bytes
            if kind == 1:
                name = m[1]
                if small:
                    if name == b"script":
                        if self.head is not None and self.is_document:
                            out.append(self._head())  # no <head> tag: still before the first script
                        held = self._script(buf, q, tag, final)
                        if held is None:
                            return p  # an inline script is being read: wait for its end (or enough of it)
                        tag = held
                    elif name in _ELEMENTS:
                        tag = self._element(name, tag)
                    elif name == b"html":
                        self._html(tag)
                    elif name == b"body":
                        self.is_document = True
                out.append(tag)
                if small and (name == b"head" or name == b"body") and self.head is not None:
                    out.append(self._head())
                if small and name == b"body" and self.at_body_start and not self.injected:
                    out.append(self._inject())
                if name in _RAW_END:
                    self._raw_end = _RAW_END[name]
                    q = self._rawtext(buf, q, out, final)
                    if self._state != _DATA:
                        return q
            else:  # </body> or </html>
                if small and self.is_document and not self.injected and self.snippet is not None:
                    if not self.at_body_start or m[2] == b"html":
                        out.append(self._inject())
                out.append(tag)

    def _rawtext(self, buf: bytes, pos: int, out: list[bytes], final: bool) -> int:
        assert self._raw_end is not None
        m = self._raw_end.search(self._low, pos)
        if m is None:
            keep = 0 if final else min(len(buf) - pos, _RAW_KEEP)
            stop = len(buf) - keep
            out.append(buf[pos:stop])
            self._state = _RAW
            return stop
        out.append(buf[pos : m.start()])
        self._state = _DATA
        return m.start()

    def _comment(self, buf: bytes, pos: int, out: list[bytes], final: bool) -> int:
        m = _COMMENT_END.search(buf, pos)
        if m is None:
            keep = 0 if final else min(len(buf) - pos, 3)
            stop = len(buf) - keep
            out.append(buf[pos:stop])
            self._state = _COMMENT
            return stop
        out.append(buf[pos : m.end()])
        self._state = _DATA
        return m.end()

    def _classify(self, buf: bytes, q: int, p: int) -> int:
        """Where ``p`` (a '<' or the end of ``buf``) stands, given that ``q`` is in the data state.

        Returns ``p`` if it is in the data state too; the end of the tag it sits in (> p) if it is inside an
        attribute; or -1 (setting ``_open_at``) if an unfinished tag starts before it.
        """
        k = buf.rfind(b"<", q, p)
        if k < 0:
            return p
        end = len(buf)
        if not self._dirty or _DANGER.search(buf[q:p].translate(None, _STRUCTURE)) is None:
            # No value in [q, p) holds '<' or '>', so every tag there ends at its first '>'.
            if k + 1 < end and buf[k + 1] in _TAG_START and buf.find(b">", k + 1, p) >= 0:
                return p
            if p == end and (k + 1 == end or buf[k + 1] in _TAG_START):
                # Something unfinished starts at k, unless k is itself inside an earlier unfinished tag.
                before = buf.rfind(b"<", q, k)
                if before < 0 or buf.find(b">", before, k) >= 0:
                    self._open_at = k
                    return -1
        return self._scan(buf, q, p)

    def _scan(self, buf: bytes, q: int, p: int) -> int:
        """The precise path of _classify: walk the tags between q and p one by one."""
        pos = q
        end = len(buf)
        while True:
            t = buf.find(b"<", pos, p)
            if t < 0:
                return p
            if t + 1 >= end:
                self._open_at = t
                return -1
            c = buf[t + 1]
            if c in b"!?" or (c == 0x2F and (t + 2 >= end or buf[t + 2] not in _TAG_START)):
                gt = buf.find(b">", t + 1)  # a bogus comment or "</>": ends at the first '>'
                if gt < 0:
                    self._open_at = t
                    return -1
                if gt >= p:
                    return gt + 1
                pos = gt + 1
            elif c in _TAG_START:
                tm = _TAG.match(buf, t)
                if tm is None:
                    self._open_at = t
                    return -1
                if tm.end() > p:
                    return tm.end()
                pos = tm.end()
            else:
                pos = t + 1  # a '<' that starts no tag is text

    def _give_up(self, tag: bytes) -> bytes:
        name_match = _TAG_NAME.match(tag)
        name = name_match[0][1:].decode("latin-1").lower() if name_match else ""
        self._state = _SKIP
        self._skip_quote = b""
        self._skip_after_eq = False
        self._skip_plain = name_match is None  # "<!…" or "<?…" ends at the first '>'
        self._skip_then_raw = name if name.encode() in _RAW_END and not tag.startswith(b"</") else None
        start = name_match.end() if name_match else 1
        stop = self._skip(tag, start)
        if self._state != _SKIP:
            # The tag ended inside what we hold (a '>' hidden in a value fooled the carry): go on after it.
            return tag[:stop] + self._run(tag[stop:], final=False)
        return tag

    def _skip(self, buf: bytes, pos: int) -> int:
        """_SKIP: inside a tag too long to hold; follow its quotes to its end. Returns where it stopped."""
        end = len(buf)
        while pos < end:
            if self._skip_plain:
                gt = buf.find(b">", pos)
                if gt < 0:
                    return end
                self._state = _DATA
                return gt + 1
            if self._skip_quote:
                close = buf.find(self._skip_quote, pos)
                if close < 0:
                    return end
                self._skip_quote = b""
                pos = close + 1
            elif self._skip_after_eq:
                c = buf[pos : pos + 1]
                if c[0] in _SPACE:
                    pos += 1
                    continue
                self._skip_after_eq = False
                if c in (b'"', b"'"):
                    self._skip_quote = c
                    pos += 1
                else:
                    unquoted = _UNQUOTED.match(buf, pos)
                    assert unquoted is not None
                    pos = unquoted.end()
            else:
                m = _GT_OR_EQ.search(buf, pos)
                if m is None:
                    return end
                pos = m.end()
                if m[0] == b">":
                    if self._skip_then_raw:
                        self._state = _RAW
                        self._raw_end = _RAW_END[self._skip_then_raw.encode()]
                    else:
                        self._state = _DATA
                    return pos
                self._skip_after_eq = True
        return pos

    # -- acting on tags -------------------------------------------------------------------------------

    def _inject(self) -> bytes:
        self.injected = True
        if self.snippet is None:
            return b""
        self.changed = True
        return self.snippet(self.html_lang)

    def _html(self, tag: bytes) -> None:
        self.is_document = True
        if self.html_lang is None:
            lang = attributes(tag).get(b"lang")
            if lang is not None:
                self.html_lang = attr_value(lang).decode("latin-1").strip()

    def _head(self) -> bytes:
        head, self.head = self.head, None
        self.changed = True
        return head or b""

    def _script(self, buf: bytes, q: int, tag: bytes, final: bool) -> bytes | None:
        """A ``<script>`` start tag: gated as marked, or by its ``src``; an inline one is first read (up to
        ``max_inline`` bytes) and gated if it holds a known vendor snippet. None: wait for more input."""
        blocking = self.blocking
        lower = tag.lower()
        if blocking is None or b"data-consent" in lower or (_SRC.search(lower) and b"src" in attributes(tag)):
            return self._element(b"script", tag)
        type_ = _attr_value(tag, b"type")
        if type_ is not None and type_.strip().lower() not in _JS_TYPES:
            return tag  # JSON-LD, templates: never executed
        if len(tag) + blocking.max_inline > self.max_tag_bytes:
            return tag
        end = _RAW_END[b"script"].search(self._low, q, q + blocking.max_inline + 1)
        if end is not None:
            text = buf[q : end.start()]
        elif len(buf) - q >= blocking.max_inline or final:
            text = buf[q : q + blocking.max_inline]  # the same bytes whatever the chunking
        else:
            self._wait_for = b"</"
            return None
        providers = [p for p in blocking.trackers.for_script(text) if p.id not in blocking.exempt]
        return self._neutralize_script(tag, providers) if providers else tag

    def _element(self, name: bytes, tag: bytes) -> bytes:
        """Gate a ``<script src>``, ``<iframe>``, ``<img>`` or ``<link>``: marked ones by their
        ``data-consent``, the others by the tracker table."""
        lower = tag.lower()
        if b"data-consent" in lower:
            attrs = attributes(tag)
            if b"data-consent" in attrs:
                return self._marked(name, tag, attrs)
        blocking = self.blocking
        # Only absolute URLs can point to another host; most (images on a CDN) are no tracker's.
        if blocking is None or b"//" not in tag or not blocking.trackers.in_tag(tag):
            return tag
        attrs = attributes(tag)
        if name == b"link":
            rel = attrs.get(b"rel")
            if rel is None or not _HINT_RELS.intersection(attr_value(rel).lower().split()):
                return tag
            url_attr = b"href"
        else:
            url_attr = b"src"
        url = attrs.get(url_attr)
        if url is None:
            return tag
        provider = blocking.trackers.for_url(attr_value(url))
        if provider is None or provider.id in blocking.exempt:
            return tag
        category = blocking.category_of(provider)
        self.gated = True
        if category in self.allowed:
            return tag  # allowed: served exactly as the app wrote it
        self.changed = True
        marks = b' data-consent="' + category.encode() + b'" data-consent-auto="' + provider.id.encode() + b'"'
        if name == b"script":
            return self._neutralize_script(tag, [provider])
        edits = [(len(name) + 1, len(name) + 1, marks)]
        _deactivate(tag, attrs, edits, url_attr)
        if name == b"img":
            _deactivate(tag, attrs, edits, b"srcset")
        if name == b"iframe":
            self._placeholder(tag, attrs, edits, provider.name, category, attr_value(url))
        return _splice(tag, edits)

    def _neutralize_script(self, tag: bytes, providers: list[Provider]) -> bytes:
        assert self.blocking is not None
        categories = sorted({self.blocking.category_of(p) for p in providers})
        self.gated = True
        if all(c in self.allowed for c in categories):
            return tag
        self.changed = True
        ids = " ".join(p.id for p in providers)
        marks = b' data-consent="' + " ".join(categories).encode() + b'" data-consent-auto="' + ids.encode() + b'"'
        attrs = attributes(tag)
        type_ = attrs.get(b"type")
        if type_ is None:
            return tag[:7] + b' type="text/plain"' + marks + tag[7:]
        keep = b"" if b"data-type" in attrs else b" data-" + type_[0]
        return _splice(tag, [(type_.start(), type_.end(), b'type="text/plain"' + keep + marks)])

    def _placeholder(
        self,
        tag: bytes,
        attrs: Attrs,
        edits: list[tuple[int, int, bytes]],
        provider: str | None,
        category: str,
        url: bytes,
    ) -> None:
        if self.placeholder is None or b"srcdoc" in attrs:
            return
        srcdoc = self.placeholder(provider, category, url, self.html_lang)
        edits.append((len(tag) - 1, len(tag) - 1, b' srcdoc="' + srcdoc + b'"'))

    def _marked(self, name: bytes, tag: bytes, attrs: Attrs) -> bytes:
        marked = attrs[b"data-consent"]
        categories = attr_value(marked).decode("latin-1").split()
        if not categories:
            return tag
        self.gated = True
        allowed = all(c in self.allowed for c in categories)
        edits: list[tuple[int, int, bytes]] = []
        if name == b"script":
            type_ = attrs.get(b"type")
            inert = type_ is not None and attr_value(type_).strip().lower() == b"text/plain"
            if allowed:
                if type_ is not None and inert:
                    edits.append(_remove(tag, type_))
                    data_type = attrs.get(b"data-type")
                    if data_type is not None:
                        edits.append(_rename(data_type, b"type"))
                _activate(tag, attrs, edits, b"src")
            elif not inert:
                if type_ is None:
                    edits.append((7, 7, b' type="text/plain"'))  # right after "<script"
                else:  # keep the author's type for activation: type="module" -> data-type="module"
                    keep = b"" if b"data-type" in attrs else b" data-" + type_[0]
                    edits.append((type_.start(), type_.end(), b'type="text/plain"' + keep))
        elif allowed:
            _activate(tag, attrs, edits, b"src" if name != b"link" else b"href")
            _activate(tag, attrs, edits, b"srcset")
        else:
            url_attr = b"src" if name != b"link" else b"href"
            _deactivate(tag, attrs, edits, url_attr)
            _deactivate(tag, attrs, edits, b"srcset")
            if name == b"iframe":
                url = attrs.get(b"data-src") or attrs.get(b"src")
                if url is not None:
                    target = attr_value(url)
                    provider = self.blocking.trackers.for_url(target) if self.blocking is not None else None
                    category = " ".join(c for c in categories if c not in self.allowed)
                    self._placeholder(tag, attrs, edits, provider.name if provider else None, category, target)
        if not edits:
            return tag
        self.changed = True
        return _splice(tag, edits)


_ATTR = re.compile(
    rb"([^" + _WS + rb"/>][^" + _WS + rb"/=>]*)"
    rb"(?:[" + _WS + rb"]*=[" + _WS + rb"]*(\"[^\"]*\"|'[^']*'|[^" + _WS + rb">]*))?"
)
Attrs = dict[bytes, "re.Match[bytes]"]


def attributes(tag: bytes) -> Attrs:
    """A start tag's attributes by lower-cased name; the first occurrence wins, as in browsers."""
    name = _TAG_NAME.match(tag)
    attrs: Attrs = {}
    for m in _ATTR.finditer(tag, name.end() if name else 1, len(tag) - 1):
        key = m[1].lower()
        if key not in attrs:
            attrs[key] = m
    return attrs


def _attr_value(tag: bytes, name: bytes) -> bytes | None:
    m = attributes(tag).get(name)
    return attr_value(m) if m is not None else None


def attr_value(m: re.Match[bytes]) -> bytes:
    value = m[2]
    if not value:
        return b""
    return value[1:-1] if value[0] in b"\"'" else value


def _rename(attr: re.Match[bytes], new: bytes) -> tuple[int, int, bytes]:
    # Only the name changes: the value keeps its quoting and escaping.
    return (attr.start(1), attr.end(1), new)


def _remove(tag: bytes, attr: re.Match[bytes]) -> tuple[int, int, bytes]:
    start = attr.start()
    if tag[start - 1] in _SPACE:
        start -= 1  # take the separating space with it
    return (start, attr.end(), b"")


def _activate(tag: bytes, attrs: Attrs, edits: list[tuple[int, int, bytes]], name: bytes) -> None:
    data = attrs.get(b"data-" + name)
    if data is None:
        return
    live = attrs.get(name)
    if live is not None:  # a placeholder src: the real one wins
        edits.append(_remove(tag, live))
    edits.append(_rename(data, name))


def _deactivate(tag: bytes, attrs: Attrs, edits: list[tuple[int, int, bytes]], name: bytes) -> None:
    live = attrs.get(name)
    if live is None or attr_value(live).strip().lower() in (b"", b"about:blank"):
        return
    if b"data-" + name in attrs:
        edits.append(_remove(tag, live))
    else:
        edits.append(_rename(live, b"data-" + name))


def _splice(tag: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    parts = []
    pos = 0
    for start, end, replacement in sorted(edits):
        parts.append(tag[pos:start])
        parts.append(replacement)
        pos = end
    parts.append(tag[pos:])
    return b"".join(parts)
