"""Server-side enforcement and privacy signals: cookie filtering and clearing, tracker auto-blocking, embeds,
GPC and DNT, Google Consent Mode, Matomo, cache modes and regions."""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import re
from datetime import timedelta

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from consent import ConfigError, ConsentConfig, ConsentMiddleware, CookieDeclaration, csp_hashes

SECRET = "e" * 40
GA4 = (
    '<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123"></script>\n'
    "<script>window.dataLayer = window.dataLayer || [];function gtag(){dataLayer.push(arguments);}"
    "gtag('js', new Date());gtag('config', 'G-ABC123');</script>\n"
)
GTM = (
    "<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),event:'gtm.js'});"
    "var f=d.getElementsByTagName(s)[0],j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;"
    "j.src='https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);"
    "})(window,document,'script','dataLayer','GTM-XXXX');</script>\n"
)
PIXEL = (
    "<script>!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?"
    "n.callMethod.apply(n,arguments):n.queue.push(arguments)};if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;"
    "n.version='2.0';n.queue=[];t=b.createElement(e);t.async=!0;t.src=v;s=b.getElementsByTagName(e)[0];"
    "s.parentNode.insertBefore(t,s)}(window, document,'script','https://connect.facebook.net/en_US/fbevents.js');"
    "fbq('init', '1234567890');fbq('track', 'PageView');</script>\n"
)
HOTJAR = (
    "<script>(function(h,o,t,j,a,r){h.hj=h.hj||function(){(h.hj.q=h.hj.q||[]).push(arguments)};"
    "h._hjSettings={hjid:1234567,hjsv:6};a=o.getElementsByTagName('head')[0];r=o.createElement('script');"
    "r.async=1;r.src=t+h._hjSettings.hjid+j+h._hjSettings.hjsv;a.appendChild(r);"
    "})(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');</script>\n"
)
YOUTUBE = '<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" title="Video"></iframe>\n'
PIXEL_IMG = (
    '<img height="1" width="1" src="https://www.facebook.com/tr?id=1234567890&amp;ev=PageView&amp;noscript=1">\n'
)
HINT = '<link rel="preconnect" href="https://connect.facebook.net">\n'
OWN = '<script src="/static/app.js"></script><script>var site = {"page": 1};</script>\n'
RAW_PAGE = (
    "<!DOCTYPE html><html lang='en'><head><title>Raw</title>\n"
    + HINT
    + GA4
    + GTM
    + PIXEL
    + HOTJAR
    + OWN
    + "</head><body><h1>Article</h1>\n"
    + YOUTUBE
    + "<noscript>"
    + PIXEL_IMG
    + "</noscript></body></html>"
)


def app(page=RAW_PAGE, headers=None, cookies=(), **config) -> TestClient:
    async def raw(request):
        response = HTMLResponse(page, headers=headers)
        for name, value in cookies:
            response.set_cookie(name, value)
        return response

    async def json_(request):
        response = Response('{"ok": true}', media_type="application/json")
        for name, value in cookies:
            response.set_cookie(name, value)
        return response

    starlette = Starlette(routes=[Route("/", raw), Route("/api", json_)])
    config.setdefault("locales", ["en", "de"])
    starlette.add_middleware(ConsentMiddleware, config=ConsentConfig(secret_key=SECRET, **config))
    return TestClient(starlette)


def decide(client: TestClient, action="accept", categories=(), headers=None) -> None:
    response = client.post(
        "/consent", data={"action": action, "category": list(categories)}, headers=headers, follow_redirects=False
    )
    assert response.status_code == 303


def scripts(text: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>", text)


def active_trackers(text: str) -> list[str]:
    """Tags of the page a browser would act on that point at (or are the snippet of) a tracker."""
    found = []
    for tag in re.findall(r"<(?:script|iframe|img|link)\b[^>]*>", text):
        if 'type="text/plain"' in tag or "data-src=" in tag or "data-href=" in tag:
            continue
        if re.search(r"googletagmanager|facebook|youtube|hotjar", tag):
            found.append(tag)
    for body in re.findall(r"<script>(.*?)</script>", text, flags=re.S):
        if re.search(r"gtag\('config'|gtm\.start|fbq\('init'|_hjSettings", body):
            found.append(body[:40])
    return found


# -- tracker auto-blocking -----------------------------------------------------------------------------


def test_unmarked_trackers_are_inert_before_consent():
    text = app().get("/").text
    assert active_trackers(text) == []
    assert 'data-consent-auto="google-tag-manager"' in text and 'data-consent-auto="meta-pixel"' in text
    assert 'data-consent-auto="hotjar"' in text and 'data-consent-auto="youtube"' in text
    assert 'data-src="https://www.facebook.com/tr?id=1234567890' in text  # the noscript pixel
    assert 'rel="preconnect" data-href="https://connect.facebook.net"' in text
    # The site's own scripts are untouched.
    assert OWN in text


def test_each_tracker_is_served_exactly_as_written_once_its_category_is_allowed():
    client = app()
    decide(client, "save", ["analytics"])
    text = client.get("/").text
    assert GA4 in text and GTM in text and HOTJAR in text  # analytics: byte for byte
    assert PIXEL not in text and YOUTUBE not in text  # marketing: still inert
    decide(client, "accept")
    text = client.get("/").text
    for snippet in (GA4, GTM, PIXEL, HOTJAR, YOUTUBE, PIXEL_IMG, HINT):
        assert snippet in text


def test_a_page_with_everything_allowed_differs_only_by_the_reopen_link():
    client = app()
    decide(client, "accept")
    text = client.get("/").text
    start = text.index('<link rel="stylesheet" href="/consent/static/')
    end = text.index("</a></p>", start) + 8
    assert text[:start] + text[end:] == RAW_PAGE


def test_tracker_hosts_in_odd_case_and_with_ports_are_recognised():
    page = (
        "<html><body><script src='HTTPS://WWW.GoogleTagManager.COM:443/gtag/js?id=G-1'></script>"
        "<SCRIPT SRC=//connect.facebook.net:8443/en_US/fbevents.js></SCRIPT>"
        '<img src="https://user:pw@www.facebook.com./tr?id=1"></body></html>'
    )
    text = app(page).get("/").text
    assert text.count('type="text/plain"') == 2 and text.count("data-src=") == 1
    assert "notgoogletagmanager" not in text


def test_lookalike_hosts_and_first_party_paths_are_not_blocked():
    page = (
        "<html><body><script src='https://notgoogletagmanager.com/x.js'></script>"
        "<script src='https://googletagmanager.com.evil.test/x.js'></script>"
        "<iframe src='https://www.google.com/recaptcha/api2/anchor'></iframe>"
        "<script src='/gtag/js?id=https://www.googletagmanager.com'></script></body></html>"
    )
    text = app(page).get("/").text
    assert "data-consent" not in text.split("</form>")[-1]


def test_inline_snippets_split_across_chunks_are_still_caught():
    async def streamed(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
        data = RAW_PAGE.encode()
        for i in range(len(data)):
            await send({"type": "http.response.body", "body": data[i : i + 1], "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    middleware = ConsentMiddleware(streamed, config=ConsentConfig(secret_key=SECRET, locales=["en"]))
    text = TestClient(middleware).get("/").text
    assert active_trackers(text) == []
    assert text == app().get("/").text  # the same bytes as when sent in one piece


def test_json_ld_and_non_script_types_are_not_touched():
    page = (
        '<html><body><script type="application/ld+json">{"x": "gtag(\'config\', \'G-1\')"}</script>'
        "<script type='text/template'>fbq('init', '1')</script></body></html>"
    )
    text = app(page).get("/").text
    assert '<script type="application/ld+json">' in text and "<script type='text/template'>" in text


def test_auto_blocking_can_be_turned_off():
    text = app(auto_block=False).get("/").text
    for snippet in (GA4, PIXEL, YOUTUBE):
        assert snippet in text


def test_site_can_add_and_override_tracker_entries():
    page = "<html><body><script src='https://stats.example.net/s.js'></script>" + YOUTUBE + "</body></html>"
    trackers = [
        {"id": "our-stats", "name": "Example Stats", "category": "analytics", "hosts": ["stats.example.net"]},
        {"id": "youtube", "name": "YouTube", "category": "analytics", "hosts": ["youtube.com"], "embed": True},
    ]
    client = app(page, trackers=trackers)
    text = client.get("/").text
    assert 'data-consent="analytics" data-consent-auto="our-stats"' in text
    assert 'data-consent="analytics" data-consent-auto="youtube"' in text
    decide(client, "save", ["analytics"])
    assert YOUTUBE in client.get("/").text


def test_tracker_categories_map_onto_the_sites_own():
    from consent import Category

    client = app(
        categories=[Category("analytics"), Category("ads", "Advertising")], tracker_categories={"marketing": "ads"}
    )
    assert 'data-consent="ads" data-consent-auto="meta-pixel"' in client.get("/").text
    decide(client, "save", ["ads"])
    assert PIXEL in client.get("/").text


def test_bad_tracker_entries_are_configuration_errors():
    with pytest.raises(ConfigError, match=r"^trackers\[0\]\.hosts: "):
        ConsentConfig(
            secret_key=SECRET, trackers=[{"id": "x", "name": "X", "category": "analytics", "hosts": ["not a host"]}]
        )
    with pytest.raises(ConfigError, match=r"^trackers\[0\]\.snippets\[0\]: "):
        ConsentConfig(
            secret_key=SECRET, trackers=[{"id": "x", "name": "X", "category": "analytics", "snippets": ["("]}]
        )
    with pytest.raises(ConfigError, match=r"^tracker_categories\.marketing: "):
        ConsentConfig(secret_key=SECRET, tracker_categories={"marketing": "ads"})


# -- embeds ---------------------------------------------------------------------------------------------


def srcdoc(text: str) -> str:
    return html.unescape(re.search(r'srcdoc="([^"]*)"', text)[1])


def test_blocked_embed_gets_a_same_size_placeholder_that_works_without_javascript():
    client = app(page="<html><body>" + YOUTUBE + "</body></html>")
    decide(client, "save", ["analytics"])
    text = client.get("/").text
    iframe = re.search(r"<iframe[^>]*>", text)[0]
    assert 'width="560" height="315"' in iframe and 'data-src="https://www.youtube.com/embed/dQw4w9WgXcQ"' in iframe
    doc = srcdoc(text)
    assert "This content is provided by YouTube" in doc and "Marketing" in doc
    assert (
        '<a class="consent-button" href="https://www.youtube.com/embed/dQw4w9WgXcQ" target="_self">Load this once</a>'
        in doc
    )
    form = re.search(r'<form[^>]*action="/consent" target="_top">.*?</form>', doc, flags=re.S)[0]
    assert 'name="action" value="allow"' in form and "Always allow Marketing" in form
    assert re.findall(r'name="category" value="(\w+)"', form) == ["marketing"]
    # Posting it adds marketing to what was already allowed.
    client.post("/consent", data={"action": "allow", "category": "marketing"}, follow_redirects=False)
    assert client.get("/consent").json()["categories"] == {"necessary": True, "analytics": True, "marketing": True}


def test_author_marked_iframes_get_the_placeholder_too_and_it_is_localised():
    page = (
        '<html lang="de"><body><iframe data-consent="marketing" data-src="https://open.spotify.com/embed/x" '
        'width="300" height="80"></iframe></body></html>'
    )
    doc = srcdoc(app(page).get("/").text)
    assert "Dieser Inhalt wird von Spotify bereitgestellt" in doc and "Einmalig laden" in doc


def test_placeholder_never_links_to_a_non_http_url():
    page = '<html><body><iframe data-consent="marketing" data-src="javascript:alert(1)"></iframe></body></html>'
    doc = srcdoc(app(page).get("/").text)
    assert "javascript:" not in doc


# -- cookies --------------------------------------------------------------------------------------------

DECLARED = [
    CookieDeclaration("csrf", "necessary", "This site", "Protects forms.", None),
    CookieDeclaration("_ga*", "analytics", "Google", "Counts.", timedelta(days=390), third_party=True),
    CookieDeclaration(
        "ads_id", "marketing", "Ad partner", "Ads.", timedelta(days=90), path="/news", domain=".example.com"
    ),
]


def set_cookie_names(response) -> list[str]:
    return [v.split("=", 1)[0] for k, v in response.headers.multi_items() if k == "set-cookie"]


def test_app_cookies_of_refused_categories_never_leave(caplog):
    cookies = [("_ga", "GA1.1"), ("_ga_XYZ", "GS1"), ("ads_id", "1"), ("csrf", "t"), ("session", "s"), ("_fbp", "fb")]
    client = TestClient(_cookie_app(cookies))
    with caplog.at_level(logging.DEBUG, logger="consent"):
        for path in ("/", "/api"):
            assert sorted(set_cookie_names(client.get(path))) == ["csrf", "session"]
    assert "dropped Set-Cookie _ga" in caplog.text
    decide(client, "save", ["analytics"])
    assert sorted(set_cookie_names(client.get("/api"))) == ["_ga", "_ga_XYZ", "csrf", "session"]
    decide(client, "accept")
    assert sorted(set_cookie_names(client.get("/api"))) == sorted(n for n, _ in cookies)


def _cookie_app(cookies, **config):
    async def api(request):
        response = PlainTextResponse("ok")
        for name, value in cookies:
            response.set_cookie(name, value)
        return response

    starlette = Starlette(routes=[Route("/api", api), Route("/", api)])
    starlette.add_middleware(
        ConsentMiddleware, config=ConsentConfig(secret_key=SECRET, cookies=DECLARED, locales=["en"], **config)
    )
    return starlette


def test_undeclared_cookies_can_be_blocked_too():
    client = TestClient(_cookie_app([("session", "s"), ("csrf", "t")], block_undeclared_cookies=True))
    assert set_cookie_names(client.get("/api")) == ["csrf"]


def test_odd_case_and_multiple_set_cookie_headers_are_all_filtered():
    async def raw(scope, receive, send):
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"Set-Cookie", b"_ga=1; Path=/"),
                    (b"SET-COOKIE", b"_ga=2; Path=/blog"),
                    (b"set-cookie", b"_fbp=3"),
                    (b"set-cookie", b"keep=4"),
                    (b"content-type", b"text/plain"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b"ok"})

    middleware = ConsentMiddleware(raw, config=ConsentConfig(secret_key=SECRET, cookies=DECLARED, locales=["en"]))
    assert set_cookie_names(TestClient(middleware).get("/")) == ["keep"]


def test_rejecting_expires_the_refused_categories_cookies_everywhere():
    client = TestClient(_cookie_app([], cookie_domain="example.com"), base_url="https://www.example.com")
    response = client.post(
        "/consent",
        data={"action": "reject"},
        headers={"cookie": "_ga=GA1; _ga_ABC=GS1; _fbp=fb; session=s; csrf=t"},
        follow_redirects=False,
    )
    expiring = [v for k, v in response.headers.multi_items() if k == "set-cookie" and "Max-Age=0" in v]
    names = {v.split("=", 1)[0] for v in expiring}
    assert {"_ga", "_ga_ABC", "_fbp", "ads_id"} <= names  # _fbp: known to the tracker table
    assert not names & {"session", "csrf", "consent"}
    ga = [v for v in expiring if v.startswith("_ga=")]
    assert any("Domain" not in v for v in ga)  # host-only
    assert any("Domain=www.example.com" in v for v in ga) and any("Domain=example.com" in v for v in ga)
    assert all("Secure" in v for v in expiring)
    ads = [v for v in expiring if v.startswith("ads_id=")]
    assert any("Path=/news" in v for v in ads)  # its declared path, though the browser didn't send it here


def test_withdrawing_expires_cookies_and_accepting_does_not():
    client = TestClient(_cookie_app([]))
    accept = client.post("/consent", data={"action": "accept"}, headers={"cookie": "_ga=1"}, follow_redirects=False)
    assert set_cookie_names(accept) == ["consent"]
    withdraw = client.post("/consent", data={"action": "withdraw"}, headers={"cookie": "_ga=1"}, follow_redirects=False)
    assert "_ga" in set_cookie_names(withdraw)
    assert "Clear-Site-Data" not in withdraw.headers  # would log the visitor out of everything


# -- privacy signals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values, on",
    [
        (["1"], True),
        (["0"], False),
        (["true"], False),
        (["yes"], False),
        ([""], False),
        (["0", "1"], True),
        (["11"], False),
    ],
)
def test_only_an_exact_sec_gpc_1_counts(values, on):
    seen = []

    async def page(scope, receive, send):
        seen.append(scope["consent"])
        await PlainTextResponse("ok")(scope, receive, send)

    middleware = ConsentMiddleware(page, config=ConsentConfig(secret_key=SECRET, locales=["en"]))
    headers = [("host", "testserver")] + [("sec-gpc", v) for v in values]

    import anyio

    async def call():
        async def receive():
            return {"type": "http.request", "body": b""}

        async def send(message):
            pass

        await middleware(
            {
                "type": "http",
                "method": "GET",
                "path": "/",
                "root_path": "",
                "query_string": b"",
                "scheme": "http",
                "headers": [(k.encode(), v.encode()) for k, v in headers],
            },
            receive,
            send,
        )

    anyio.run(call)
    assert seen[0].gpc is on


def test_gpc_refuses_marketing_even_after_accept_and_says_so():
    client = app()
    decide(client, "accept")
    gpc = {"sec-gpc": "1"}
    text = client.get("/", headers=gpc).text
    assert GA4 in text and PIXEL not in text and YOUTUBE not in text
    state = client.get("/consent", headers=gpc).json()
    assert state["gpc"] is True and state["categories"]["marketing"] is False
    settings = client.get("/consent/settings", headers=gpc).text
    assert "Your Global Privacy Control signal is honoured." in settings
    assert re.search(r'value="marketing" disabled', settings)
    # Without the signal the stored choice applies again.
    assert PIXEL in client.get("/").text


def test_banner_mentions_gpc_for_undecided_visitors_who_send_it():
    assert "Your Global Privacy Control signal is honoured." in app().get("/", headers={"sec-gpc": "1"}).text
    assert "Global Privacy Control signal" not in app().get("/").text


def test_gpc_applies_in_opt_out_mode_too():
    client = app(mode="opt-out")
    text = client.get("/", headers={"sec-gpc": "1"}).text
    assert GA4 in text and PIXEL not in text


def test_gpc_json_is_served():
    response = app(policy_updated="2026-11-01").get("/.well-known/gpc.json")
    assert response.json() == {"gpc": True, "lastUpdate": "2026-11-01"}
    assert response.headers["content-type"] == "application/json"


def test_do_not_track_is_ignored_unless_asked_and_then_refuses_everything():
    client = app()
    decide(client, "accept")
    assert GA4 in client.get("/", headers={"dnt": "1"}).text
    client = app(honor_dnt=True)
    decide(client, "accept")
    text = client.get("/", headers={"dnt": "1"}).text
    assert GA4 not in text and PIXEL not in text
    assert "treats the Do Not Track signal as a refusal" in client.get("/privacy").text


def test_decision_records_carry_the_signals():
    records = []
    client = TestClient(_cookie_app([], on_decision=records.append))
    client.post("/consent", data={"action": "accept"}, headers={"sec-gpc": "1", "dnt": "1"}, follow_redirects=False)
    assert records[0].gpc is True and records[0].dnt is True
    assert records[0].categories["marketing"] is True  # what the visitor chose; GPC applies on top


# -- Google Consent Mode v2 and Matomo ------------------------------------------------------------------


def first_script(text: str) -> str:
    return re.search(r"<head>(<script[^>]*>)(.*?)</script>", text, flags=re.S)[2]


def test_consent_mode_default_comes_first_in_head_with_all_seven_types():
    text = app(google_consent_mode=True).get("/").text
    script = first_script(text)
    default = re.search(r"gtag\('consent','default',(\{.*?\})\);", script)[1]
    for name in (
        "ad_storage",
        "ad_user_data",
        "ad_personalization",
        "analytics_storage",
        "functionality_storage",
        "personalization_storage",
        "security_storage",
    ):
        assert f'"{name}":' in default
    assert '"ad_storage":"denied"' in default and '"analytics_storage":"denied"' in default
    assert '"security_storage":"granted"' in default and '"wait_for_update":500' in default
    assert "gtag('set','ads_data_redaction',true);" in script
    assert "'update'" not in script  # nothing to update for an undecided visitor
    assert text.index("gtag('consent','default'") < text.index("googletagmanager.com")


def test_consent_mode_update_on_every_page_of_a_decided_visitor():
    client = app(google_consent_mode=True)
    decide(client, "save", ["analytics"])
    script = first_script(client.get("/").text)
    update = re.search(r"gtag\('consent','update',(\{.*?\})\);", script)[1]
    assert '"analytics_storage":"granted"' in update and '"ad_storage":"denied"' in update
    decide(client, "accept")
    script = first_script(client.get("/").text)
    assert '"ad_storage":"granted"' in script and "ads_data_redaction" not in script


def test_basic_mode_holds_google_tags_back_and_advanced_mode_lets_them_load():
    basic = app(google_consent_mode=True).get("/").text
    assert 'data-consent-auto="google-tag-manager"' in basic
    advanced = app(google_consent_mode="advanced").get("/").text
    assert GA4 in advanced and GTM in advanced  # cookieless pings under denied defaults
    assert 'data-consent-auto="meta-pixel"' in advanced  # other vendors stay blocked


def test_consent_types_mapping_is_configurable_and_validated():
    types = dict.fromkeys(
        ("ad_storage", "ad_user_data", "ad_personalization", "functionality_storage", "personalization_storage"),
        "marketing",
    )
    types.update(analytics_storage="analytics", security_storage="necessary")
    client = app(google_consent_mode=True, google_consent_types=types)
    decide(client, "accept")
    assert '"functionality_storage":"granted"' in first_script(client.get("/").text)
    # Only the types that differ from the defaults need naming; a category nobody declared is refused.
    partial = app(google_consent_mode=True, google_consent_types={"functionality_storage": "marketing"})
    decide(partial, "accept")
    assert '"functionality_storage":"granted"' in first_script(partial.get("/").text)
    with pytest.raises(ConfigError, match="^google_consent_types.ad_storage: 'ads' is not a declared category"):
        ConsentConfig(secret_key=SECRET, google_consent_types={"ad_storage": "ads"})
    with pytest.raises(ConfigError, match="did you mean 'ad_storage'"):
        ConsentConfig(secret_key=SECRET, google_consent_types={"ads_storage": "marketing"})


def test_head_script_carries_the_pages_nonce_and_csp_hashes_cover_it():
    csp = {"content-security-policy": "script-src 'nonce-abc'"}
    text = app(headers=csp, google_consent_mode=True).get("/").text
    assert '<head><script nonce="abc">' in text
    config = ConsentConfig(secret_key=SECRET, google_consent_mode=True, matomo=True, locales=["en"])
    hashes = csp_hashes(config)
    client = app(google_consent_mode=True, matomo=True)
    for _ in range(2):
        script = first_script(client.get("/").text)
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in hashes
        decide(client, "save", ["analytics"])


def test_matomo_requires_consent_and_follows_the_analytics_choice():
    client = app(matomo=True)
    script = first_script(client.get("/").text)
    assert "_paq.push(['requireConsent']);_paq.push(['forgetConsentGiven']);" in script
    decide(client, "save", ["analytics"])
    assert "_paq.push(['setConsentGiven'])" in first_script(client.get("/").text)


# -- cache modes ----------------------------------------------------------------------------------------

PUBLIC = {"cache-control": "public, max-age=300"}


def test_shared_pages_are_identical_for_every_visitor_and_leave_caching_alone():
    bodies, responses = set(), []
    for action in (None, "accept", "reject"):
        client = app(headers=PUBLIC)
        if action:
            decide(client, action)
        for headers in ({}, {"sec-gpc": "1"}, {"accept-language": "de"}):
            response = client.get("/", headers=headers)
            bodies.add(response.text)
            responses.append(response)
    assert len(bodies) == 1
    for response in responses:
        assert response.headers["cache-control"] == "public, max-age=300"
        assert "set-cookie" not in response.headers
        assert "cookie" not in response.headers.get("vary", "").lower()
    text = bodies.pop()
    assert active_trackers(text) == []  # everything inert; the client script activates from the cookie
    assert 'id="consent-banner"' in text and "data-shared" in text and 'id="consent-reopen"' in text


def test_shared_mode_script_matches_the_published_hash():
    text = app(headers=PUBLIC).get("/").text
    script = re.search(r"</div><script>(.*?)</script>", text, flags=re.S)[1]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp_hashes(ConsentConfig(secret_key=SECRET, locales=["en"]))


@pytest.mark.parametrize(
    "cache_control, shared",
    [
        ("public, max-age=60", True),
        ("max-age=0, s-maxage=600", True),
        ("private", False),
        (None, False),
        ("no-store", False),
    ],
)
def test_auto_mode_shares_only_what_the_app_marked_publicly_cacheable(cache_control, shared):
    headers = {"cache-control": cache_control} if cache_control else None
    response = app(headers=headers).get("/")
    assert ("data-shared" in response.text) is shared
    assert ("private" in response.headers["cache-control"]) is (not shared)


def test_cache_mode_private_overrides_a_public_app():
    response = app(headers=PUBLIC, cache_mode="private").get("/")
    assert response.headers["cache-control"] == "private, max-age=300" and "data-shared" not in response.text


def test_cache_mode_shared_forces_identical_bytes():
    client = app(cache_mode="shared")
    first = client.get("/").text
    decide(client, "accept")
    assert client.get("/").text == first


# -- regions --------------------------------------------------------------------------------------------


def regional(**config):
    config.setdefault("region_header", "CF-IPCountry")
    config.setdefault("modes_by_region", {"US": "opt-out", "US-CA": "opt-in", "EEA": "opt-in", "JP": "notice"})
    return app(**config)


@pytest.mark.parametrize(
    "region, mode",
    [
        ("US", "opt-out"),
        ("us", "opt-out"),
        ("US-CA", "opt-in"),
        ("DE", "opt-in"),
        ("NO", "opt-in"),
        ("JP", "notice"),
        ("XX", "opt-in"),
        ("T1", "opt-in"),
        ("", "opt-in"),
        (None, "opt-in"),
        ("BR", "opt-in"),
    ],
)
def test_mode_follows_the_region_header(region, mode):
    headers = {"cf-ipcountry": region} if region is not None else {}
    client = regional()
    assert client.get("/consent", headers=headers).json()["mode"] == mode
    response = client.get("/", headers=headers)
    # The banner's wording and buttons are the mode's; the client script is told what an undecided visitor gets.
    marker = {"opt-out": ">Opt out</button>", "opt-in": ">Reject all</button>", "notice": ">OK</button>"}[mode]
    assert marker in response.text
    undecided = "analytics marketing" if mode == "opt-out" else ""
    assert f'data-undecided="{undecided}"' in response.text
    assert "CF-IPCountry" in response.headers["vary"]


def test_opt_out_region_lets_trackers_run_until_the_visitor_opts_out():
    client = regional()
    us = {"cf-ipcountry": "US"}
    text = client.get("/", headers=us).text
    assert "We&#39;ll assume you&#39;re ok with this" in text or "We'll assume you're ok with this" in text
    assert GA4 in text
    decide(client, "reject", headers=us)
    assert GA4 not in client.get("/", headers=us).text


def test_the_configured_mode_applies_to_known_regions_not_in_the_table_but_never_opt_out_in_the_eea():
    client = regional(mode="opt-out", modes_by_region={"JP": "notice"})
    assert client.get("/consent", headers={"cf-ipcountry": "AU"}).json()["mode"] == "opt-out"
    assert client.get("/consent", headers={"cf-ipcountry": "FR"}).json()["mode"] == "opt-in"
    assert client.get("/consent", headers={"cf-ipcountry": "GB"}).json()["mode"] == "opt-in"


@pytest.mark.parametrize("region", ["FR", "EEA", "EU", "GB", "CH", "CA-QC", "IS", "EL"])
def test_opt_out_where_the_law_requires_opt_in_is_refused_at_startup(region):
    with pytest.raises(
        ConfigError, match=rf"^modes_by_region\.{region if region != 'EL' else 'EL'}: opt-out is not allowed"
    ):
        ConsentConfig(secret_key=SECRET, region_header="CF-IPCountry", modes_by_region={region: "opt-out"})


def test_region_configuration_errors():
    with pytest.raises(ConfigError, match=r"^modes_by_region\.Atlantis: "):
        ConsentConfig(secret_key=SECRET, region_header="X-Region", modes_by_region={"Atlantis": "opt-in"})
    with pytest.raises(ConfigError, match=r"^modes_by_region: needs region_header"):
        ConsentConfig(secret_key=SECRET, modes_by_region={"US": "opt-out"})
    with pytest.raises(ConfigError, match=r"^region_header: "):
        ConsentConfig(secret_key=SECRET, region_header="bad header!")
