"""What the pure-Python scanner derives from a `ScanSpec`, once: its search expressions."""

from __future__ import annotations

import re
from typing import Any

from .._memo import Memo
from . import pytag as t
from . import spec as s

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
        # What a tag triggers, and which needles a held content holds: remembered by their bytes.
        self.memo: Memo[Any, Any] = Memo("pure scanner", 8192, 8 << 20, 1 << 20)
        self.needles = {
            name: Needles(rule.needles, rule.content == s.CONTENT_NOCASE, rule.any_needle)
            for name, rule in spec.tags.items()
            if rule.content and rule.needles
        }


class Needles:
    """Which of some byte strings occur wholly inside a window of a buffer: the exact set, overlapping
    occurrences included (what the C scanner reports)."""

    def __init__(self, needles: tuple[bytes, ...], nocase: bool, any_only: bool = False) -> None:
        self.any_only = any_only
        if len(needles) > 256:
            raise ValueError("at most 256 needles")
        flags = re.I if nocase else 0
        alternation = b"|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True))
        self.any = re.compile(alternation, flags)
        self.needles = [n.lower() if nocase else n for n in needles]
        self.nocase = nocase

    def found(self, buf: bytes, start: int, end: int) -> set[int]:
        if start >= end:
            return set()
        if end - start < 1024 and self.any.search(buf, start, end) is None:  # a short text: one pass rules out all
            return set()
        text = buf
        if self.nocase:
            text, start, end = buf[start:end].lower(), 0, end - start
        # One fast search per needle: several times faster in CPython than a regular expression's alternation
        # tried at every position, and overlapping occurrences are found as the C scanner finds them.
        return {i for i, n in enumerate(self.needles) if text.find(n, start, end) >= 0}
