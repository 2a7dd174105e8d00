"""Arguments of ``consent log``: dates, ages and retention periods; progress on stderr; usage errors."""

from __future__ import annotations

import re
import sys
import time
from datetime import UTC, datetime, timedelta


class UsageError(Exception):
    pass


_AGE = re.compile(r"\s*(\d+)\s*(y|years?|m|months?|w|weeks?|d|days?|h|hours?)\s*\Z", re.IGNORECASE)


def age_before(text: str) -> datetime:
    """Now minus an age such as ``3y``, ``18m``, ``6w``, ``90d`` or ``12h``."""
    return _age(text, datetime.now(UTC))


def _age(text: str, now: datetime) -> datetime:
    """``now`` minus an age, in calendar years and months (31 March minus a month is 28 February)."""
    match = _AGE.match(text)
    if not match:
        raise UsageError(f"{text!r} is not an age such as 3y, 18m, 6w, 90d or 12h")
    count, unit = int(match[1]), match[2].lower()[0]
    if unit in "ym":
        months = count * (12 if unit == "y" else 1)
        year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
        day = now.day
        while True:
            try:
                return now.replace(year=year, month=month + 1, day=day)
            except ValueError:  # 29 February, 31 April: the month's last day
                day -= 1
    return now - {"w": timedelta(weeks=count), "d": timedelta(days=count), "h": timedelta(hours=count)}[unit]


def when(text: str | None) -> datetime | None:
    if text is None:
        return None
    if _AGE.match(text):
        return age_before(text)
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{text!r} is not a date (2026-01-31), a time (2026-01-31T12:00) or an age (30d)") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Progress:
    """``exported 12000 of 50000 (24%)`` on stderr: rewritten in place on a terminal, a line every few
    seconds otherwise (a log file or CI)."""

    def __init__(self, verb: str, total: int | None, quiet: bool = False) -> None:
        self.verb = verb
        self.total = total
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self._last = time.monotonic()

    def update(self, done: int, final: bool = False) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if not final and now - self._last < (0.2 if self.tty else 5.0):
            return
        self._last = now
        of = (
            f" of {self.total}" + (f" ({done * 100 // self.total}%)" if self.total else "")
            if self.total is not None
            else ""
        )
        line = f"{self.verb} {done}{of}"
        if self.tty:
            sys.stderr.write("\r" + line + ("\n" if final else ""))
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()
