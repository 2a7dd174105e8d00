"""The attacks and faults found in review (issue 9, items 2, 4, 5 and 6), each replayed in process.

Cookie tossing; two apps sharing a secret; memory held by request input; crashes and losses on odd input;
framing of the settings page; a request body that never ends. (The hanging decision hook is tests/log.)
"""

from __future__ import annotations

import gc
import resource
import secrets

import anyio
import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from consent import ConsentConfig, ConsentMiddleware
from consent._cookie import ConsentCookie
from consent._html.gate import Options
from consent._html.rewriter import Engine

SECRET = "attack-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
PAGE = "<!doctype html><html><body><p>News</p><script async src='https://www.googletagmanager.com/gtag/js'></script>"


def app_with(**config):
    async def page(request):
        return HTMLResponse(PAGE)

    async def data(request):
        response = JSONResponse({"ok": True})
        response.set_cookie("_ga", "GA1.1.1.1")
        return response

    app = Starlette(routes=[Route("/", page), Route("/data", data)])
    return ConsentMiddleware(app, ConsentConfig(secret_key=SECRET, locales=["en"], **config))


# -- cookie tossing, and apps sharing a secret -------------------------------------------------------------


def test_a_planted_accept_all_cookie_cannot_override_a_refusal(client):
    mw = app_with(cookie_domain="news.test")
    jar = ConsentCookie(mw.config)
    mine, planted = jar.dumps(set(), "mine"), jar.dumps({"analytics", "marketing"}, "planted")
    html = client(mw).get("/", headers={"cookie": f"consent={planted}; consent={mine}"}).text
    assert 'type="text/plain"' in html and 'id="consent-banner"' not in html  # decided: reject; tracker inert


def test_a_decision_expires_every_other_copy_of_the_consent_cookie(client):
    mw = app_with(cookie_domain="news.test")
    jar = ConsentCookie(mw.config)
    cookies = f"consent={jar.dumps(set(), 'a')}; consent={jar.dumps({'analytics'}, 'b')}"
    response = client(mw, base_url="http://www.news.test").post(
        "/consent", data={"action": "accept"}, headers={"cookie": cookies}
    )
    set_cookies = response.headers.get_list("set-cookie")
    assert any(c.startswith("consent=1:") and "Domain=news.test" in c for c in set_cookies)
    expired = [c for c in set_cookies if c.startswith("consent=;") and "Max-Age=0" in c]
    assert any("Domain=www.news.test" in c for c in expired) and any("Domain" not in c for c in expired)
    assert not any("Domain=news.test" in c and "Path=/;" in c + ";" for c in expired)  # not the copy it sets


def test_a_host_only_consent_cookie_name_cannot_be_planted_so_nothing_is_expired(client):
    mw = app_with(cookie_name="__Host-consent")
    assert mw.core.cookie.stray_headers("www.news.test", "/consent", True) == []


def test_two_apps_sharing_a_secret_do_not_accept_each_others_cookies(client):
    shop, news = app_with(app_id="shop"), app_with(app_id="news")
    accepted = ConsentCookie(shop.config).dumps({"analytics", "marketing"}, "x")
    assert client(shop).get("/", headers={"cookie": f"consent={accepted}"}).text.count("text/plain") == 0
    html = client(news).get("/", headers={"cookie": f"consent={accepted}"}).text
    assert 'id="consent-banner"' in html and 'type="text/plain"' in html
    domain_a, domain_b = app_with(cookie_domain="a.test"), app_with(cookie_domain="b.test")
    assert ConsentCookie(domain_b.config).loads(ConsentCookie(domain_a.config).dumps({"analytics"}, "y")) is None


# -- memory held by what requests carry ---------------------------------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def test_a_flood_of_distinct_headers_and_query_strings_holds_bounded_memory():
    mw = app_with()
    sent = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        if message["type"] == "http.response.body":
            sent.append(len(message.get("body", b"")))

    def scope(i: int) -> dict:
        noise = secrets.token_hex(2000)  # 4 KB, never twice the same
        return {
            "type": "http", "method": "GET", "path": "/", "root_path": "", "scheme": "http",
            "query_string": f"q={noise}".encode(),
            "headers": [(b"accept-language", f"de;q=0.9, x-{noise[:3000]};q=0.1".encode()),
                        (b"cookie", f"consent=1:x:y:{noise}.1.z".encode()), (b"host", b"news.test")],
        }  # fmt: skip

    async def flood(n: int) -> None:
        for i in range(n):
            await mw(scope(i), receive, send)

    anyio.run(flood, 500)  # warm up: imports, the memos' first entries
    gc.collect()
    before = _rss_mb()
    anyio.run(flood, 4000)
    gc.collect()
    growth = _rss_mb() - before
    assert len(sent) == 4500 and growth < 16, f"{growth:.1f} MB more after 4000 requests of 12 KB of noise each"


# -- crashes and losses on odd input ------------------------------------------------------------------------------


@pytest.mark.parametrize("header", [("origin", "http://["), ("referer", "http://[x/"), ("origin", "http://[::1")])
def test_a_malformed_origin_or_referer_is_a_clear_403_not_a_500(client, header):
    response = client(app_with()).post("/consent", data={"action": "accept"}, headers=dict([header]))
    assert response.status_code == 403


def test_an_iframe_url_with_a_bracket_in_its_host_renders_its_placeholder(client):
    async def page(request):
        return HTMLResponse('<html><body><iframe data-consent="marketing" data-src="https://[www.youtube.com/x">')

    mw = ConsentMiddleware(Starlette(routes=[Route("/", page)]), ConsentConfig(secret_key=SECRET, locales=["en"]))
    response = client(mw).get("/")
    assert response.status_code == 200 and "srcdoc=" in response.text


@pytest.mark.parametrize("wrapper", ["noscript", "template"])
def test_the_banner_goes_into_the_body_the_browser_builds_not_into_noscript_or_template(client, wrapper):
    doc = f"<!doctype html><html><head><{wrapper}><body class=fake></{wrapper}></head><body class=real><p>x</p>"

    async def page(request):
        return HTMLResponse(doc)

    mw = ConsentMiddleware(Starlette(routes=[Route("/", page)]), ConsentConfig(secret_key=SECRET, locales=["en"]))
    html = client(mw).get("/").text
    assert html.index('id="consent-banner"') > html.index("<body class=real>")


def test_after_a_huge_tag_whose_name_holds_a_quote_an_unfinished_tag_is_kept_in_any_chunking():
    engine = Engine(None, ("analytics",), max_hold=4096)
    doc = b"<html><body><div'x data-x='" + b"y" * 10_000 + b"'><p>text</p><a href='/unfinished"

    def rewrite(chunk: int) -> bytes:
        r = engine.rewriter(Options(allowed=frozenset(), snippet=lambda lang: b"<!--S-->"))
        return b"".join(r.feed(doc[i : i + chunk]) for i in range(0, len(doc), chunk)) + r.close()

    whole = rewrite(len(doc))
    assert whole.endswith(b"<a href='/unfinished") and whole.count(b"<!--S-->") == 1
    assert {rewrite(n) for n in (1, 7, 61, 4096)} == {whole}


# Header bytes are latin-1: b"\xb2" is "²", a digit to str.isdigit() that int() refuses (a 500 before).
@pytest.mark.parametrize("length", ["\u00b2", "1\u00b3", "\u00b9\u00b2", "1e3", "-1", " 12 x"])
def test_a_content_length_that_is_no_ascii_number_is_a_400(length):
    mw = app_with()
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"action=accept", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/consent", "root_path": "", "query_string": b"",
             "scheme": "http", "headers": [(b"content-length", length.encode("latin-1")), (b"host", b"news.test"),
                                           (b"content-type", b"application/x-www-form-urlencoded")]}  # fmt: skip
    anyio.run(mw, scope, receive, send)
    assert sent[0]["status"] == 400


# -- the smaller ones ---------------------------------------------------------------------------------------------


def test_a_non_html_response_whose_cookies_depend_on_consent_varies_on_cookie(client):
    response = client(app_with()).get("/data")
    assert "_ga" not in response.headers.get("set-cookie", "") and "Cookie" in response.headers["vary"]


@pytest.mark.parametrize("path", ["/consent/settings", "/consent"])
def test_the_settings_page_and_the_endpoint_cannot_be_framed_by_another_site(client, path):
    headers = client(app_with()).get(path).headers
    assert headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in headers["content-security-policy"]


def test_a_request_body_that_never_ends_is_answered_408(monkeypatch):
    from consent import _forms

    monkeypatch.setattr(_forms, "BODY_DEADLINE", 0.05)
    mw = app_with()
    sent = []
    forever = anyio.Event()

    async def receive():
        await forever.wait()  # the client sends headers, then nothing

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/consent", "root_path": "", "query_string": b"",
             "scheme": "http", "headers": [(b"host", b"news.test")]}  # fmt: skip
    anyio.run(mw, scope, receive, send)
    assert sent[0]["status"] == 408
