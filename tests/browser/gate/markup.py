"""Markup cases: what the server must gate (they run with JavaScript off too). Issue 9 item 1."""

from __future__ import annotations

from .case import BIG, DC, FB_TR, FILLER, GA, META_PIXEL, YT, Case, T, img


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


def cases() -> list[Case]:
    return _url_forms() + _elements() + _markers()
