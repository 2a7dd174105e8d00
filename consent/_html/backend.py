"""The scanner back ends: the compiled one (``_cscan``, a C extension) when it is built, else pure Python.

``CONSENT_PURE_PYTHON=1`` in the environment forces the pure one. Both satisfy one interface::

    compiled = backend.compile(spec)          # once per ScanSpec (immutable, shared)
    scanner = backend.scanner(compiled)       # one per response
    events, stop, wait, paused = scanner.scan(buf, pos, final)
    scanner.update(backend.compile(other))    # go on with other registrations
"""

from __future__ import annotations

import os
from typing import Any, Protocol

from . import spec as s
from .pycompile import Compiled
from .pyscan import Event, PureScanner


class Scanner(Protocol):
    def scan(self, buf: bytes, pos: int, final: bool) -> tuple[list[Event], int, bytes | None, bool]: ...

    def update(self, compiled: Any) -> None: ...


class Backend:
    name = "python"

    def compile(self, spec: s.ScanSpec) -> Any:
        return Compiled(spec)

    def scanner(self, compiled: Any) -> Scanner:
        return PureScanner(compiled)


class CompiledBackend(Backend):
    name = "c"

    def __init__(self, module: Any) -> None:
        self._module = module

    def compile(self, spec: s.ScanSpec) -> Any:
        tags = {
            name: (
                r.start,
                int(r.end),
                int(r.pause),
                dict(r.attrs),
                r.content,
                tuple(r.needles),
                r.search_when,
                int(r.any_needle),
            )
            for name, r in spec.tags.items()
        }
        return self._module.Spec(
            tags,
            dict(spec.attrs),
            tuple(sorted(spec.hosts)),
            spec.marker,
            tuple(spec.css_needles),
            spec.max_tag,
            spec.max_content,
        )

    def scanner(self, compiled: Any) -> Scanner:
        scanner: Scanner = self._module.Scanner(compiled)
        return scanner


PURE = Backend()
FORCED = "CONSENT_PURE_PYTHON is set"


def _load() -> tuple[Backend, str | None]:
    """The back end to use, and why the compiled one is not used (None when it is)."""
    if os.environ.get("CONSENT_PURE_PYTHON", "") not in ("", "0"):
        return PURE, FORCED
    try:
        from . import _cscan  # type: ignore[attr-defined]
    except ImportError:
        return PURE, (
            "the compiled scanner is not installed (no C compiler at install time?): running on the pure-Python "
            "scanner, several times slower; install gcc and the Python headers and reinstall asgi-consent"
        )
    return CompiledBackend(_cscan), None


DEFAULT, WHY_PURE = _load()


def available() -> list[Backend]:
    """Every back end this install has (for the tests that run against both)."""
    found = [PURE]
    try:
        from . import _cscan  # type: ignore[attr-defined]
    except ImportError:
        return found
    return [CompiledBackend(_cscan), PURE]
