"""Over the whole scan: every cookie and third-party host once, with the phases and pages it was seen in, and
for each declared cookie whether it showed up after Accept and went after Reject."""

from __future__ import annotations

import re
import time
from fnmatch import translate

from ._classify import Classifier
from ._model import PHASES, InventoryCookie, InventoryHost, PageResult

_ORDER = {"necessary": 0, "preferences": 1, "analytics": 2, "marketing": 3, "": 9}


def cookies(pages: list[PageResult]) -> list[InventoryCookie]:
    found: dict[tuple[str, str], InventoryCookie] = {}
    on_pages: dict[tuple[str, str], set[str]] = {}
    for page in pages:
        for name in PHASES:
            phase = page.phases.get(name)
            for cookie in phase.cookies if phase else ():
                key = (cookie.name, cookie.domain.lstrip("."))
                item = found.get(key)
                if item is None:
                    expires_in = None if cookie.expires is None else max(0.0, cookie.expires - time.time())
                    item = found[key] = InventoryCookie(
                        name=cookie.name,
                        domain=cookie.domain,
                        first_party=cookie.first_party,
                        category=cookie.category,
                        provider=cookie.provider,
                        declared=cookie.declared,
                        phases=[],
                        pages=0,
                        set_by=cookie.set_by,
                        source=cookie.source,
                        path=cookie.path,
                        expires_in=expires_in,
                    )
                elif item.set_by == "unknown" and cookie.set_by != "unknown":
                    item.set_by, item.source = cookie.set_by, cookie.source
                if name not in item.phases:
                    item.phases.append(name)
                on_pages.setdefault(key, set()).add(page.url)
    for key, item in found.items():
        item.pages = len(on_pages[key])
    return sorted(found.values(), key=lambda c: (_ORDER.get(c.category, 5), c.category, not c.first_party, c.name))


def hosts(pages: list[PageResult]) -> list[InventoryHost]:
    found: dict[str, InventoryHost] = {}
    for page in pages:
        for name in PHASES:
            phase = page.phases.get(name)
            for request in phase.requests if phase else ():
                item = found.get(request.host)
                if item is None:
                    item = found[request.host] = InventoryHost(request.host, request.provider, request.category, [], 0)
                item.requests += 1
                if name not in item.phases:
                    item.phases.append(name)
    return sorted(found.values(), key=lambda h: (_ORDER.get(h.category, 5), h.provider == "", h.provider, h.host))


def declared(pages: list[PageResult], classifier: Classifier) -> dict[str, dict[str, bool | None]]:
    """For each ``[[cookies]]`` name: seen after Accept on some page; cleared after Reject wherever it had
    been left by Accept (None when it never was, so there was nothing to clear)."""
    config = classifier.config
    out: dict[str, dict[str, bool | None]] = {}
    for declaration in config.cookies if config else ():
        pattern = re.compile(translate(declaration.name))
        accepted = any(pattern.match(c.name) for p in pages if "accept" in p.phases for c in p.phases["accept"].cookies)
        cleared: bool | None = None
        for page in pages:
            reject = page.phases.get("reject")
            if reject is None:
                continue
            if any(pattern.match(n) for n in reject.kept):
                cleared = False
                break
            if any(pattern.match(n) for n in reject.cleared):
                cleared = True
        out[declaration.name] = {"seen_after_accept": accepted, "cleared_after_reject": cleared}
    return out
