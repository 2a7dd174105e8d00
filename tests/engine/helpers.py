"""Rewriting helpers for the engine tests: every test runs once per scanner back end (see conftest.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from consent._html import backend as b
from consent._html.gate import Blocking, Options
from consent._html.rewriter import Engine, Rewriter
from consent._trackers import Trackers, load_table, provider_from

SNIPPET = b"<!--S-->"
OPTIONAL = ("analytics", "marketing", "a", "b", "m")
_engines: dict[tuple[object, ...], Engine] = {}
current: list[b.Backend] = [b.DEFAULT]  # set by the autouse fixture


def table() -> Trackers:
    _, entries = load_table()
    return Trackers(provider_from(e, f"providers[{i}]") for i, e in enumerate(entries))


TRACKERS = table()
BLOCKING = Blocking(TRACKERS)


def engine(blocking: Blocking | None = None, max_hold: int = 1 << 20, optional: Sequence[str] = OPTIONAL) -> Engine:
    key = (current[0].name, id(blocking), max_hold, tuple(optional))
    found = _engines.get(key)
    if found is None:
        found = _engines[key] = Engine(blocking, optional, current[0], max_hold)
    return found


def rewriter(
    allowed: Iterable[str] = (),
    *,
    at_body_start: bool = True,
    blocking: Blocking | None = None,
    snippet=lambda lang: SNIPPET,
    max_hold: int = 1 << 20,
    **options,
) -> Rewriter:
    opts = Options(allowed=frozenset(allowed), snippet=snippet, at_body_start=at_body_start, **options)
    return engine(blocking, max_hold).rewriter(opts)


def rewrite(doc: bytes, allowed: Iterable[str] = (), *, chunks: Sequence[int] | None = None, **kwargs) -> bytes:
    r = rewriter(allowed, **kwargs)
    if chunks is None:
        return r.feed(doc) + r.close()
    out = []
    pos = 0
    for size in chunks:
        out.append(r.feed(doc[pos : pos + size]))
        pos += size
    out.append(r.feed(doc[pos:]))
    out.append(r.close())
    return b"".join(out)


def bytewise(doc: bytes, allowed: Iterable[str] = (), **kwargs) -> bytes:
    return rewrite(doc, allowed, chunks=[1] * len(doc), **kwargs)
