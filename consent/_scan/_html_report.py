"""The self-contained HTML report: one file, styles inline, banner screenshots as data: URLs."""

from __future__ import annotations

import base64
from importlib.resources import files

import jinja2

from ._model import PHASE_TITLES, InventoryCookie, PageResult, Report
from ._summary import banner_cell, grouped, phase_cell, short
from ._toml import duration

_TEMPLATE = files("consent._scan").joinpath("report.html").read_text(encoding="utf-8")


def _check(ok: bool | None) -> str:
    return {True: "✔ pass", False: "✘ FAIL", None: "? unknown"}[ok]


def render(report: Report) -> str:
    from .. import __version__

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    template = env.from_string(_TEMPLATE)
    banners: list[tuple[PageResult, str]] = []
    for page in report.pages:
        if page.banner.screenshot:
            banners.append((page, base64.b64encode(page.banner.screenshot).decode("ascii")))
    by_category: dict[str, list[InventoryCookie]] = {}
    for cookie in report.cookies:
        by_category.setdefault(cookie.category, []).append(cookie)
    return template.render(
        report=report,
        site=report.start[0] if report.start else "",
        violations=grouped(report.violations),
        notices=grouped(report.notices),
        violation_count=len(report.violations),
        notice_count=len(report.notices),
        banners=banners,
        cookies_by_category=list(by_category.items()),
        titles=PHASE_TITLES,
        short=lambda url: short(url, report),
        banner_cell=banner_cell,
        phase_cell=phase_cell,
        lifetime=duration,
        check=_check,
        version=__version__,
    )
