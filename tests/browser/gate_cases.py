"""The browser gate suite's pages: one page for each way of putting a tracker into HTML, behind ConsentMiddleware.

Every case's tracker URL carries ``c=<case id>`` in its query, so a request after Accept all can be told
apart from another case's. Markup cases are what the server must gate (they also run with JavaScript off);
run-time cases (``runtime=True``) are first-party code that asks a tracker at run time, which only the
client guard can stop. Each page ends with a sentinel: with JavaScript, ``/sentinel.js`` fetches
``/sentinel?c=<id>`` once the page has loaded and its handlers have run; without, a ``<meta>`` refresh goes
to ``/done?c=<id>`` (a browser follows the first refresh it meets: a tracker's that was not gated would win).

Run as a script, this module serves the pages (``--port``) with whatever ``consent`` package the running
Python imports: the gate report starts it with the venv of the code before issues 8 and 9 as well.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
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


def _url_forms() -> list[Case]:
    """Issue 9 item 1: URLs written in forms a browser accepts (each an <img> pixel)."""
    forms = [
        ("charref-colon-hex", "https&#x3a;//www.google-analytics.com/g/collect?{u}", "https&#x3a;//"),
        ("charref-colon-named", "https&colon;//www.google-analytics.com/g/collect?{u}", "&colon;"),
        ("charref-slashes", "https:&#47;&#47;www.google-analytics.com/g/collect?{u}", "&#47;&#47;"),
        ("charref-scheme", "&#x68;ttps://www.google-analytics.com/g/collect?{u}", "&#x68;ttps"),
        ("charref-host-dot", "https://www.facebook&#46;com/tr?{u}", "www.facebook&#46;com"),
        ("backslash-scheme", "https:\\\\www.google-analytics.com\\g\\collect?{u}", "https:\\\\host"),
        ("backslash-relative", "/\\stats.g.doubleclick.net/pixel?{u}", "/\\host"),
        ("backslash-double", "\\\\stats.g.doubleclick.net/pixel?{u}", "\\\\host"),
        ("tab-in-scheme", "ht\ttps://www.google-analytics.com/g/collect?{u}", "a tab in the scheme"),
        ("newline-in-host", "https://www.google-an\nalytics.com/g/collect?{u}", "a newline in the host"),
        ("percent-2e-host", "https://www.google-analytics%2Ecom/g/collect?{u}", "%2E in the host"),
        ("ideographic-dot", "https://www\u3002google-analytics\u3002com/g/collect?{u}", "U+3002 in the host"),
        (
            "fullwidth-host",
            "https://\uff57\uff57\uff57\uff0egoogle-analytics\uff0ecom/g/collect?{u}",
            "fullwidth characters",
        ),
        ("one-slash", "https:/www.google-analytics.com/g/collect?{u}", "https:/host"),
        ("no-slash", "https:www.google-analytics.com/g/collect?{u}", "https:host"),
        ("scheme-relative", "//www.google-analytics.com/g/collect?{u}", "//host"),
        ("upper-case-spaces", "  HTTPS://WWW.GOOGLE-ANALYTICS.COM/g/collect?{u}  ", "upper case, spaces around"),
        ("trailing-dot-port", "https://www.google-analytics.com.:443/g/collect?{u}", "a trailing dot and a port"),
    ]
    cases = [Case(f"url-{name}", img(url), what=f"<img src> with {what}") for name, url, what in forms]
    cases.append(
        Case(
            "url-base-href",
            img("g/collect?{u}"),
            head='<base href="https://www.google-analytics.com/">',
            reload=True,
            what="a relative URL under <base href> on a tracker",
        )
    )
    return cases


def _elements() -> list[Case]:
    """Issue 9 item 1: every element and attribute that makes a browser fetch."""
    return [
        Case("el-img-src", img(GA), what="<img src>"),
        Case("el-img-srcset", f'<img alt="" srcset="{T("ct.pinterest.com")} 1x">', what="srcset-only <img>"),
        Case(
            "el-picture-source",
            f'<picture><source srcset="{T("px.ads.linkedin.com")} 1x"><img alt="" src="/pixel.gif"></picture>',
            what="<picture><source srcset>",
        ),
        Case(
            "el-preload-imagesrcset",
            f'<link rel="preload" as="image" imagesrcset="{T("bat.bing.com")} 1x">',
            reload=True,  # a preload acts when inserted
            what="<link rel=preload imagesrcset>",
        ),
        Case(
            "el-link-stylesheet",
            "",
            head=f'<link rel="stylesheet" href="{T("s.pinimg.com", "/x.css")}">',
            what="<link rel=stylesheet>",
        ),
        Case(
            "el-link-preload-script",
            "",
            head=f'<link rel="preload" as="script" href="{T("snap.licdn.com", "/x.js")}">',
            what="<link rel=preload as=script>",
        ),
        Case(
            "el-object-data",
            f'<object data="{T("www.youtube.com", "/embed/o")}" width="10" height="10"></object>',
            what="<object data>",
        ),
        Case(
            "el-embed-src",
            f'<embed src="{T("player.vimeo.com", "/video/1")}" width="10" height="10">',
            what="<embed src>",
        ),
        Case("el-video-src", f'<video src="{T("www.youtube.com", "/v.mp4")}"></video>', what="<video src>"),
        Case(
            "el-video-poster", f'<video poster="{T("i.ytimg.youtube.com", "/p.jpg")}"></video>', what="<video poster>"
        ),
        Case(
            "el-video-source",
            f'<video><source src="{T("player.vimeo.com", "/v.mp4")}"></video>',
            reload=True,
            what="<video><source src>",
        ),
        Case("el-audio-src", f'<audio src="{T("w.soundcloud.com", "/a.mp3")}"></audio>', what="<audio src>"),
        Case(
            "el-input-image",
            f'<input type="image" alt="go" src="{T("analytics.tiktok.com")}">',
            what="<input type=image>",
        ),
        Case(
            "el-background-attr",
            f'<table background="{T("www.clarity.ms", "/bg.gif")}"><tr><td>x</td></tr></table>',
            what="a background= attribute",
        ),
        Case(
            "el-style-attr-url",
            f'<div style="background:url({T("cdn.segment.com", "/bg.gif")})">x</div>',
            what="url() in a style attribute",
        ),
        Case(
            "el-style-import",
            "",
            head=f'<style>@import "{T("static.hotjar.com", "/i.css")}";</style>',
            what="@import in a <style> block",
        ),
        Case(
            "el-style-block-url",
            '<div class="bg">x</div>',
            head=f'<style>.bg {{ background: url("{T("mc.yandex.ru", "/bg.gif")}") }}</style>',
            what="url() in a <style> block",
        ),
        Case(
            "el-svg-image-href",
            f'<svg width="10" height="10"><image href="{T("www.google-analytics.com", "/svg.gif")}" width="10" height="10"/></svg>',
            what="SVG <image href>",
        ),
        Case(
            "el-svg-image-xlink",
            f'<svg width="10" height="10"><image xlink:href="{T("stats.g.doubleclick.net", "/svg.gif")}" width="10" height="10"/></svg>',
            what="SVG <image xlink:href>",
        ),
        Case(
            "el-svg-script-href",
            f'<svg width="10" height="10"><script href="{T("connect.facebook.net", "/svg.js")}"></script></svg>',
            reload=True,
            what="SVG <script href>",
        ),
        Case(
            "el-iframe-srcdoc",
            f'<iframe title="inner" srcdoc="&lt;img src=\'{T("www.google-analytics.com", "/srcdoc.gif")}\'&gt;"></iframe>',
            what="a tracker inside <iframe srcdoc>",
        ),
        Case(
            "el-meta-refresh",
            "",
            head=f'<meta http-equiv="refresh" content="0;url={T("www.facebook.com", "/tr")}">',
            reload=True,
            leaves=True,
            what="<meta http-equiv=refresh> to a tracker",
        ),
        Case(
            "el-iframe-src",
            f'<iframe title="video" src="{YT}" width="10" height="10"></iframe>',
            what="<iframe src> (an embed)",
        ),
        Case(
            "el-script-src",
            f'<script async src="{T("www.googletagmanager.com", "/gtag/js")}"></script>',
            what="<script src>",
        ),
        Case("el-inline-snippet", f"<script>{META_PIXEL}</script>", what="an inline vendor snippet (Meta pixel)"),
        Case("el-noscript-pixel", f"<noscript>{img(FB_TR)}</noscript>", js=False, what="a <noscript> pixel"),
    ]


def _markers() -> list[Case]:
    """Markers that try to unblock a known tracker, and what the server cannot read whole."""
    script = T("connect.facebook.net", "/en_US/fbevents.js")
    return [
        Case("mark-empty", f'<script data-consent="" src="{script}"></script>', what='data-consent="" on a tracker'),
        Case(
            "mark-necessary",
            f'<script data-consent="necessary" src="{script}"></script>',
            what='data-consent="necessary" on a tracker',
        ),
        Case(
            "mark-necessary-text-plain",
            f'<script type="text/plain" data-consent="necessary" src="{script}"></script>',
            what='a marked script declared "necessary"',
        ),
        Case(
            "mark-lookalike",
            f'<script data-consent-x="1">{META_PIXEL}</script>',
            what="data-consent-x on an inline snippet",
        ),
        Case(
            "mark-lookalike-img",
            f'<img alt="" data-consentfoo="necessary" src="{FB_TR}">',
            what="data-consentfoo on a pixel",
        ),
        Case(
            "mark-auto-forged",
            f'<img alt="" data-consent-auto="none" src="{DC}">',
            what="an author's own data-consent-auto on a pixel",
        ),
        Case(
            "big-inline-script",
            f"<script>{FILLER}{META_PIXEL}</script>",
            what="a vendor snippet after 16 KiB of an inline script",
        ),
        Case("big-tag-img", f'<img alt="{BIG}" src="{GA}">', reload=True, what="an <img> tag over 64 KiB"),
        Case(
            "big-tag-script",
            f'<script data-x="{BIG}" src="{T("static.hotjar.com", "/c/hotjar-1.js")}"></script>',
            reload=True,
            what="a <script> tag over 64 KiB",
        ),
    ]


def _runtime() -> list[Case]:
    """First-party code that asks a tracker at run time (served from the site: the server cannot see inside)."""
    ga = "https://www.google-analytics.com/g/collect?c=' + C + '"
    rt = [
        ("image", f"new Image().src = '{ga}';", False, "new Image().src"),
        (
            "img-setattribute",
            f"document.body.appendChild(document.createElement('img')).setAttribute('src', '{ga}');",
            False,
            "img.setAttribute('src')",
        ),
        (
            "img-srcset",
            "var i = document.createElement('img'); i.srcset = 'https://ct.pinterest.com/p.gif?c=' + C + ' 1x'; document.body.appendChild(i);",
            False,
            "img.srcset =",
        ),
        ("beacon", f"navigator.sendBeacon('{ga}', 'x');", True, "navigator.sendBeacon"),
        ("fetch", f"fetch('{ga}', {{mode: 'no-cors'}}).catch(function () {{}});", True, "fetch()"),
        (
            "fetch-request",
            f"fetch(new Request('{ga}', {{mode: 'no-cors'}})).catch(function () {{}});",
            True,
            "fetch(new Request())",
        ),
        ("xhr", f"var x = new XMLHttpRequest(); x.open('GET', '{ga}'); x.send();", True, "XMLHttpRequest"),
        (
            "script-src",
            "var s = document.createElement('script'); s.async = true; s.src = 'https://static.hotjar.com/c/hotjar-1.js?c=' + C; document.head.appendChild(s);",
            False,
            "createElement('script'), .src",
        ),
        (
            "script-setattribute",
            "var s = document.createElement('script'); s.setAttribute('src', 'https://connect.facebook.net/en_US/fbevents.js?c=' + C); document.head.appendChild(s);",
            False,
            "createElement('script'), setAttribute",
        ),
        (
            "script-src-after-insert",
            "var s = document.createElement('script'); document.head.appendChild(s); s.src = 'https://snap.licdn.com/li.js?c=' + C;",
            False,
            "a script's src set once inserted",
        ),
        (
            "concatenation",
            "var h = 'www.google-' + 'analytics' + '.com'; new Image().src = 'https://' + h + '/g/collect?c=' + C;",
            False,
            "a URL built by concatenation",
        ),
        (
            "iframe-src",
            "var f = document.createElement('iframe'); f.src = 'https://www.youtube.com/embed/r?c=' + C; document.body.appendChild(f);",
            False,
            "createElement('iframe'), .src",
        ),
        (
            "iframe-src-after-insert",
            "var f = document.body.appendChild(document.createElement('iframe')); f.setAttribute('src', 'https://player.vimeo.com/video/2?c=' + C);",
            False,
            "an iframe's src set once inserted",
        ),
        (
            "link-stylesheet",
            "var l = document.createElement('link'); l.rel = 'stylesheet'; l.href = 'https://s.pinimg.com/s.css?c=' + C; document.head.appendChild(l);",
            False,
            "a stylesheet <link> added by code",
        ),
        (
            "style-import",
            "var s = document.createElement('style'); s.textContent = '@import \"https://static.hotjar.com/s.css?c=' + C + '\";'; document.head.appendChild(s);",
            False,
            "a <style> with @import added by code",
        ),
        (
            "inner-html-img",
            "document.getElementById('slot').innerHTML = '<img alt=\"\" src=\"https://bat.bing.com/p.gif?c=' + C + '\">';",
            False,
            "innerHTML with an <img>",
        ),
        (
            "contextual-fragment",
            "document.body.appendChild(document.createRange().createContextualFragment("
            "'<img alt=\"\" src=\"https://bat.bing.com/f.gif?c=' + C + '\">'));",
            False,
            "Range.createContextualFragment",
        ),
        (
            "odd-host",
            "var l = document.createElement('link'); l.href = 'http://constructor/x.css'; l.href = 'https://toString/y.css';"
            " new Image().src = 'https://www.google-analytics.com/g?c=' + C;",
            False,
            "hosts named like Object's properties (never inserted)",
        ),
        (
            "insert-adjacent-iframe",
            "document.body.insertAdjacentHTML('beforeend', '<iframe src=\"https://www.youtube.com/embed/i?c=' + C + '\"></iframe>');",
            False,
            "insertAdjacentHTML with an <iframe>",
        ),
        (
            "document-write-script",
            "document.write('<script src=\"https://www.googletagmanager.com/gtm.js?c=' + C + '\"></scr' + 'ipt>');",
            False,
            "document.write of a <script>",
        ),
        (
            "document-writeln-img",
            "document.writeln('<img alt=\"\" src=\"https://www.facebook.com/tr?c=' + C + '\">');",
            False,
            "document.writeln of an <img>",
        ),
        (
            "backslash-url",
            "new Image().src = 'https:\\\\\\\\www.google-analytics.com\\\\g?c=' + C;",
            False,
            "a backslash URL set by code",
        ),
        (
            "ideographic-dot",
            "new Image().src = 'https://www\\u3002google-analytics\\u3002com/g?c=' + C;",
            False,
            "U+3002 in a host set by code",
        ),
        (
            "own-tracker",
            "new Image().src = 'https://stats.example.net/p.gif?c=' + C;",
            False,
            "the site's own tracker entry",
        ),
        (
            "same-origin-frame",
            "var f = document.body.appendChild(document.createElement('iframe')); new f.contentWindow.Image().src = 'https://stats.g.doubleclick.net/f?c=' + C;",
            False,
            "a same-origin frame's Image",
        ),
        (
            "timer",
            "setTimeout(function () { new Image().src = 'https://www.google-analytics.com/g/collect?c=' + C; }, 0);",
            False,
            "from a timer",
        ),
    ]
    cases = [
        Case(f"rt-{name}", '<div id="slot"></div>' + app_js(code), script=code, runtime=True, reload=reload, what=what)
        for name, code, reload, what in rt
    ]
    cases.append(
        Case(
            "rt-onload-handler",
            f'<img alt="" src="/pixel.gif" onload="new Image().src=\'{GA.replace("{u}", "c=rt-onload-handler")}\'">',
            runtime=True,
            what="an onload handler attribute",
        )
    )
    shared = [
        (
            "shared-script",
            "var s = document.createElement('script'); s.src = 'https://connect.facebook.net/en_US/fbevents.js?c=' + C; document.head.appendChild(s);",
            False,
        ),
        ("shared-fetch", f"fetch('{ga}', {{mode: 'no-cors'}}).catch(function () {{}});", True),
    ]
    cases += [
        Case(
            f"rt-{name}",
            app_js(code),
            script=code,
            runtime=True,
            reload=reload,
            shared=True,
            what=f"{name} on a shared page",
        )
        for name, code, reload in shared
    ]
    return cases


# Not a case of the suite: the shared page of the analytics-only test asks an analytics and a marketing host.
MIXED = Case(
    "mixed",
    app_js("x"),
    script="new Image().src = 'https://www.google-analytics.com/g/collect?c=mixed';"
    " new Image().src = 'https://www.facebook.com/tr?c=mixed';",
    runtime=True,
    shared=True,
)


CASES: list[Case] = _url_forms() + _elements() + _markers() + _runtime()
BY_ID = {case.id: case for case in [*CASES, MIXED]}
assert len(BY_ID) == len(CASES) + 1


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


def make_app(guard: bool = True):
    """The case pages behind ConsentMiddleware (of whichever ``consent`` this Python imports)."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, PlainTextResponse, Response
    from starlette.routing import Route

    from consent import ConsentConfig, ConsentMiddleware

    options = {"secret_key": SECRET, "policy_version": "gate", "trackers": [OWN_TRACKER]}
    if "client_guard" in {f.name for f in dataclasses.fields(ConsentConfig)}:
        options["client_guard"] = guard
    config = ConsentConfig(**options)

    async def case_page(request: Request) -> Response:
        case = BY_ID.get(request.path_params["id"])
        if case is None:
            return PlainTextResponse("no such case", 404)
        cache = "public, max-age=60" if case.shared else "no-cache"
        return HTMLResponse(page(case, "nojs" in request.query_params), headers={"cache-control": cache})

    async def case_js(request: Request) -> Response:
        case = BY_ID.get(request.path_params["id"])
        if case is None or not case.script:
            return PlainTextResponse("no such script", 404)
        code = f"(function () {{ var C = {case.id!r}; {case.script} }})();"
        return Response(code, media_type="text/javascript")

    async def tag_manager_page(request: Request) -> Response:
        html = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tm</title>'
            '<script async src="https://www.googletagmanager.com/gtm.js?id=GTM-GUARD"></script></head>'
            '<body><h1>A tag manager allowed as analytics</h1><script src="/sentinel.js"></script></body></html>'
        )
        return HTMLResponse(html)

    routes = [
        Route("/case/{id}", case_page),
        Route("/case/{id}/app.js", case_js),
        Route("/tag-manager", tag_manager_page),
        Route("/sentinel.js", lambda r: Response(SENTINEL_JS, media_type="text/javascript")),
        Route("/sentinel", lambda r: Response(status_code=204)),
        Route("/done", lambda r: HTMLResponse("<!doctype html><title>done</title><p>done")),
        Route("/pixel.gif", lambda r: Response(GIF, media_type="image/gif")),
    ]
    return Starlette(routes=routes, middleware=[Middleware(ConsentMiddleware, config=config)])


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description="Serve the gate suite's case pages on loopback.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--no-guard", action="store_true", help="client_guard=False")
    args = parser.parse_args()
    os.environ.setdefault("CONSENT_NO_MEMO", "0")
    uvicorn.run(make_app(guard=not args.no_guard), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
