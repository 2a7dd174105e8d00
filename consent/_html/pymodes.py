"""The pure-Python scanner's states besides data: where a '<' stands (`_classify`), and what runs until a
closing sequence (held content, raw text, comments, CDATA, tags too long to hold). A mixin of `PureScanner`."""

from __future__ import annotations

import re
from typing import Any

from .._memo import Memo
from . import pytag as t
from . import spec as s
from .pycompile import Needles
from .pyraw import RawState, SkipState, comment_end, raw_end

DATA, RAW, COMMENT, CDATA, SKIP, HOLD, PLAIN = range(7)
_TAG_START = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ/!?")
_LETTER = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# A quoted attribute value holding '<' or '>', searched in text stripped to the bytes below. Values shrink to
# (almost) nothing there, so the search is an order of magnitude faster than on the text itself. Stripping can
# only add matches (an '=' from a URL may pose as a value's opening), never lose one, so a miss proves a
# stretch clean; a hit merely sends it down the precise path.
_STRUCTURE = bytes(c for c in range(256) if c not in b"<>=\"'")
_DANGER = re.compile(rb"=(?:\"[^\"<>]*[<>]|'[^'<>]*[<>])")


class Modes:
    """State and helpers `PureScanner` builds on (see there)."""

    mode: int
    raw: RawState
    skip: SkipState
    stack: list[bytes]
    hold_tag: int
    hold_hits: set[int]
    hold_search: bool
    hold_report: bool
    paused: bool
    spec: s.ScanSpec
    buf: bytes
    low: bytes
    dirty: bool | None
    final: bool
    wait: bytes | None
    _needles: dict[bytes, Needles]
    _memo: Memo[Any, Any]

    def _emit(self, kind: int, name: bytes, p: int, e: int, c: int = -1, hits: tuple[int, ...] = ()) -> None:
        raise NotImplementedError

    def _classify(self, q: int, p: int) -> tuple[int, int]:
        """``(p, -1)`` if p is in the data state; ``(end, start)`` of the tag p sits in; ``(-1, start)`` for
        something unfinished starting before p. ``q`` is in the data state."""
        buf = self.buf
        k = buf.rfind(b"<", q, p)
        if k < 0:
            return p, -1
        end = len(buf)
        if self.dirty is None:
            self.dirty = _DANGER.search(buf.translate(None, _STRUCTURE)) is not None
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
        rule = self.spec.tags.get(name)
        if rule is not None and rule.start != s.NEVER and not is_end:
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
        if (c if c >= 0 else len(self.buf)) - e > self.spec.max_content:
            self._emit(s.TRUNCATED, name, p, e)
            self.mode = DATA if c >= 0 else RAW
            return c if c >= 0 else scanned
        needles = self._needles.get(name)
        if needles is not None and self.hold_search and (c >= 0 or self.final):
            # Searched once, when the whole content is here (remembered by its text), never chunk by chunk.
            self.hold_hits = self._found(needles, e, c if c >= 0 else len(self.buf))
        if c < 0 and not self.final:
            self.raw.scanned = scanned - p
            self.hold_tag = e - p
            self.mode = HOLD
            self.wait = b"</"
            return p
        if c < 0:
            c = len(self.buf)
        if self.hold_report or self.hold_hits:
            self._emit(s.CONTENT, name, p, e, c, tuple(sorted(self.hold_hits)))
        self.mode = DATA
        return c

    def _found(self, needles: Needles, e: int, c: int) -> set[int]:
        key = (needles, self.buf[e:c])
        hits = self._memo.get(key)
        if hits is None:
            if needles.any_only:
                hits = {0} if needles.any.search(self.buf, e, c) is not None else set()
            else:
                hits = needles.found(self.buf, e, c)
            self._memo.put(key, hits, c - e + 96)
        return set(hits)

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
