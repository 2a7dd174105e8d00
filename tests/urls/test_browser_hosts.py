"""The reference fuzz against Chromium: for every generated spelling, the host Chromium requests is the host
`fetch_host` answers, or Chromium requests nothing and the difference is a documented over-approximation.

One page, served on loopback, holds an ``<img>`` per URL spelling and per IDNA code point, ``srcset`` images,
elements styled with CSS ``url()``/``image-set()``/``@import``, and one iframe per ``<base href>`` case, each
URL carrying a unique token. Every request the page makes is intercepted (Playwright routing): the documents
are served, every http(s) request is answered with a stub and recorded, any other scheme is refused (nothing
would fetch it from the network). The page's load event (which waits for images, stylesheets, iframes and
fonts in use) ends the wait; then each spelling is checked.

Documented over-approximations (Chromium requests nothing, `fetch_host` names a host):
- the URL carries credentials (``user@host``): Chromium blocks such subresource requests;
- the scheme is ws, wss or ftp: an image never loads from them;
- the URL standard itself refuses the host (ada-url says so) where our IDNA mapping is lenient: joiners
  (U+200C/U+200D), U+FFFD, dot leaders and other code points UTS #46 disallows.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from consent._browser.attrurls import srcset_urls
from consent._browser.charrefs import attr_text
from consent._browser.css import css_urls
from consent._browser.urls import BaseURL, fetch_host, fetch_hosts
from tests.browser.conftest import GIF
from tests.urls import spellings

ada_url = pytest.importorskip("ada_url")
pytestmark = pytest.mark.browser

DOCUMENT = BaseURL.document("http")
TOKEN = re.compile(r"zq(\d+)zq")

BASES = (
    "https://www.facebook.com/dir/",
    "//connect.facebook.net/",
    "https:\\\\www.googletagmanager.com/x/",
    "https:static.hotjar.com/",  # another scheme than the page's: a host
    "http:static.hotjar.com/",  # the page's scheme: a path
    "https&#x3a;//www.facebook&#46;com/",
    "ht&#9;tps://cdn.example.org/",
    "  https://www.facebook.com  ",
    "/local/",
    "mailto:x",
    "javascript:alert(1)",
    "data:text/html,x",
    "foo://www.facebook.com/",
    "http://[",
    "https://www.facebook.com:99999/",
)
RELATIVE = (
    "img{t}.gif",
    "/img{t}.gif",
    "?{t}",
    "./a/../{t}.gif",
    "//cdn.example.org/{t}",
    "\\\\img.example.net\\{t}",
    "https:{t}.gif",
    "http:{t}.gif",
    "https://static.hotjar.com/{t}",
    "&#x2f;/connect.facebook.net/{t}",
)
SRCSET = (
    "https://www.facebook.com/{t}.gif 1x, https://cdn.example.org/{t}b.gif 2x",
    "https://cdn.example.org/{t}.gif,https://www.facebook.com/x.gif",
    " ,https://www.facebook.com/{t}.gif",
    "https://www.facebook.com/{t}.gif 100w",
    "//connect.facebook.net/{t}.gif 1x,",
    "https&#x3a;//www.facebook&#46;com/{t}.gif 1x",
    "data:image/gif;base64,R0lGODlhAQABAAAAACw= 2x, https://www.facebook.com/{t}.gif 1x",
    "https://www.facebook.com/{t}.gif (a, b) 1x",
)
STYLE_ATTRIBUTES = (
    "background:url(https://www.facebook.com/{t}.gif)",
    "background-image:URL( 'https://connect.facebook.net/{t}.gif' )",
    "background:u\\72l(https://www.facebook.com/{t}.gif)",
    "background:\\75 rl(https://www.facebook.com/{t}.gif)",
    "background:url(https://www\\2e facebook\\2e com/{t}.gif)",
    "/* url(https://cdn.example.org/no) */background:url(//static.hotjar.com/{t}.gif)",
    "background-image:image-set(&quot;https://www.facebook.com/{t}.gif&quot; 1x)",
    "background-image:-webkit-image-set(url(https://www.facebook.com/{t}.gif) 1x)",
    "border:1px solid;border-image:url(https://www.facebook.com/{t}.gif) 1",
    "background:url(https&#x3a;//www.facebook.com/{t}.gif)",
    "background:url(https://www.facebook.com/{t} a.gif)",  # a bad url: nothing
    "content:'url(https://www.facebook.com/{t}.gif)'",  # a string: nothing
)
STYLE_BLOCKS = (
    '@import "https://www.facebook.com/{t}.css";',
    "@IMPORT url(//connect.facebook.net/{t}.css);",
    "@im\\70 ort 'https://www.facebook.com/{t}.css';",
    "#cNN{{background:url(https://static.hotjar.com/{t}.gif)}}",
    "@font-face{{font-family:fNN;src:url(https://www.facebook.com/{t}.woff2)}} #cNN{{font-family:fNN}}",
)


class _Pages(BaseHTTPRequestHandler):
    pages: dict[str, bytes] = {}

    def do_GET(self):
        body = self.pages.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args):
        pass


def _document(body: str, head: str = "") -> bytes:
    return f"<!doctype html><meta charset=utf-8>{head}<title>hosts</title><body>{body}".encode()


def _cases():
    """All cases as (kind, token, data), numbered by one counter so that every token is unique."""
    img = spellings.generate()
    idna = spellings.idna_spellings(len(img))
    n = len(img) + len(idna)
    cases = {"img": img, "idna": idna, "base": [], "srcset": [], "style": [], "block": []}
    for j in range(len(BASES)):
        for rel in RELATIVE:
            cases["base"].append((j, rel.format(t=f"zq{n}zq"), f"zq{n}zq"))
            n += 1
    for kind, forms in (("srcset", SRCSET), ("style", STYLE_ATTRIBUTES), ("block", STYLE_BLOCKS)):
        for form in forms:
            cases[kind].append((form.replace("NN", str(n)).format(t=f"zq{n}zq"), f"zq{n}zq", n))
            n += 1
    return cases


@pytest.fixture(scope="module")
def requested(browser):
    """Load the page once; returns (cases, {token: {host requested}}) where first-party requests are ''."""
    cases = _cases()
    body = "".join(f'<img src="{c.markup}" width=1 height=1>' for c in cases["img"] + cases["idna"])
    body += "".join(f'<img srcset="{value}" width=1 height=1>' for value, _, _ in cases["srcset"])
    body += "".join(f'<div style="{value}" class=box>x</div>' for value, _, _ in cases["style"])
    body += "".join(f"<style>{value}</style><div id=c{n} class=box>x</div>" for value, _, n in cases["block"])
    pages = {"/page": b""}
    for j, base in enumerate(BASES):
        imgs = "".join(f'<img src="{rel}" width=1 height=1>' for k, rel, _ in cases["base"] if k == j)
        pages[f"/base/{j}/doc.html"] = _document(imgs, f'<base href="{base}">')
        body += f'<iframe src="/base/{j}/doc.html" width=20 height=20></iframe>'
    pages["/page"] = _document(body, "<style>.box{width:20px;height:20px}</style>")
    handler = type("Pages", (_Pages,), {"pages": pages})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    seen: dict[str, set[str]] = defaultdict(set)

    def route(route):
        url = route.request.url
        if url.startswith(origin) and urlsplit(url).path in pages:
            route.continue_()
            return
        if not url.startswith(("http://", "https://")):
            route.abort()  # javascript:, foo:, about:… never reach the network
            return
        parts = urlsplit(url)
        host = parts.hostname or ""
        host = f"[{host}]" if ":" in host else host.rstrip(".")
        for token in TOKEN.findall(url):
            seen[f"zq{token}zq"].add("" if parts.netloc == origin[7:] else host)
        kind = route.request.resource_type
        if kind == "stylesheet":
            route.fulfill(status=200, content_type="text/css", body="")
        elif kind == "font":
            route.fulfill(status=404, body="")
        else:
            route.fulfill(status=200, content_type="image/gif", body=GIF)

    context = browser.new_context()
    context.route("**/*", route)
    page = context.new_page()
    try:
        page.goto(origin + "/page", wait_until="load", timeout=90_000)
        page.evaluate("() => document.fonts.ready.then(() => true)")
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    return cases, seen


def _reference(value: str, base: str = "http://127.0.0.1:1/d/page.html"):
    try:
        return ada_url.URL(value, base=base)
    except ValueError:
        return None


def _over_approximation(value: str, base_href: str = "") -> str | None:
    """Why Chromium may request nothing where `fetch_host` names a host, or None when it should have."""
    if base_href.startswith(("javascript:", "data:")):
        return "a refused base href: resolving against no base is kept possible"
    url = _reference(value)
    if url is None:
        return "the URL standard refuses the host; our IDNA mapping is lenient"
    if url.username or url.password:
        return "credentials in a subresource URL: Chromium blocks the request"
    if url.protocol in ("ws:", "wss:", "ftp:"):
        return "no image loads from ws, wss or ftp"
    return None


def _check(value: str, observed: set[str], base: BaseURL, why_over: dict[str, int], label: str, href: str = ""):
    """Compare with Chromium for the http page (``base``: a base in it); returns the host requested."""
    hosts = observed - {""}
    assert len(hosts) <= 1, (label, value, hosts)
    got = next(iter(hosts), None)
    expected = fetch_host(value, base)
    if got is not None:
        assert got == expected, f"{label} {value!r}: Chromium requested {got}, fetch_host says {expected}"
        return got
    if expected is not None:
        reason = _over_approximation(value, href)
        assert reason, f"{label} {value!r}: fetch_host says {expected}, Chromium requested nothing"
        why_over[reason] += 1
    return None


def test_img_src_spellings_give_the_host_chromium_requests(requested):
    cases, seen = requested
    over: dict[str, int] = defaultdict(int)
    hosts = []
    for case in cases["img"]:
        value = attr_text(case.markup.encode())
        got = _check(value, seen.get(case.token, set()), DOCUMENT, over, "img")
        if got is not None:
            hosts.append(got)
            assert got in fetch_hosts(value)  # also named when the page's scheme is not known
    trackers = sum(host in spellings.TRACKERS for host in hosts)
    print(f"img: {len(cases['img'])} spellings, {len(hosts)} third-party requests ({trackers} to trackers)")
    print(f"img: over-approximations {dict(over)}")
    assert len(cases["img"]) > 2000 and len(hosts) > 400 and trackers > 250  # the fuzz really reached hosts


def test_idna_code_points_map_as_chromium_maps_them(requested):
    cases, seen = requested
    over: dict[str, int] = defaultdict(int)
    mapped = 0
    for case in cases["idna"]:
        value = attr_text(case.markup.encode())
        mapped += _check(value, seen.get(case.token, set()), DOCUMENT, over, "idna") is not None
    print(f"idna: {len(cases['idna'])} hosts, {mapped} requested, over-approximations {dict(over)}")
    points = sum(len(c.markup) - len("http://xy.example.org/") - len(c.token) for c in cases["idna"])
    assert points > 2000 and mapped > 300


def test_relative_urls_resolve_against_base_href_as_in_chromium(requested):
    cases, seen = requested
    over: dict[str, int] = defaultdict(int)
    requested_from = defaultdict(set)
    for j, rel, token in cases["base"]:
        href = attr_text(BASES[j].encode())
        value = attr_text(rel.encode())
        got = _check(value, seen.get(token, set()), BaseURL.parse(href, DOCUMENT), over, f"base {href!r}", href)
        if got is not None:
            requested_from[BASES[j]].add(got)
            assert got in fetch_hosts(value, BaseURL.parse(href))  # the page's scheme unknown: still named
    assert set(over) <= {"a refused base href: resolving against no base is kept possible"}
    assert "www.facebook.com" in requested_from["https://www.facebook.com/dir/"]  # relative URLs went there
    assert "static.hotjar.com" in requested_from["https:static.hotjar.com/"]


def test_srcset_candidates_hold_the_host_chromium_requests(requested):
    cases, seen = requested
    for value, token, _ in cases["srcset"]:
        text = attr_text(value.encode())
        hosts = {fetch_host(url, DOCUMENT) for url in srcset_urls(text)}
        observed = seen.get(token, set()) - {""}
        assert observed <= hosts, (value, observed, hosts)
    assert sum(bool(seen.get(t, set()) - {""}) for _, t, _ in cases["srcset"]) >= 6


def test_css_urls_hold_the_host_chromium_requests(requested):
    cases, seen = requested
    for kind, decode in (("style", lambda v: attr_text(v.encode())), ("block", lambda v: v)):
        for value, token, _ in cases[kind]:
            hosts = {fetch_host(url, DOCUMENT) for url in css_urls(decode(value))}
            observed = seen.get(token, set()) - {""}
            assert observed <= hosts, (value, observed, hosts)
    requested_css = [v for kind in ("style", "block") for v, t, _ in cases[kind] if seen.get(t, set()) - {""}]
    assert len(requested_css) >= 12, requested_css
