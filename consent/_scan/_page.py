"""One page, three phases, each visitor in a fresh browser context:

1. ``before``: load the page and record everything before any choice; check the banner (language,
   prominence, keyboard) and take its picture;
2. ``accept``: click "Accept all" as a visitor would, let the page settle, load it once more (what the server
   sends a consenting visitor), record again;
3. ``reject``: a new visitor whose jar holds the optional cookies the accept phase left behind (as after an
   earlier "Accept all") clicks "Reject all"; record, and tell which of those cookies were cleared.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from . import _banner
from ._banner import Words
from ._browser import Session, Visit
from ._model import PageResult, Phase

LINKS = """() => ({
  title: document.title,
  lang: document.documentElement.getAttribute('lang') || '',
  links: [...document.querySelectorAll('a[href]')].slice(0, 500).map(a => a.href.split('#')[0]),
})"""


def scan_page(
    session: Session, url: str, words: Words, depth: int, wants_screenshot: Callable[[str], bool]
) -> PageResult:
    result = PageResult(url, depth=depth)
    started = time.monotonic()
    try:
        planted = _before_and_accept(session, url, words, result, wants_screenshot)
        if result.banner.found and result.banner.reject is not None:
            result.phases["reject"] = _reject(session, url, words, planted)
    except Exception as exc:  # one broken page must not end the scan
        result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    result.seconds = time.monotonic() - started
    return result


def _before_and_accept(
    session: Session, url: str, words: Words, result: PageResult, wants_screenshot: Callable[[str], bool]
) -> list[dict[str, Any]]:
    visit = session.visit()
    try:
        response = visit.goto(url)
        result.status = response.status if response is not None else None
        content_type = (response.headers.get("content-type", "") if response is not None else "").lower()
        if content_type and "html" not in content_type:
            result.error = f"not an HTML page ({content_type.split(';')[0]})"
            return []
        info = visit.page.evaluate(LINKS)
        result.title, result.lang, result.links = info["title"], info["lang"], _unique(info["links"])
        result.phases["before"] = visit.observe("before")
        banner = result.banner = _banner.find(visit.page, words)
        if not banner.found:
            return []
        _banner.keyboard(visit.page, banner)
        if wants_screenshot(banner.banner_lang or banner.page_lang):
            banner.screenshot = _banner.screenshot(visit.page)
        mark = visit.mark()
        phase = _choose(visit, "accept", mark, words)
        result.phases["accept"] = phase
        return [dict(c) for c in visit.context.cookies() if _optional(session, dict(c))]
    finally:
        visit.close()


def _choose(visit: Visit, action: str, mark: int, words: Words) -> Phase:
    """Click the marked button, let the page settle, load it again, and record."""
    visit.page.locator(f"[data-consent-scan={action}]").first.click(timeout=10000)
    visit.settle()
    visit.reload()
    phase = visit.observe(action, mark)
    phase.banner_after_reload = _banner.find(visit.page, words).found
    return phase


def _reject(session: Session, url: str, words: Words, planted: list[dict[str, Any]]) -> Phase:
    visit = session.visit(planted)
    try:
        visit.goto(url)
        banner = _banner.find(visit.page, words)
        if banner.reject is None:
            return Phase("reject", error="the banner did not show its Reject button to a second visitor")
        phase = _choose(visit, "reject", visit.mark(), words)
        phase.planted = [c["name"] for c in planted]
        left = {(c.name, c.domain.lstrip("."), c.path) for c in phase.cookies}
        for cookie in planted:
            key = (cookie["name"], str(cookie["domain"]).lstrip("."), cookie.get("path", "/"))
            first_party = session.site.owns(str(cookie["domain"]))
            if key not in left:
                phase.cleared.append(cookie["name"])
            elif first_party:
                phase.kept.append(cookie["name"])
        return phase
    finally:
        visit.close()


def _optional(session: Session, cookie: dict[str, Any]) -> bool:
    verdict = session.classifier.cookie(cookie["name"], cookie["domain"])
    return session.classifier.optional(verdict.category)


def _unique(links: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for link in links:
        seen.setdefault(link, None)
    return list(seen)
