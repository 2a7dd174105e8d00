"""Timing: every variant of a comparison is calibrated, then sampled interleaved (A B C, B C A, …) so that a
change of machine load hits all of them alike; each result is the median of its samples."""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Timed = Callable[[int], int]  # run n iterations, return the elapsed nanoseconds


@dataclass
class Series:
    n: int  # iterations per sample
    per_iter: list[float] = field(default_factory=list)  # ns per iteration, one per sample

    @property
    def median(self) -> float:
        return statistics.median(self.per_iter)

    @property
    def spread(self) -> float:
        """Median absolute deviation relative to the median: how noisy the samples were."""
        m = self.median
        return statistics.median(abs(x - m) for x in self.per_iter) / m if m else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"median_ns": round(self.median, 1), "mad_rel": round(self.spread, 4), "n": self.n}


def interleaved(variants: dict[str, Timed], *, samples: int, min_sample_ns: int) -> dict[str, Series]:
    series: dict[str, Series] = {}
    for name, fn in variants.items():
        n = 1
        while True:
            elapsed = fn(n)
            if elapsed >= min_sample_ns / 8 or n >= 1 << 24:
                n = max(1, math.ceil(n * min_sample_ns / max(elapsed, 1)))
                break
            n *= 8
        fn(n)  # one untimed sample at full length: caches, the allocator and branch predictors settle
        series[name] = Series(n)
    names = list(variants)
    for round_ in range(samples):
        gc.collect()
        k = round_ % len(names)
        for name in names[k:] + names[:k]:
            s = series[name]
            s.per_iter.append(variants[name](s.n) / s.n)
    return series


def loop(fn: Callable[[], object]) -> Timed:
    def run(n: int) -> int:
        t = time.perf_counter_ns()
        for _ in range(n):
            fn()
        return time.perf_counter_ns() - t

    return run
