"""Consent rates from the log: decisions per day, and the share of accept / reject / custom choices, overall and
by locale and region (withdrawals are counted, but are not a choice between those three)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

#: How each action counts: "custom" is a choice of some categories (settings page, an embed's "Always allow").
KINDS = {"accept": "accept", "reject": "reject", "save": "custom", "allow": "custom", "withdraw": "withdraw"}


@dataclass
class Tally:
    accept: int = 0
    reject: int = 0
    custom: int = 0
    withdraw: int = 0

    def add(self, action: str, count: int) -> None:
        kind = KINDS.get(action)
        if kind is not None:
            setattr(self, kind, getattr(self, kind) + count)

    @property
    def decisions(self) -> int:
        return self.accept + self.reject + self.custom + self.withdraw

    @property
    def choices(self) -> int:
        """Decisions that chose between accept, reject and custom."""
        return self.accept + self.reject + self.custom

    def rate(self, kind: str) -> float | None:
        """The share of ``kind`` among choices (None when there were none)."""
        return getattr(self, kind) / self.choices if self.choices else None

    def to_json(self) -> dict[str, Any]:
        return {
            "decisions": self.decisions,
            "accept": self.accept,
            "reject": self.reject,
            "custom": self.custom,
            "withdraw": self.withdraw,
            "accept_rate": self.rate("accept"),
            "reject_rate": self.rate("reject"),
            "custom_rate": self.rate("custom"),
        }


@dataclass
class Stats:
    total: Tally = field(default_factory=Tally)
    days: dict[str, Tally] = field(default_factory=dict)
    locales: dict[str, Tally] = field(default_factory=dict)
    regions: dict[str, Tally] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: Iterable[tuple[str, str, str, str, int]]) -> Stats:
        """From ``(day, action, locale, region, count)`` rows (`SqlStore.daily`)."""
        stats = cls()
        for day, action, locale, region, count in rows:
            stats.total.add(action, count)
            stats.days.setdefault(day, Tally()).add(action, count)
            stats.locales.setdefault(locale or "?", Tally()).add(action, count)
            stats.regions.setdefault(region or "unknown", Tally()).add(action, count)
        return stats

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total.to_json(),
            "days": {k: v.to_json() for k, v in sorted(self.days.items())},
            "locales": {k: v.to_json() for k, v in by_size(self.locales)},
            "regions": {k: v.to_json() for k, v in by_size(self.regions)},
        }


def by_size(groups: dict[str, Tally]) -> list[tuple[str, Tally]]:
    return sorted(groups.items(), key=lambda kv: (-kv[1].decisions, kv[0]))


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def table(title: str, groups: Iterable[tuple[str, Tally]], first: str) -> list[str]:
    """A plain-text table: one row per group with its decisions and rates."""
    lines = [title, f"{first:<12} {'decisions':>10} {'accept':>8} {'reject':>8} {'custom':>8} {'withdraw':>9}"]
    for name, t in groups:
        lines.append(
            f"{name:<12} {t.decisions:>10} {percent(t.rate('accept')):>8} {percent(t.rate('reject')):>8} "
            f"{percent(t.rate('custom')):>8} {t.withdraw:>9}"
        )
    return lines


def text_report(stats: Stats) -> str:
    out = table("Decisions per day (UTC)", sorted(stats.days.items()), "day")
    out += ["", *table("By locale", by_size(stats.locales), "locale")]
    out += ["", *table("By region", by_size(stats.regions), "region")]
    out += ["", *table("Total", [("all", stats.total)], "")]
    return "\n".join(out) + "\n"
