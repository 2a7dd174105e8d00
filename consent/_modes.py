"""Consent modes: the one home of their rules.

- ``opt-in`` (the EU's rule): nothing but necessary cookies until the visitor accepts;
- ``opt-out``: every category counts as allowed until the visitor opts out (refused where the law requires
  consent first, see `consent._regions`);
- ``notice``: the site sets only necessary cookies; the banner informs and is dismissed, nothing can be allowed.

What an undecided visitor gets is decided here and nowhere else: the server computes it (`Mode.undecided`)
and tells the client script (the banner's ``data-undecided``), which never re-derives it.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING

from ._errors import ConfigError, did_you_mean

if TYPE_CHECKING:
    from ._config import ConsentConfig


class Mode(str, Enum):
    """A consent mode; compares equal to its string (``Mode.OPT_IN == "opt-in"``)."""

    OPT_IN = "opt-in"
    OPT_OUT = "opt-out"
    NOTICE = "notice"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @classmethod
    def parse(cls, value: object, key: str) -> Mode:
        """The mode a configuration value names; raises `ConfigError` naming ``key``."""
        for mode in cls:
            if value == mode.value:
                return mode
        names = [m.value for m in cls]
        raise ConfigError(key, f"{value!r} is not one of {', '.join(names)}{did_you_mean(value, names)}")

    def undecided(self, optional: frozenset[str]) -> frozenset[str]:
        """The categories a visitor who has not chosen gets: all of them in opt-out mode, none otherwise."""
        return optional if self is Mode.OPT_OUT else frozenset()

    def grantable(self, optional: frozenset[str]) -> frozenset[str]:
        """The categories a visitor can allow at all: none in notice mode (only necessary cookies exist)."""
        return frozenset() if self is Mode.NOTICE else optional

    @property
    def asks_first(self) -> bool:
        """True where nothing optional runs before the visitor agrees (allowed where the law requires it)."""
        return self is not Mode.OPT_OUT


def reachable_modes(config: ConsentConfig) -> frozenset[Mode]:
    """Every mode a request can get under ``config``: the configured one and, with ``region_header``, those of
    ``modes_by_region`` plus opt-in (a missing or unknown region, and opt-out asked where it is not allowed)."""
    modes: Iterable[str] = (config.mode,)
    if config.region_header:
        modes = (config.mode, *config.modes_by_region.values(), Mode.OPT_IN)
    return frozenset(Mode(m) for m in modes)
