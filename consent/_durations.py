"""Durations as people write them in a configuration: ``"180 days"``, ``"13 months"``, ``"session"``.

One parser for every duration the configuration accepts (``max_age``, cookie declarations' ``duration``,
``google_wait_for_update``), in Python and in TOML alike.
"""

from __future__ import annotations

import re
from datetime import timedelta

from ._errors import ConfigError

_DURATION = re.compile(r"\s*(\d+)\s*(millisecond|second|minute|hour|day|week|month|year)s?\s*\Z", re.IGNORECASE)
_UNIT_SECONDS = {
    "millisecond": 0.001,
    "second": 1,
    "minute": 60,
    "hour": 3600,
    "day": 86400,
    "week": 7 * 86400,
    # Calendar-free units, as Babel's format_timedelta counts them.
    "month": 30 * 86400,
    "year": 365 * 86400,
}
EXAMPLES = "'180 days', '13 months', '2 weeks' or '12 hours'"


def parse_duration(value: object, key: str, *, session: bool = False, number_unit: float = 1.0) -> timedelta | None:
    """``"13 months"``, ``"30 days"``, a ``timedelta`` or a bare number (of ``number_unit`` seconds) as a
    ``timedelta``; ``"session"`` (or None) is None where ``session`` is allowed. Raises `ConfigError`."""
    if isinstance(value, timedelta):
        return value
    if session and (value is None or (isinstance(value, str) and value.strip().lower() == "session")):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return timedelta(seconds=value * number_unit)
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match:
            return timedelta(seconds=int(match[1]) * _UNIT_SECONDS[match[2].lower()])
    also = ", 'session'" if session else ""
    shown = f"{value!r} is" if isinstance(value, str) else f"a {type(value).__name__} is"
    raise ConfigError(key, f"{shown} not a duration such as {EXAMPLES}{also}")
