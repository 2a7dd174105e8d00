"""The terminal report (a table per page, the violations first) and the progress bar while crawling."""

from __future__ import annotations

import shutil
import sys
from typing import TextIO

from ._model import Report
from ._summary import banner_cell, grouped, phase_cell, short
from ._toml import duration

_MARK = {"violation": "VIOLATION", "notice": "notice"}
# Control characters (C0 but newline, DEL, C1) that a scanned site could slip into a storage key or a URL to
# drive the terminal: shown escaped instead.
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x0A), *range(0x0B, 0x20), *range(0x7F, 0xA0))}


def printable(text: str) -> str:
    return text.translate(_CONTROLS)


class Progress:
    """``[#####.....] 3/10 /path`` on a terminal (redrawn in place); one plain line per page otherwise."""

    def __init__(self, stream: TextIO | None = None, report_start: str = "") -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.start = report_start

    def __call__(self, done: int, total: int, url: str) -> None:
        total = max(total, 1)
        if not url:
            if self.tty:
                self.stream.write("\r\x1b[2K")
            self.stream.flush()
            return
        if self.tty:
            width = 24
            filled = width * done // total
            bar = "#" * filled + "." * (width - filled)
            columns = shutil.get_terminal_size((100, 20)).columns
            line = f"[{bar}] {done}/{total} {printable(url)}"[: columns - 1]
            self.stream.write(f"\r\x1b[2K{line}")
        else:
            self.stream.write(f"scanning {done + 1}/{total} {printable(url)}\n")
        self.stream.flush()


def _table(rows: list[list[str]], widths: list[int]) -> list[str]:
    out = []
    for row in rows:
        cells = [(c if len(c) <= w else c[: w - 1] + "…").ljust(w) for c, w in zip(row, widths, strict=True)]
        out.append("  ".join(cells).rstrip())
    return out


def render(report: Report, fail_on: str = "") -> str:
    """The whole report as text for a terminal about 130 columns wide: pages, violations, notices, the
    cookie and host inventories, the declared cookies, the [[cookies]] blocks, the verdict."""
    site = report.start[0] if report.start else ""
    lines = [
        f"consent scan: {len(report.pages)} page(s) of {site} in {report.seconds:.1f} s"
        f" ({report.browser}; tracker table {report.tracker_table})"
    ]
    if report.config:
        lines.append(f"compared with {report.config}")
    lines.append("")
    lines += _pages(report)
    for severity, title in (("violation", "VIOLATIONS"), ("notice", "NOTICES")):
        lines += _findings(report, severity, title)
    lines += _inventory(report)
    if report.declared:
        lines += ["", "DECLARED COOKIES"]
        cleared = {True: "cleared after Reject", False: "NOT cleared after Reject", None: "-"}
        for name, seen in report.declared.items():
            accept = "seen after Accept" if seen["seen_after_accept"] else "not seen (maybe set only on interaction)"
            lines.append(f"  {name:<26} {accept}; {cleared[seen['cleared_after_reject']]}")
    if report.undeclared_toml:
        lines += ["", "UNDECLARED COOKIES: add to consent.toml", ""]
        lines += ["  " + line if line else "" for line in report.undeclared_toml.rstrip().splitlines()]
    lines += ["", _verdict(report, fail_on)]
    return "\n".join(printable(line) for line in lines) + "\n"


def _pages(report: Report) -> list[str]:
    rows = [["PAGE", "BANNER", "BEFORE ANY CHOICE", "AFTER ACCEPT ALL", "AFTER REJECT ALL"]]
    for page in report.pages:
        phases = [phase_cell(page.phases.get(name)) for name in ("before", "accept", "reject")]
        rows.append([short(page.url, report), banner_cell(page), *phases])
    return _table(rows, [24, 16, 22, 22, 34])


def _findings(report: Report, severity: str, title: str) -> list[str]:
    groups = grouped([f for f in report.findings if f.severity == severity])
    if not groups:
        return []
    total = sum(len(g.pages) for g in groups)
    pages = len({p for g in groups for p in g.pages})
    lines = ["", f"{title}: {total} on {pages} page(s), {len(groups)} distinct"]
    for group in groups:
        more = f" and {len(group.pages) - 1} more" if len(group.pages) > 1 else ""
        lines.append(f"  {_MARK[severity]}  {group.first.message}")
        lines.append(f"      on {short(group.pages[0], report)}{more}")
    return lines


def _inventory(report: Report) -> list[str]:
    lines = ["", "COOKIES BY CATEGORY"]
    rows = [["CATEGORY", "NAME", "DOMAIN", "PROVIDER", "SET BY", "SEEN", "LIFETIME"]]
    for c in report.cookies:
        name = c.name + ("" if c.declared else " *")
        seen = ",".join(c.phases)
        rows.append(
            [c.category or "unknown", name, c.domain, c.provider or "-", c.set_by, seen, duration(c.expires_in)]
        )
    lines += ["  " + line for line in _table(rows, [11, 26, 18, 22, 10, 20, 10])]
    if any(not c.declared for c in report.cookies):
        lines.append("  * not declared in the configuration")
    if report.hosts:
        lines += ["", "THIRD-PARTY HOSTS"]
        rows = [["HOST", "PROVIDER", "CATEGORY", "SEEN", "REQUESTS"]]
        for h in report.hosts:
            rows.append([h.host, h.provider or "unknown", h.category or "-", ",".join(h.phases), str(h.requests)])
        lines += ["  " + line for line in _table(rows, [30, 26, 11, 20, 8])]
    return lines


def _verdict(report: Report, fail_on: str) -> str:
    violations = len(report.violations)
    text = f"{violations} violation(s), {len(report.notices)} notice(s)"
    if fail_on and failed(report, fail_on):
        text += f": failing (--fail-on {fail_on})"
    return text


def failed(report: Report, fail_on: str) -> bool:
    """Should the command exit non-zero? ``violations``; ``undeclared`` adds undeclared cookies."""
    if fail_on in ("violations", "undeclared") and report.violations:
        return True
    return fail_on == "undeclared" and any(not c.declared for c in report.cookies)
