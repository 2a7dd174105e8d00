"""The pure-Python scanner: the fallback when the compiled one is absent, and its reference.

It never looks at most of the page. One search over a lower-cased copy finds the next place that can matter
(a registered tag, a raw-text element, a comment, a doctype, an SVG/MathML boundary, a watched attribute);
cheap tests prove that place is real markup, and only stretches holding a quoted value with ``<`` or ``>``
take the precise, tag-by-tag path (`Modes._classify`). It reports exactly what the C scanner reports.
"""

from __future__ import annotations

import re

from . import pytag as t
from . import spec as s
from .pycompile import Compiled
from .pymodes import _LETTER, CDATA, COMMENT, DATA, HOLD, RAW, SKIP, Modes
from .pyraw import RawState, SkipState

Event = s.Event
_BEFORE_ATTR = frozenset(t.WS + b"\"'/")
_AFTER_ATTR = frozenset(t.WS + b"/>=")
_EMPTY_COMMENT = re.compile(rb"-?>")  # "<!-->" and "<!--->" are complete comments
_D = rb"(?=[" + t.WS + rb"/>])"


class PureScanner(Modes):
    """Finds what a `ScanSpec` asks for, keeping its lexical state between buffers (see `scan`)."""

    def __init__(self, compiled: Compiled | s.ScanSpec) -> None:
        self.mode = DATA
        self.raw = RawState()
        self.skip = SkipState()
        self.stack: list[bytes] = []  # SVG / MathML / HTML integration point nesting
        self.hold_tag = 0  # HOLD: the start tag is buf[0:hold_tag] of the next buffer
        self.hold_hits: set[int] = set()
        self.hold_search = True
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
        self._memo = compiled.memo

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
        self.dirty = None  # may the buffer hold a quoted '<' or '>'? Found out when first needed
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

    def _emit(self, kind: int, name: bytes, p: int, e: int, c: int = -1, hits: tuple[int, ...] = ()) -> None:
        self.events.append((kind, name, p, e, c, hits))
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
            if where != p:  # p lies inside the tag [start, where): act on it if it holds a watched attribute
                if (group == "attr" or start <= next_attr < where) and buf[start + 1] in _LETTER:
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
            report = self._triggers(rule, name, tag, name_end)
        if raw and rule is not None and rule.content:
            self.raw.begin(name)
            self.hold_hits = set()
            self.hold_report = report
            self.hold_search = s.searches(rule, _first(tag, name_end, rule.search_when))
            return self._content(p, e, resume=False)
        if report:
            self._emit(s.START, name, p, e)
        if raw:
            self._enter_raw(name)
        return e

    def _triggers(self, rule: s.TagRule | None, name: bytes, tag: bytes, name_end: int) -> bool:
        """`pytag.triggers`, remembered per tag: a site's pages repeat their tags, and the answer depends only
        on the tag and the specification."""
        key = (name, tag)
        found = self._memo.get(key)
        if found is None:
            filtered = rule is not None and rule.start == s.FILTER
            watched = self._watch[name] if filtered else self._watch_wild
            exact = self._exact[name if filtered else b""]
            found = t.triggers(rule if filtered else None, tag, name_end, self.spec, watched, exact)
            self._memo.put(key, found, 2 * len(tag) + 64)
        return found


def _first(tag: bytes, name_end: int, when: tuple[bytes, tuple[bytes, ...]] | None) -> bytes | None:
    """The value of the first attribute named ``when[0]`` (b"" without a value), or None."""
    if when is None:
        return None
    for name, value in t.attributes(tag, name_end):
        if name == when[0]:
            return value if value is not None else b""
    return None
