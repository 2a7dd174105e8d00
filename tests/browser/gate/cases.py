"""The gate suite's cases, all of them: markup (the server gates it) and run-time (the client guard does)."""

from __future__ import annotations

from . import markup, runtime
from .case import Case
from .runtime import MIXED, ORDER

CASES: list[Case] = markup.cases() + runtime.cases()
BY_ID = {case.id: case for case in [*CASES, MIXED, ORDER]}  # the last two: pages of tests of their own
assert len(BY_ID) == len(CASES) + 2
