"""What every case page is made of: `Case`, tracker URLs carrying the case's id, the page around a case."""

from __future__ import annotations

from dataclasses import dataclass

GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")
SECRET = "gate-suite-secret-0123456789abcdefghijkl"
# A tracker of the site's own, added through ConsentConfig.trackers: the guard's table includes it.
OWN_TRACKER = {"id": "our-stats", "name": "Our Stats", "category": "analytics", "hosts": ["stats.example.net"]}


@dataclass(frozen=True)
class Case:
    id: str
    body: str  # markup of <body>; {u} is the case's tracker URL query ("c=<id>")
    head: str = ""  # markup of <head>, after <meta charset>
    script: str = ""  # first-party JavaScript served as /case/<id>/app.js (the server never sees inside)
    runtime: bool = False  # made by code at run time: needs JavaScript (not run with JavaScript off)
    reload: bool = False  # after the click on Accept all, only the next page brings it back
    shared: bool = False  # a page every visitor shares (Cache-Control: public)
    js: bool = True  # run with JavaScript on (a <noscript> pixel only loads with it off)
    leaves: bool = False  # once allowed, the page navigates to the tracker (a refresh)
    what: str = ""  # the way, in words, for the report


def T(host: str, path: str = "/px.gif") -> str:
    """A tracker URL of the case (``{u}`` is filled with its query)."""
    return f"https://{host}{path}?{{u}}"


GA = T("www.google-analytics.com", "/g/collect")
FB_TR = T("www.facebook.com", "/tr")
YT = T("www.youtube.com", "/embed/x")
DC = T("stats.g.doubleclick.net", "/pixel")
BIG = "x" * (70 << 10)
FILLER = "var filler = [" + ",".join([f"'{i:04d} lorem ipsum dolor sit amet'" for i in range(560)]) + "];\n"
META_PIXEL = (
    "!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?n.callMethod.apply(n,arguments):"
    "n.queue.push(arguments)};if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;n.version='2.0';n.queue=[];"
    "t=b.createElement(e);t.async=!0;t.src=v;s=b.getElementsByTagName(e)[0];s.parentNode.insertBefore(t,s)}"
    "(window,document,'script','https://connect.facebook.net/en_US/fbevents.js?{u}');fbq('init','1234567890');"
)


def img(url: str) -> str:
    return f'<img alt="" width="1" height="1" src="{url}">'


def app_js(code: str) -> str:
    return "<script src='/case/{id}/app.js'></script>" if code else ""


def page(case: Case, nojs: bool) -> str:
    fill = {"u": f"c={case.id}", "id": case.id}
    sentinel = (
        f'<meta http-equiv="refresh" content="0;url=/done?c={case.id}">'
        if nojs
        else '<script src="/sentinel.js"></script>'
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{case.id}</title>'
        f"{case.head.replace('{u}', fill['u'])}</head>"
        f"<body><h1>{case.id}</h1>{_fill(case.body, fill)}{sentinel}</body></html>"
    )


def _fill(text: str, fill: dict[str, str]) -> str:
    return text.replace("{u}", fill["u"]).replace("{id}", fill["id"])


SENTINEL_JS = (
    "addEventListener('load', function () { setTimeout(function () {"
    " fetch('/sentinel?c=' + encodeURIComponent(document.title)); }, 0); });"
)
# The tag manager of the analytics-only test: allowed as analytics, it injects a marketing tag and an
# analytics hit, as a Google Tag Manager container with a Meta pixel tag would.
TAG_MANAGER = (
    "var s = document.createElement('script'); s.src = 'https://connect.facebook.net/en_US/fbevents.js?c=tm';"
    " document.head.appendChild(s); new Image().src = 'https://www.facebook.com/tr?c=tm';"
    " new Image().src = 'https://www.google-analytics.com/g/collect?c=tm'; window.__tagManager = true;"
)
