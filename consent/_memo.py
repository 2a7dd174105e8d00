"""One small memo for every cache in the package: bounded in entries and in bytes (keys counted too).

Every memo here holds values derived purely from their keys (a verified cookie, a rendered snippet, a
tracker lookup), so dropping entries only costs time, never correctness. One eviction rule (the oldest
entry goes first), one way of counting bytes, and one switch: ``CONSENT_NO_MEMO=1`` in the environment, or
`disabled()` in tests and benchmarks, makes every memo a pass-through.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

_ALL: weakref.WeakSet[Memo[object, object]] = weakref.WeakSet()
_enabled = os.environ.get("CONSENT_NO_MEMO", "") in ("", "0")
_OVERHEAD = 64  # per entry: the dict slot and the objects' headers, roughly


def cost(value: object) -> int:
    """Approximate bytes held by ``value``: exact for bytes and str, summed over tuples and frozensets."""
    if isinstance(value, (bytes, str)):
        return len(value) + 40
    if isinstance(value, (tuple, frozenset, list)):
        return 56 + sum(cost(v) for v in value)
    return 32


class Memo(Generic[K, V]):
    """A bounded mapping from a key to a value computed from it.

    ``max_entries`` and ``max_bytes`` bound it (keys and values both counted by ``cost``); a key or value
    larger than ``max_item`` bytes is never stored, so one huge input cannot evict everything else.
    """

    __slots__ = ("name", "max_entries", "max_bytes", "max_item", "_data", "_bytes", "__weakref__")

    def __init__(self, name: str, max_entries: int = 1024, max_bytes: int = 1 << 20, max_item: int = 64 << 10) -> None:
        self.name = name
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_item = max_item
        self._data: dict[K, tuple[V, int]] = {}
        self._bytes = 0
        _ALL.add(self)  # type: ignore[arg-type]

    def get(self, key: K) -> V | None:
        found = self._data.get(key)
        return found[0] if found is not None else None

    def put(self, key: K, value: V, size: int | None = None) -> V:
        """Store ``value`` (``size``: its bytes, when the caller knows better than `cost`); returns it."""
        if not _enabled:
            return value
        size = cost(key) + (cost(value) if size is None else size) + _OVERHEAD
        if size > self.max_item:
            return value
        data = self._data
        old = data.pop(key, None)
        if old is not None:
            self._bytes -= old[1]
        while data and (len(data) >= self.max_entries or self._bytes + size > self.max_bytes):
            oldest = next(iter(data))
            self._bytes -= data.pop(oldest)[1]
        data[key] = (value, size)
        self._bytes += size
        return value

    def get_or(self, key: K, make: Callable[[K], V]) -> V:
        found = self._data.get(key)
        if found is not None:
            return found[0]
        return self.put(key, make(key))

    def clear(self) -> None:
        self._data.clear()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._data)

    @property
    def bytes(self) -> int:
        return self._bytes


def enabled() -> bool:
    return _enabled


def clear_all() -> None:
    for memo in list(_ALL):
        memo.clear()


@contextmanager
def disabled() -> Iterator[None]:
    """Every memo empty and pass-through inside the block (for tests and first-view benchmarks)."""
    global _enabled
    before = _enabled
    clear_all()
    _enabled = False
    try:
        yield
    finally:
        _enabled = before
