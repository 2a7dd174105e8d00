"""Following what runs until a closing sequence: raw text (with script data's escape states), comments, and
tags too long to hold. Pure Python; resumable across buffers."""

from __future__ import annotations

import re

from .pytag import WS

_D = rb"[" + WS + rb"/>]"
SD, ESC, DESC = 0, 1, 2  # script data; escaped (after "<!--"); double escaped (after "<!--<script")
_SCRIPT_RX = (
    re.compile(rb"<!--|</script" + _D),
    re.compile(rb"-->|</script" + _D + rb"|<script" + _D),
    re.compile(rb"-->|</script" + _D),
)
_END_RX: dict[bytes, re.Pattern[bytes]] = {}
_COMMENT_END = re.compile(rb"--!?>")


class RawState:
    """Inside a raw-text element: its name, and for scripts the escape state."""

    __slots__ = ("name", "esc", "scanned")

    def __init__(self) -> None:
        self.name = b""
        self.esc = SD
        self.scanned = 0  # held content: how far it was scanned, from the start of the held buffer

    def begin(self, name: bytes) -> None:
        self.name = name
        self.esc = SD
        self.scanned = 0


def _end_rx(name: bytes) -> re.Pattern[bytes]:
    rx = _END_RX.get(name)
    if rx is None:
        rx = _END_RX[name] = re.compile(rb"</" + re.escape(name) + _D)
    return rx


def raw_end(low: bytes, state: RawState, pos: int, final: bool) -> tuple[int, int]:
    """Where the raw text that ``pos`` is in ends: ``(c, c)`` with c the ``</name`` that ends it, or
    ``(-1, scanned)``: no end before ``scanned``, and what follows may hold the start of one."""
    n = len(low)
    keep = len(state.name) + 3
    if state.name != b"script":
        m = _end_rx(state.name).search(low, pos)
        if m is not None:
            return m.start(), m.start()
        return -1, n if final else max(pos, n - keep)
    i = pos
    while True:
        m = _SCRIPT_RX[state.esc].search(low, i)
        if m is None:
            return -1, n if final else max(i, n - keep)
        token = m[0]
        if token == b"-->":
            state.esc = SD
            i = m.end()
        elif token[:2] == b"</":
            if state.esc == DESC:
                state.esc = ESC
                i = m.end()
            else:
                return m.start(), m.start()
        elif token == b"<!--":
            state.esc = ESC
            i = m.start() + 2  # its dashes may close it at once: "<!-->"
        else:  # "<script" in the escaped state
            state.esc = DESC
            i = m.end()


def comment_end(buf: bytes, pos: int) -> int:
    """The end of the comment that ``pos`` is in, or -1."""
    m = _COMMENT_END.search(buf, pos)
    return m.end() if m is not None else -1


# -- following a tag too long to hold, to its end: the tokenizer's tag states ------------------------------

NAME, BEFORE, ATTR, AFTER_NAME, BEFORE_VALUE, DQ, SQ, UNQUOTED, AFTER_QUOTED, PLAIN = range(10)
_RUNS = {
    NAME: re.compile(rb"[^" + WS + rb"/>]*+"),
    BEFORE: re.compile(rb"[" + WS + rb"/]*+"),
    ATTR: re.compile(rb"[^" + WS + rb"/>=]*+"),
    AFTER_NAME: re.compile(rb"[" + WS + rb"]*+"),
    BEFORE_VALUE: re.compile(rb"[" + WS + rb"]*+"),
    UNQUOTED: re.compile(rb"[^" + WS + rb">]*+"),
}
_SPACE = frozenset(WS)


class SkipState:
    """Where a long tag (or bogus comment) being followed is; ``done`` once its ``>`` was seen."""

    __slots__ = ("state", "done", "then_raw")

    def __init__(self) -> None:
        self.state = NAME
        self.done = False
        self.then_raw = b""  # a raw-text element's start tag: raw text follows it

    def begin_tag(self, then_raw: bytes) -> None:
        self.state, self.done, self.then_raw = NAME, False, then_raw

    def begin_plain(self) -> None:
        self.state, self.done, self.then_raw = PLAIN, False, b""

    def run(self, buf: bytes, pos: int) -> int:
        """Follow the tag from ``pos``; returns where it ended (``done``) or ``len(buf)``."""
        n = len(buf)
        state = self.state
        while True:
            rx = _RUNS.get(state)
            if rx is not None:
                m = rx.match(buf, pos)
                assert m is not None
                pos = m.end()
            elif state == PLAIN:
                gt = buf.find(b">", pos)
                pos = n if gt < 0 else gt
            elif state in (DQ, SQ):
                close = buf.find(b'"' if state == DQ else b"'", pos)
                if close < 0:
                    self.state = state
                    return n
                state, pos = AFTER_QUOTED, close + 1
                continue
            if pos >= n:
                self.state = state
                return n
            state, pos = _next(state, buf[pos], pos)
            if state < 0:
                self.done = True
                return pos


def _next(state: int, c: int, pos: int) -> tuple[int, int]:
    """The transition on byte ``c`` at ``pos`` (not consumed by the state's run): (state, position); -1 ends."""
    if c == 0x3E and state != DQ and state != SQ:  # '>'
        return -1, pos + 1
    if state in (NAME, BEFORE, UNQUOTED):
        return (BEFORE, pos) if state != BEFORE else (ATTR, pos + 1)
    if state == ATTR:
        if c == 0x3D:
            return BEFORE_VALUE, pos + 1
        return (AFTER_NAME, pos) if c in _SPACE else (BEFORE, pos + 1)
    if state == AFTER_NAME:
        if c == 0x3D:
            return BEFORE_VALUE, pos + 1
        return (BEFORE, pos + 1) if c == 0x2F else (ATTR, pos + 1)
    if state == BEFORE_VALUE:
        if c == 0x22:
            return DQ, pos + 1
        if c == 0x27:
            return SQ, pos + 1
        return UNQUOTED, pos
    # AFTER_QUOTED
    if c in _SPACE or c == 0x2F:
        return BEFORE, pos + 1
    return ATTR, pos + 1
