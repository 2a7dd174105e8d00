"""Run-time cases: first-party code that asks a tracker at run time, which only the client guard can stop."""

from __future__ import annotations

from .case import GA, Case, app_js


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
            "iframe-srcdoc",
            "var f = document.createElement('iframe');"
            " f.srcdoc = '<img src=\"https://www.google-analytics.com/s.gif?c=' + C + '\">'; document.body.appendChild(f);",
            False,
            "an iframe's srcdoc set by code",
        ),
        (
            "inner-html-srcdoc",
            "document.getElementById('slot').innerHTML ="
            " '<iframe srcdoc=\"&lt;img src=&quot;https://bat.bing.com/d.gif?c=' + C + '&quot;&gt;\"></iframe>';",
            False,
            "innerHTML with an <iframe srcdoc> holding a tracker",
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


# Nor this: three scripts a page adds in order (async = false: they must run in that order), each with an onload
# handler of its own. Held, then released: the same elements, in the order they were held.
ORDER = Case(
    "order",
    app_js("x"),
    script="window.__order = []; ['static.hotjar.com/a.js', 'connect.facebook.net/b.js', 'snap.licdn.com/c.js']"
    ".forEach(function (path, i) { var s = document.createElement('script'); s.async = false;"
    " s.onload = function () { window.__order.push(i); }; s.src = 'https://' + path + '?c=order';"
    " document.head.appendChild(s); });",
    runtime=True,
)


def cases() -> list[Case]:
    return _runtime()
