"""``--offline``: every request to another host is answered on the machine by a stand-in.

A stand-in for a known tracker's script behaves like the real tag as far as a consent audit can tell: it
sets the cookies that tag sets (on the site's domain, from JavaScript, as gtag.js and fbevents.js do) and
sends a beacon to its collection host. Frames get a small page (YouTube's player sets its cookies), images a
1x1 GIF, everything else an empty answer. So a scan in CI needs no network and tells no real tracker about
the test run, yet sees the same cookies and requests a real visit would.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ._classify import Classifier

GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")
_TWO_YEARS = 2 * 365 * 86400
_DIGITS = re.compile(r"(\d{3,})")


def _google(url: str) -> tuple[list[str], str]:
    tag = parse_qs(urlsplit(url).query).get("id", [""])[0]
    if not tag.startswith("G-"):
        return [], ""  # a GTM container or an Ads tag: the tags it loads do the tracking
    return ["_ga=GA1.1.1000000001.1700000000", f"_ga_{tag[2:]}=GS1.1.1700000000.1.0.1700000000.0.0.0"], (
        f"https://www.google-analytics.com/g/collect?v=2&tid={tag}&en=page_view"
    )


def _meta(url: str) -> tuple[list[str], str]:
    return ["_fbp=fb.1.1700000000000.1000000001"], "https://www.facebook.com/tr?id=0&ev=PageView"


def _hotjar(url: str) -> tuple[list[str], str]:
    site = (_DIGITS.findall(urlsplit(url).path) or ["1000000"])[0]
    return [f"_hjSessionUser_{site}=eyJpZCI6InN0dWIifQ=="], f"https://metrics.hotjar.io/?site={site}"


# What the real tags do, by provider id; other known providers set the table's plain cookie names.
BEHAVIOUR = {"google-tag-manager": _google, "google-analytics": _google, "meta-pixel": _meta, "hotjar": _hotjar}
# Embedded players that set cookies on their own domain as soon as they load.
FRAME_COOKIES = {"youtube.com": ["YSC=stub", "VISITOR_INFO1_LIVE=stub"]}


def stand_in_script(classifier: Classifier, url: str) -> str:
    """The JavaScript that answers a script request to ``url``."""
    provider = classifier.provider_for_url(url)
    if provider is None:
        return "/* asgi-consent scan: offline stand-in for an unknown third-party script */\n"
    behaviour = BEHAVIOUR.get(provider.id)
    if behaviour is not None:
        cookies, beacon = behaviour(url)
    else:
        plain = [name for name in provider.cookies if not any(c in name for c in "*?[")][:2]
        cookies = [f"{name}=stub" for name in plain]
        host = provider.hosts[0] if provider.hosts else urlsplit(url).hostname
        beacon = f"https://{host}/collect?stub=1"
    lines = [f"/* asgi-consent scan: offline stand-in for {provider.name} */"]
    for cookie in cookies:
        lines.append(f"document.cookie = {json.dumps(cookie + f'; path=/; max-age={_TWO_YEARS}')};")
    if beacon:
        lines.append(f"navigator.sendBeacon({json.dumps(beacon)});")
    return "\n".join(lines) + "\n"


def _frame_cookies(host: str) -> list[str]:
    for domain, cookies in FRAME_COOKIES.items():
        if host == domain or host.endswith("." + domain):
            return [f"{c}; Path=/; Max-Age={_TWO_YEARS}; Secure; SameSite=None" for c in cookies]
    return []


def answer(classifier: Classifier, route: Any) -> list[str]:
    """Fulfil ``route`` with the stand-in for its request; the names of the cookies its ``Set-Cookie`` sets
    (Playwright applies those to the jar without showing them among the response's headers)."""
    request = route.request
    url = request.url
    kind = request.resource_type
    host = (urlsplit(url).hostname or "").lower()
    set_cookies: list[str] = []
    if kind == "script":
        route.fulfill(status=200, content_type="text/javascript", body=stand_in_script(classifier, url))
    elif kind == "image":
        route.fulfill(status=200, content_type="image/gif", body=GIF)
    elif kind in ("document", "sub_frame"):
        set_cookies = _frame_cookies(host)
        headers = {"content-type": "text/html"}
        if set_cookies:
            headers["set-cookie"] = "\n".join(set_cookies)  # Playwright's way to send several
        body = f"<!doctype html><title>{host}</title><p>offline stand-in for {host}</p>"
        route.fulfill(status=200, headers=headers, body=body)
    elif kind == "stylesheet":
        route.fulfill(status=200, content_type="text/css", body="")
    else:
        route.fulfill(status=204, headers={"access-control-allow-origin": "*"}, body="")
    return [c.split("=", 1)[0] for c in set_cookies]
