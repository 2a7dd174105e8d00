"""What both human-readable reports show: findings grouped across pages, and one line per page and phase."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ._model import Finding, PageResult, Phase, Report
from ._rules import group_key


@dataclass
class Group:
    """One finding as it appears on one or more pages."""

    first: Finding
    pages: list[str] = field(default_factory=list)


def grouped(findings: list[Finding]) -> list[Group]:
    groups: dict[tuple[str, ...], Group] = {}
    for finding in findings:
        group = groups.setdefault(group_key(finding), Group(finding))
        if finding.page not in group.pages:
            group.pages.append(finding.page)
    return list(groups.values())


def short(url: str, report: Report) -> str:
    """A URL of the site as its path (and query); other URLs whole."""
    start = urlsplit(report.start[0]) if report.start else None
    parts = urlsplit(url)
    if start is not None and parts.netloc == start.netloc:
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return url


def banner_cell(page: PageResult) -> str:
    banner = page.banner
    if page.error:
        return "error"
    if not banner.found:
        return "none"
    problems = [
        name
        for name, ok in (
            ("language", banner.language_ok),
            ("prominence", banner.prominence_ok),
            ("keyboard", banner.keyboard_ok),
        )
        if ok is False
    ]
    lang = banner.wording_lang or banner.banner_lang or banner.page_lang or "?"
    return f"{'ok' if not problems else ', '.join(problems)} ({lang})"


def phase_cell(phase: Phase | None) -> str:
    """Tracker requests and optional cookies, counted (``3 trackers, 2 cookies``); for the reject phase, also
    how many of the cookies Accept had left were cleared."""
    if phase is None:
        return "-"
    if phase.error:
        return "error"
    trackers = sum(1 for r in phase.requests if r.provider)
    optional = sum(1 for c in phase.cookies if c.category and c.category != "necessary")
    parts = [f"{trackers} tracker{'s' if trackers != 1 else ''}", f"{optional} cookie{'s' if optional != 1 else ''}"]
    if phase.name == "reject" and phase.planted:
        parts.append(f"{len(phase.cleared)}/{len(phase.planted)} cleared")
    return ", ".join(parts)
