"""The streaming tokenizer: handlers registered per element, a scanner that finds them, spliced output.

It knows nothing of consent. A `Registry` collects handlers the way lol-html does (per tag name, per end tag,
per watched attribute) and builds the `ScanSpec` from them, so the fast path looks only for what some handler
wants and a new element type is one registration. A `Tokenizer` streams one response through the scanner,
calls each event's handler, and splices what handlers return into the original bytes; everything else is
copied unchanged. Output is identical whatever the chunking; memory is bounded by ``max_tag`` plus a chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from . import backend as b
from . import spec as s

Event = s.Event  # kind, name, start, end, content_end, hits
# handler(owner, event, buf) -> the bytes to put in place of buf[start:end], or None to keep them
Handler = Callable[[Any, Event, bytes], "bytes | None"]
ANY = b"*"  # the handler for events of names without their own (tags reported through watched attributes)


@dataclass
class Registry:
    """Handlers by (event kind, name), and what the scanner must report for them."""

    tags: dict[bytes, s.TagRule] = field(default_factory=dict)
    attrs: dict[bytes, int] = field(default_factory=dict)
    handlers: dict[tuple[int, bytes], Handler] = field(default_factory=dict)

    def start(
        self,
        name: bytes,
        handler: Handler,
        *,
        always: bool = False,
        attrs: dict[bytes, int] | None = None,
        pause: bool = False,
    ) -> None:
        """Call ``handler`` for start tags of ``name``: all of them (``always``), or those whose attributes
        trigger (``attrs``: attribute name -> kind, plus the marker prefix)."""
        rule = self.tags.get(name, s.TagRule())
        self.tags[name] = s.TagRule(
            start=s.ALWAYS if always else s.FILTER,
            end=rule.end,
            pause=pause or rule.pause,
            attrs={**rule.attrs, **(attrs or {})},
            content=rule.content,
            needles=rule.needles,
            search_when=rule.search_when,
            any_needle=rule.any_needle,
        )
        for kind in (s.START, s.TOO_LONG):
            self.handlers[kind, name] = handler

    def content(
        self,
        name: bytes,
        handler: Handler,
        *,
        needles: Iterable[bytes] = (),
        nocase: bool = False,
        search_when: tuple[bytes, tuple[bytes, ...]] | None = None,
        any_needle: bool = False,
        **start: Any,
    ) -> None:
        """Like `start`, for a raw-text element (script, style), with its content held and searched for
        ``needles``: ``handler`` gets a `CONTENT` (or `TRUNCATED`) event when the tag triggers or a needle
        occurs."""
        self.start(name, handler, **start)
        rule = self.tags[name]
        self.tags[name] = s.TagRule(
            start=rule.start,
            end=rule.end,
            pause=rule.pause,
            attrs=rule.attrs,
            content=s.CONTENT_NOCASE if nocase else s.CONTENT_EXACT,
            needles=tuple(needles),
            search_when=search_when,
            any_needle=any_needle,
        )
        for kind in (s.CONTENT, s.TRUNCATED):
            self.handlers[kind, name] = handler

    def end(self, name: bytes, handler: Handler) -> None:
        rule = self.tags.get(name, s.TagRule())
        self.tags[name] = s.TagRule(
            rule.start, True, rule.pause, rule.attrs, rule.content, rule.needles, rule.search_when, rule.any_needle
        )
        self.handlers[s.END, name] = handler

    def attribute(self, name: bytes, kind: int, handler: Handler) -> None:
        """Watch attribute ``name`` on every start tag; tags with no handler of their own go to ``handler``."""
        self.attrs[name] = kind
        self.handlers[s.START, ANY] = handler

    def handle(self, kind: int, name: bytes, handler: Handler) -> None:
        """Call ``handler`` for events of ``name`` that something else makes the scanner report (a watched
        attribute, say), without making its start tags a place to stop at."""
        self.tags.setdefault(name, s.TagRule())
        self.handlers[kind, name] = handler

    def doctype(self, handler: Handler) -> None:
        self.handlers[s.DOCTYPE, b""] = handler

    def spec(self, **options: Any) -> s.ScanSpec:
        return s.ScanSpec(tags=dict(self.tags), attrs=dict(self.attrs), **options)


class Program:
    """A registry's spec compiled for a back end, with its handlers: built once, shared by every response."""

    def __init__(self, registry: Registry, backend: b.Backend = b.DEFAULT, **options: Any) -> None:
        self.spec = registry.spec(**options)
        self.backend = backend
        self.compiled = backend.compile(self.spec)
        self.handlers = dict(registry.handlers)


class Tokenizer:
    """Streams one document: ``feed(chunk) -> bytes`` as it arrives, ``close() -> bytes`` at the end."""

    def __init__(self, program: Program, owner: Any) -> None:
        self.program = program
        self.owner = owner  # what the handlers are called with
        self._scanner = program.backend.scanner(program.compiled)
        self._pending = bytearray()
        self._wait: bytes | None = None
        self._limit = max(program.spec.max_tag, program.spec.max_content)

    def switch(self, program: Program) -> None:
        """Go on with another program (a handler may call this; it applies from the next event on)."""
        if program is not self.program:
            self.program = program
            self._scanner.update(program.compiled)

    def feed(self, chunk: bytes) -> bytes:
        if not chunk:
            return b""
        pending = self._pending
        if not pending:
            return self._run(chunk, final=False)
        wait = self._wait
        if wait is not None and len(pending) + len(chunk) <= self._limit:
            straddle = bytes(pending[len(pending) - len(wait) + 1 :]) + chunk[: len(wait) - 1] if len(wait) > 1 else b""
            if wait not in chunk and wait not in straddle:
                pending += chunk  # nothing can be decided yet: don't scan the same bytes again
                return b""
        pending += chunk
        self._pending = bytearray()
        return self._run(bytes(pending), final=False)

    def close(self) -> bytes:
        pending = self._pending
        self._pending = bytearray()
        return self._run(bytes(pending), final=True) if pending else b""

    def _run(self, buf: bytes, final: bool) -> bytes:
        out: list[bytes] = []
        emitted = pos = 0
        owner = self.owner
        while True:
            events, stop, wait, paused = self._scanner.scan(buf, pos, final)
            if events:
                handlers = self.program.handlers
                for event in events:
                    handler = handlers.get(event[:2]) or handlers.get((event[0], ANY))
                    if handler is None:
                        continue
                    replacement = handler(owner, event, buf)
                    if replacement is not None:
                        out.append(buf[emitted : event[2]])
                        out.append(replacement)
                        emitted = event[3]
            if paused and stop < len(buf):
                pos = stop
                continue
            break
        self._wait = wait
        if not out and stop == len(buf):
            return buf  # nothing to change in what was decided: no copy
        out.append(buf[emitted:stop])
        if stop < len(buf):
            self._pending = bytearray(buf[stop:])
        return b"".join(out)
