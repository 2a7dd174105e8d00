"""The pure-Python scanner: the fallback when the compiled one is absent, and its reference.

It never looks at most of the page. One search over a lower-cased copy finds the next place that can matter
(a registered tag, a raw-text element, a comment, a doctype, an SVG/MathML boundary, a watched attribute);
cheap tests prove that place is real markup, and only stretches holding a quoted value with ``<`` or ``>``
take the precise, tag-by-tag path (`_Classifier`). It reports exactly what the C scanner reports.
"""

from __future__ import annotations

import re

from . import pytag as t
from . import spec as s
from .pyraw import RawState, SkipState, comment_end, raw_end

DATA, RAW, COMMENT, CDATA, SKIP, HOLD, PLAIN = range(7)
Event = s.Event
_TAG_START = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ/!?")
_LETTER = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# A quoted attribute value holding '<' or '>', searched in text stripped to the bytes below. Values shrink to
# (almost) nothing there, so the search is an order of magnitude faster than on the text itself. Stripping can
# only add matches (an '=' from a URL may pose as a value's opening), never lose one, so a miss proves a
# stretch clean; a hit merely sends it down the precise path.
_STRUCTURE = bytes(c for c in range(256) if c not in b"<>=\"'")
_DANGER = re.compile(rb"=(?:\"[^\"<>]*[<>]|'[^'<>]*[<>])")
_BEFORE_ATTR = frozenset(t.WS + b"\"'/")
_AFTER_ATTR = frozenset(t.WS + b"/>=")
_EMPTY_COMMENT = re.compile(rb"-?>")  # "<!-->" and "<!--->" are complete comments
_D = rb"(?=[" + t.WS + rb"/>])"


def _alt(names: set[bytes]) -> bytes:
    """An alternation of literal names shaped as a trie ("s(?:cript|tyle)"): several times faster to search
    than a flat list, since the engine then tries one branch per first byte."""
    groups: dict[bytes, set[bytes]] = {}
    for name in names:
        groups.setdefault(name[:1], set()).add(name[1:])
    branches = []
    for first in sorted(groups):
        rests = groups[first]
        optional = b"" in rests
        rests.discard(b"")
        head = re.escape(first)
        if not rests:
            branches.append(head)
            continue
        inner = _alt(rests)
        branches.append(head + b"(?:" + inner + b")" + (b"?" if optional else b""))
    return b"|".join(branches)


class Compiled:
    """What the pure scanner derives from a `ScanSpec`, once: its search expressions."""

    def __init__(self, spec: s.ScanSpec) -> None:
        self.spec = spec
        starts = {n for n, r in spec.tags.items() if r.start != s.NEVER or r.content} | s.RAW_ELEMENTS | t.FOREIGN
        ends = {n for n, r in spec.tags.items() if r.end} | t.FOREIGN | t.SVG_IP | t.MATH_IP
        # Watched attributes are found with bytes.find (an expression not starting with '<' is slow to search).
        self.attr_names = tuple(spec.attrs)
        common = rb"|/(?P<end>" + _alt(ends) + rb")" + _D + rb"|(?P<comment>!--)|(?P<doctype>!doctype)"
        self.rx = re.compile(rb"<(?:(?P<start>" + _alt(starts) + rb")" + _D + common + rb")")
        foreign = starts | t.SVG_IP | t.MATH_IP | t.BREAKOUT | {b"font"}
        self.rx_foreign = re.compile(
            rb"<(?:(?P<start>"
            + _alt(foreign)
            + rb")"
            + _D
            + common
            + rb"|/(?P<brk>br|p)"
            + _D
            + rb"|(?P<cdata>!\[cdata\[))"
        )
        wild = set(spec.attrs)
        self.watch_wild = t.watch(wild, b"")
        self.watch = {
            name: t.watch(wild | set(rule.attrs), spec.marker)
            for name, rule in spec.tags.items()
            if rule.start == s.FILTER
        }
        # Attributes whose trigger `pytag.plain` cannot rule out: the marker, CSS and presence attributes.
        self.exact = {}
        for name, rule in [*spec.tags.items(), (b"", s.TagRule())]:
            kinds = {**spec.attrs, **rule.attrs}
            others = {a for a, kind in kinds.items() if kind not in (s.URL, s.SRCSET)}
            self.exact[name] = t.watch(others, spec.marker if name else b"")
        self.needles = {
            name: re.compile(b"|".join(re.escape(n) for n in rule.needles), re.I if rule.content == 2 else 0)
            for name, rule in spec.tags.items()
            if rule.content and rule.needles
        }


class PureScanner:
    """Finds what a `ScanSpec` asks for, keeping its lexical state between buffers (see `scan`)."""

    def __init__(self, compiled: Compiled | s.ScanSpec) -> None:
        self.mode = DATA
        self.raw = RawState()
        self.skip = SkipState()
        self.stack: list[bytes] = []  # SVG / MathML / HTML integration point nesting
        self.hold_tag = 0  # HOLD: the start tag is buf[0:hold_tag] of the next buffer
        self.hold_hit = False
        self.hold_report = False
        self.update(compiled)

    def update(self, compiled: Compiled | s.ScanSpec) -> None:
        if isinstance(compiled, s.ScanSpec):
            compiled = Compiled(compiled)
        self.spec = compiled.spec
        self._attr_names = compiled.attr_names
        self._rx = compiled.rx
        self._rx_foreign = compiled.rx_foreign
        self._needles = compiled.needles
        self._watch = compiled.watch
        self._watch_wild = compiled.watch_wild
        self._exact = compiled.exact

    def scan(self, buf: bytes, pos: int, final: bool) -> tuple[list[Event], int, bytes | None, bool]:
        """Scan ``buf`` from ``pos``: ``(events, stop, wait, paused)``.

        Everything before ``stop`` is decided: copied, or covered by an event. ``buf[stop:]`` must come back
        at the start of the next buffer (an unfinished construct, held content, or the tail of raw text that
        may hold the start of its end tag). ``wait``: bytes that must arrive before scanning again can make
        progress (None: any). ``paused``: it returned early, right after an event of a ``pause`` rule.
        """
        self.events: list[Event] = []
        self.paused = False
        self.wait: bytes | None = None
        self.final = final
        self.buf = buf
        self.low = buf.lower()
        self.dirty = _DANGER.search(buf.translate(None, _STRUCTURE)) is not None
        self.next_attrs = [-1] * len(self._attr_names)
        stop = self._run(pos)
        del self.buf, self.low
        return self.events, stop, self.wait, self.paused

    def _run(self, pos: int) -> int:
        while True:
            mode = self.mode
            if mode == DATA:
                pos = self._data(pos)
            elif mode == HOLD:
                pos = self._content(0, self.hold_tag, resume=True)
            elif mode == RAW:
                pos = self._raw(pos)
            elif mode == COMMENT:
                pos = self._comment(pos)
            elif mode == CDATA:
                pos = self._cdata(pos)
            elif mode == SKIP:
                pos = self._skip(pos)
            else:  # PLAIN: <plaintext> runs to the end
                return len(self.buf)
            if self.mode == mode or self.mode == HOLD or self.paused:
                return pos

    def _emit(self, kind: int, name: bytes, p: int, e: int, c: int = -1, hit: bool = False) -> None:
        self.events.append((kind, name, p, e, c, hit))
        rule = self.spec.tags.get(name)
        if rule is not None and rule.pause:
            self.paused = True

    # -- the data state -------------------------------------------------------------------------------

    def _data(self, q: int) -> int:
        buf, low = self.buf, self.low
        end = len(buf)
        next_attr = self._next_attr(q) if self._attr_names else -1
        while True:
            rx = self._rx_foreign if t.in_foreign(self.stack) else self._rx
            m = rx.search(low, q)
            p = m.start() if m is not None else end
            group = m.lastgroup if m is not None else None
            if 0 <= next_attr < q:
                next_attr = self._next_attr(q)
            if 0 <= next_attr < p:
                p, group = next_attr, "attr"
            where, start = self._classify(q, p)
            if where < 0:
                r = self._unfinished(start)
                if r == start or self.mode != DATA or self.paused:
                    return r
                q = r
                continue
            if where != p:  # p lies inside the tag [start, where)
                if group == "attr" and buf[start + 1] in _LETTER:
                    q = self._tag(start, where)
                    if self.mode != DATA or self.paused:
                        return q
                else:
                    q = where
                continue
            if group is None:
                return end
            if group == "attr":  # text that looks like an attribute
                q = p + 1
                continue
            r = self._construct(p, group)
            if r == -2:
                return p
            if r < 0:
                r = self._unfinished(p)
                if r == p:
                    return r
            q = r
            if self.mode != DATA or self.paused:
                return q

    def _next_attr(self, q: int) -> int:
        """Where the next watched attribute name (in a tag, or text that looks like one) starts, from q."""
        low = self.low
        end = len(low)
        best = end
        found = self.next_attrs
        for i, name in enumerate(self._attr_names):
            at = found[i]
            if at < q:
                at = q
                while True:
                    at = low.find(name, at)
                    if at < 0:
                        at = end
                        break
                    after = at + len(name)
                    if at > 0 and low[at - 1] in _BEFORE_ATTR and (after == end or low[after] in _AFTER_ATTR):
                        break
                    at += 1
                found[i] = at
            best = min(best, at)
        return best

    def _construct(self, p: int, group: str | None) -> int:
        """A comment, CDATA section, doctype or tag at ``p``: where scanning goes on (-1: unfinished)."""
        buf = self.buf
        if group == "comment":
            closer = _EMPTY_COMMENT.match(buf, p + 4)
            if closer is not None:
                return closer.end()
            if not self.final and buf[p + 4 :] in (b"", b"-"):
                return -2  # "<!--" + ">" or "->" would be a whole comment: wait for the next byte
            self.mode = COMMENT
            return p + 4
        if group == "cdata":
            if buf[p + 2 : p + 9] != b"[CDATA[":  # case-sensitive: otherwise a bogus comment
                gt = buf.find(b">", p)
                return gt + 1 if gt >= 0 else -1
            self.mode = CDATA
            return p + 9
        if group == "doctype":
            gt = buf.find(b">", p)
            if gt < 0 or gt + 1 - p > self.spec.max_tag:
                return -1
            self._emit(s.DOCTYPE, b"", p, gt + 1)
            return gt + 1
        m = t.TAG.match(buf, p)
        return -1 if m is None else self._tag(p, m.end())

    def _unfinished(self, start: int) -> int:
        """Something unfinished starts at ``start``: hold it back, or follow it if it is too long to hold."""
        buf = self.buf
        end = len(buf)
        limit = self.spec.max_tag
        name = t.TAG_NAME.match(self.low, start)
        if name is None:  # a bogus comment or a doctype: ends at the first '>'
            gt = buf.find(b">", start)
            if gt >= 0 and gt + 1 - start > limit:
                return gt + 1
            if end - start <= limit:
                if self.final:
                    return end
                self.wait = b">" if end - start >= 9 else None  # "<!-", "<!doct": may still become more
                return start
            self.skip.begin_plain()
            self.mode = SKIP
            return self._skip(start + 1)
        m = t.TAG.match(buf, start)
        if m is not None:  # complete, but longer than max_tag
            return self._tag(start, m.end())
        if end - start <= limit:
            if self.final:
                return end  # the browser drops an unfinished tag at the end of the document
            self.wait = b">"
            return start
        self._too_long(start, name)
        self.mode = SKIP
        return self._skip(name.end())

    def _classify(self, q: int, p: int) -> tuple[int, int]:
        """``(p, -1)`` if p is in the data state; ``(end, start)`` of the tag p sits in; ``(-1, start)`` for
        something unfinished starting before p. ``q`` is in the data state."""
        buf = self.buf
        k = buf.rfind(b"<", q, p)
        if k < 0:
            return p, -1
        end = len(buf)
        if not self.dirty or _DANGER.search(buf[q:p].translate(None, _STRUCTURE)) is None:
            before = buf.rfind(b"<", q, k)
            if before < 0 or buf.find(b">", before, k) >= 0:  # the '<' at k is markup, if anything
                if k + 1 == end:
                    return -1, k
                c = buf[k + 1]
                if c not in _TAG_START or buf.find(b">", k + 1, p) >= 0:
                    return p, -1
                if p == end:
                    return -1, k
                if c in _LETTER:
                    m = t.TAG.match(buf, k)
                    return (m.end(), k) if m is not None else (-1, k)
        return self._precise(q, p)

    def _precise(self, q: int, p: int) -> tuple[int, int]:
        """The tag-by-tag path of `_classify`."""
        buf = self.buf
        end = len(buf)
        pos = q
        while True:
            k = buf.find(b"<", pos, p)
            if k < 0:
                return p, -1
            if k + 1 >= end:
                return -1, k
            c = buf[k + 1]
            if c in b"!?" or (c == 0x2F and (k + 2 >= end or buf[k + 2] not in _LETTER)):
                gt = buf.find(b">", k + 1)  # a bogus comment or "</>": ends at the first '>'
                if gt < 0:
                    return -1, k
                if gt >= p:
                    return gt + 1, k
                pos = gt + 1
            elif c in _LETTER or c == 0x2F:
                m = t.TAG.match(buf, k)
                if m is None:
                    return -1, k
                if m.end() > p:
                    return m.end(), k
                pos = m.end()
            else:
                pos = k + 1  # a '<' that starts no tag is text

    # -- tags ---------------------------------------------------------------------------------------------

    def _tag(self, p: int, e: int) -> int:
        """The complete tag [p, e): report it as registered, follow foreign content, enter raw text."""
        buf = self.buf
        name_m = t.TAG_NAME.match(self.low, p)
        assert name_m is not None
        if e - p > self.spec.max_tag:
            self._too_long(p, name_m)
            return self._after_skip(e)
        name = name_m[1]
        tag = buf[p:e]
        name_end = name_m.end() - p
        is_end = buf[p + 1] == 0x2F
        foreign = t.in_foreign(self.stack)
        if foreign or name in t.FOREIGN or self.stack:
            m = t.TAG.match(tag)
            self_closing = m is not None and m[1].endswith(b"/")
            t.foreign_step(self.stack, name, is_end, self_closing, tag, name_end)
        rule = self.spec.tags.get(name)
        if is_end:
            if rule is not None and rule.end:
                self._emit(s.END, name, p, e)
            return e
        raw = not foreign and name in s.RAW_ELEMENTS
        report = rule is not None and rule.start == s.ALWAYS
        if not report:
            filtered = rule is not None and rule.start == s.FILTER
            watched = self._watch[name] if filtered else self._watch_wild
            exact = self._exact[name if filtered else b""]
            report = t.triggers(rule if filtered else None, tag, name_end, self.spec, watched, exact)
        if raw and rule is not None and rule.content:
            self.raw.begin(name)
            self.hold_hit = False
            self.hold_report = report
            return self._content(p, e, resume=False)
        if report:
            self._emit(s.START, name, p, e)
        if raw:
            self._enter_raw(name)
        return e

    def _enter_raw(self, name: bytes) -> None:
        if name == b"plaintext":
            self.mode = PLAIN
        else:
            self.raw.begin(name)
            self.mode = RAW

    def _too_long(self, p: int, name_m: re.Match[bytes]) -> None:
        """A tag longer than ``max_tag``: reported by its start (for registered start tags), then followed."""
        name = name_m[1].lower()
        is_end = self.buf[p + 1] == 0x2F
        if name in self.spec.tags and not is_end:
            self._emit(s.TOO_LONG, name, p, name_m.end())
        foreign = t.in_foreign(self.stack)
        t.foreign_step(self.stack, name, is_end, False, b"", 0)
        self.skip.begin_tag(name if not is_end and not foreign and name in s.RAW_ELEMENTS else b"")

    def _after_skip(self, e: int) -> int:
        raw = self.skip.then_raw
        self.skip.then_raw = b""
        self.mode = DATA
        if raw:
            self._enter_raw(raw)
        return e

    # -- raw text, held content, comments, CDATA, long tags ----------------------------------------------------

    def _content(self, p: int, e: int, resume: bool) -> int:
        """The content of a registered raw-text element whose start tag is [p, e), held until it ends."""
        name = self.raw.name
        start = self.raw.scanned if resume else e
        c, scanned = raw_end(self.low, self.raw, start, self.final)
        limit = c if c >= 0 else scanned
        needles = self._needles.get(name)
        if needles is not None and not self.hold_hit:
            self.hold_hit = needles.search(self.buf, max(e, start - 63), limit) is not None
        if (c if c >= 0 else len(self.buf)) - e > self.spec.max_content:
            self._emit(s.TRUNCATED, name, p, e)
            self.mode = DATA if c >= 0 else RAW
            return c if c >= 0 else scanned
        if c < 0 and not self.final:
            self.raw.scanned = scanned - p
            self.hold_tag = e - p
            self.mode = HOLD
            self.wait = b"</"
            return p
        if c < 0:
            c = len(self.buf)
        if self.hold_report or self.hold_hit:
            self._emit(s.CONTENT, name, p, e, c, self.hold_hit)
        self.mode = DATA
        return c

    def _raw(self, pos: int) -> int:
        c, scanned = raw_end(self.low, self.raw, pos, self.final)
        if c < 0:
            return scanned
        self.mode = DATA
        return c

    def _comment(self, pos: int) -> int:
        found = comment_end(self.buf, pos)
        if found < 0:
            return len(self.buf) if self.final else max(pos, len(self.buf) - 3)
        self.mode = DATA
        return found

    def _cdata(self, pos: int) -> int:
        found = self.buf.find(b"]]>", pos)
        if found < 0:
            return len(self.buf) if self.final else max(pos, len(self.buf) - 2)
        self.mode = DATA
        return found + 3

    def _skip(self, pos: int) -> int:
        stop = self.skip.run(self.buf, pos)
        return self._after_skip(stop) if self.skip.done else stop
