"""The middleware's own routes over HTTP: POST/GET {prefix}, the settings and policy pages, the static assets."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import itsdangerous.timed
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

from consent import Category, ConsentConfig, ConsentDecision, CookieDeclaration
from consent._cookie import ConsentCookie
from consent._render import load_assets

BANNER = 'id="consent-banner"'
REOPEN = 'id="consent-reopen"'
OTHER_SECRET = "other-secret-0123456789-abcdefghijklmnop"
NONE = {"necessary": True, "analytics": False, "marketing": False}
ALL = {"necessary": True, "analytics": True, "marketing": True}
ANALYTICS = {**NONE, "analytics": True}
MARKETING = {**NONE, "marketing": True}


@pytest.fixture
def sign(secret):
    """`sign(granted, **config_overrides)`: a valid consent cookie value, by default for make_app()'s config."""

    def sign(granted=("analytics",), **overrides) -> str:
        jar = ConsentCookie(ConsentConfig(**{"secret_key": secret, **overrides}))
        return jar.dumps(granted, jar.new_id())

    return sign


def with_cookie(value: str) -> dict[str, str]:
    return {"cookie": f"consent={value}"}


def checkboxes(html: str) -> dict[str, str]:
    """category value -> its whole <input> tag."""
    return {m[1]: m[0] for m in re.finditer(r'<input[^>]*name="category" value="([^"]*)"[^>]*>', html)}


def checked(html: str) -> set[str]:
    return {key for key, tag in checkboxes(html).items() if re.search(r"\schecked\b", tag)}


def buttons(html: str) -> list[str]:
    return re.findall(r'<button[^>]*name="action" value="([^"]*)"', html)


def hidden_next(html: str) -> str:
    return re.search(r'<input type="hidden" name="next" value="([^"]*)">', html)[1]


# -- POST {prefix}: the decisions ------------------------------------------------------------------------


def test_accept_form_post_redirects_303_to_next_and_sets_the_cookie(client, make_app):
    response = client(make_app()).post("/consent", data={"action": "accept", "next": "/article?id=3"})
    assert response.status_code == 303 and response.headers["location"] == "/article?id=3"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["set-cookie"].startswith("consent=1:1:analytics.marketing:")
    assert client(make_app()).post("/consent", data={"action": "reject"}).headers["location"] == "/"


def test_after_accept_the_next_page_has_no_banner_and_has_the_reopen_link(client, make_app):
    c = client(make_app())
    assert BANNER in c.get("/").text
    c.post("/consent", data={"action": "accept"})
    page = c.get("/")
    assert page.status_code == 200 and BANNER not in page.text and REOPEN in page.text
    assert c.get("/json").json() == {"decided": True, "categories": ALL}


@pytest.mark.parametrize(
    "form, expected",
    [
        ({"action": "reject"}, NONE),
        ({"action": "save", "category": ["analytics"]}, ANALYTICS),
        ({"action": "save"}, NONE),
        ({"action": "save", "category": ["bogus", "necessary", "x" * 500]}, NONE),
        ({"action": "save", "category": ["marketing", "marketing", "Analytics"]}, MARKETING),
        ({"action": "accept", "category": ["analytics"]}, ALL),
    ],
    ids=["reject", "save-analytics", "save-nothing", "save-unknown", "save-dupes", "accept-ignores-list"],
)
def test_decisions_are_stored_and_unknown_categories_ignored(form, expected, client, make_app):
    c = client(make_app())
    response = c.post("/consent", data=form)
    assert response.status_code == 303 and "bogus" not in response.headers["set-cookie"]
    assert c.get("/json").json() == {"decided": True, "categories": expected}
    assert BANNER not in c.get("/").text


def test_json_body_post_returns_the_state_json(client, make_app):
    response = client(make_app()).post("/consent", json={"action": "save", "categories": ["marketing", "bogus"]})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.json() == {
        "decided": True,
        "categories": MARKETING,
        "policy_version": "1",
        "mode": "opt-in",
        "gpc": False,
    }
    assert "set-cookie" in response.headers


@pytest.mark.parametrize(
    "kwargs",
    [
        {"content": b'{"action": "save", "category": "analytics"}', "headers": {"content-type": "application/json"}},
        {
            "content": b'{"action": "save", "categories": ["analytics", 5]}',
            "headers": {"content-type": "application/json; charset=utf-8"},
        },
        {"data": {"action": "save", "category": "analytics"}, "headers": {"accept": "application/json"}},
    ],
    ids=["category-string", "charset", "form-accepting-json"],
)
def test_json_is_answered_for_json_bodies_and_json_accepting_clients(kwargs, client, make_app):
    response = client(make_app()).post("/consent", **kwargs)
    assert response.status_code == 200 and response.json()["categories"] == ANALYTICS
    assert "set-cookie" in response.headers


def test_form_post_accepting_html_and_json_gets_a_redirect(client, make_app):
    headers = {"accept": "text/html,application/json;q=0.9"}
    assert client(make_app()).post("/consent", data={"action": "accept"}, headers=headers).status_code == 303


def test_json_body_with_upper_case_content_type_gets_json(client, make_app):
    headers = {"content-type": "Application/JSON"}
    response = client(make_app()).post("/consent", content=b'{"action": "accept"}', headers=headers)
    assert response.status_code == 200 and response.json()["decided"] is True


def test_withdraw_deletes_the_cookie_and_the_banner_returns(client, make_app):
    c = client(make_app())
    c.post("/consent", data={"action": "accept"})
    response = c.post("/consent", data={"action": "withdraw"})
    assert response.status_code == 303
    assert re.match(r"consent=; Path=/; Max-Age=0\b", response.headers["set-cookie"])
    assert BANNER in c.get("/").text
    assert c.get("/consent").json()["decided"] is False


def test_withdraw_json_in_opt_out_mode_returns_the_mode_defaults(client, make_app):
    body = client(make_app(mode="opt-out")).post("/consent", json={"action": "withdraw"}).json()
    assert body == {"decided": False, "categories": ALL, "policy_version": "1", "mode": "opt-out", "gpc": False}


def test_notice_mode_accept_records_a_decision_with_necessary_only(client, make_app):
    c = client(make_app(mode="notice"))
    assert c.post("/consent", json={"action": "accept"}).json()["categories"] == {"necessary": True}
    assert BANNER not in c.get("/").text


def test_opt_out_visitor_is_undecided_with_everything_granted_until_opting_out(client, make_app):
    c = client(make_app(mode="opt-out"))
    assert c.get("/json").json() == {"decided": False, "categories": ALL}
    c.post("/consent", data={"action": "reject"})
    assert c.get("/json").json() == {"decided": True, "categories": NONE}


# -- POST {prefix}: where `next` may send the visitor ---------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "//evil.test",
        "//evil.test/path",
        "/\\evil.test",
        "\\\\evil.test",
        "/\t/evil.test",
        "/\n/evil.test",
        "https://evil.test",
        "http:evil.test",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "/\r\nSet-Cookie:x=1",
        "\x00",
        "/\x00",
        "/\x85evil",
        "evil.test",
        "",
        "/" + "a" * 3000,
    ],
)
def test_next_that_leaves_the_site_redirects_home(target, client, make_app):
    response = client(make_app()).post("/consent", data={"action": "accept", "next": target})
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_percent_encoded_crlf_in_next_cannot_inject_headers(client, make_app):
    c = client(make_app())
    raw = c.post("/consent", content=b"action=accept&next=/%0d%0aSet-Cookie:x=1")
    assert raw.headers["location"] == "/"
    literal = c.post("/consent", data={"action": "accept", "next": "/%0d%0aSet-Cookie:x=1"})
    assert literal.headers["location"] == "/%0d%0aSet-Cookie:x=1"  # a harmless same-site path
    for response in (raw, literal):
        assert [v for k, v in response.headers.multi_items() if k == "set-cookie" and "x=1" in v] == []


@pytest.mark.parametrize(
    "target, location",
    [("/", "/"), ("/news/a?id=3&x=y#top", "/news/a?id=3&x=y#top"), ("/a%20b", "/a%20b"), ("/café", "/caf%C3%A9")],
)
def test_same_site_next_is_kept_and_ascii_only(target, location, client, make_app):
    response = client(make_app()).post("/consent", data={"action": "accept", "next": target})
    assert response.headers["location"] == location


# -- POST {prefix}: cross-site requests ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.test"},
        {"origin": "null"},
        {"origin": ""},
        {"origin": "http://testserver:8080"},
        {"origin": "http://testserver.evil.test"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "cross-site", "origin": "http://testserver"},
        {"referer": "https://evil.test/page"},
        {"referer": "android-app://com.evil/"},
    ],
)
def test_post_from_another_site_is_forbidden_and_sets_no_cookie(headers, client, make_app):
    calls = []
    c = client(make_app(on_decision=calls.append))
    c.post("/consent", data={"action": "accept"})
    for kwargs in ({"data": {"action": "withdraw"}}, {"data": {"action": "reject"}}, {"json": {"action": "reject"}}):
        response = c.post("/consent", headers=headers, **kwargs)
        assert response.status_code == 403 and "set-cookie" not in response.headers
    assert c.get("/consent").json()["categories"] == ALL  # the visitor's choice is untouched
    assert len(calls) == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://testserver"},
        {"origin": "https://testserver"},
        {"origin": "HTTP://TestServer"},
        {"referer": "http://testserver/article"},
        {"sec-fetch-site": "same-origin", "origin": "http://testserver"},
        {},
    ],
)
def test_post_from_this_site_is_accepted(headers, client, make_app):
    response = client(make_app()).post("/consent", data={"action": "accept"}, headers=headers)
    assert response.status_code == 303 and "set-cookie" in response.headers


@pytest.mark.parametrize(
    "origin, cookie_domain, status",
    [
        ("http://shop.example.com", "example.com", 303),
        ("http://example.com", "example.com", 303),
        ("http://a.b.example.com", "example.com", 303),
        ("http://shop.example.com", None, 403),
        ("http://evilexample.com", "example.com", 403),
        ("http://example.com.evil.test", "example.com", 403),
        ("http://shop.example.com:8080", "example.com", 403),
    ],
)
def test_subdomain_origin_is_allowed_only_when_the_cookie_domain_covers_it(
    origin, cookie_domain, status, client, make_app
):
    c = client(make_app(cookie_domain=cookie_domain), base_url="http://www.example.com")
    response = c.post("/consent", data={"action": "accept"}, headers={"origin": origin})
    assert response.status_code == status
    assert ("set-cookie" in response.headers) == (status == 303)


# -- POST {prefix}: bad requests never succeed, never set a cookie, never 500 ----------------------------------------

JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    "kwargs, status",
    [
        ({"data": {"action": "delete-everything"}}, 400),
        ({"data": {"next": "/"}}, 400),
        ({"content": b""}, 400),
        ({"json": {"action": ["accept"]}}, 400),
        ({"json": {"action": "save", "categories": 5}}, 400),
        ({"json": {"action": "save", "categories": None}}, 400),
        ({"json": ["accept"]}, 400),
        ({"json": "accept"}, 400),
        ({"content": b'{"action": "accept"', "headers": JSON}, 400),
        ({"content": b"\xff\xfe{}", "headers": JSON}, 400),
        ({"content": b'{"a": ' + b"1" * 5000 + b"}", "headers": JSON}, 400),
        ({"content": b"action=accept&next=/caf\xe9"}, 400),
        ({"content": b"action=accept&" + b"x=1&" * 300}, 400),
        ({"content": b"action=accept&pad=" + b"x" * 100_000}, 413),
        ({"content": iter([b"action=accept&pad=", b"x" * 10_000, b"x" * 10_000])}, 413),
        ({"content": b"action=accept", "headers": {"content-length": "abc"}}, (400, 413)),
        ({"files": {"f": ("a.txt", b"x")}, "data": {"action": "accept"}}, 415),
        ({"content": b"action=accept", "headers": {"content-type": "text/plain"}}, 415),
        ({"content": b"<action>accept</action>", "headers": {"content-type": "application/xml"}}, 415),
    ],
    ids=[
        "unknown-action",
        "missing-action",
        "empty-body",
        "action-list",
        "categories-int",
        "categories-null",
        "json-array",
        "json-string",
        "json-truncated",
        "json-not-utf8",
        "json-huge-int",
        "form-not-utf8",
        "form-too-many-fields",
        "form-100KB",
        "chunked-20KB",
        "bad-content-length",
        "multipart",
        "text-plain",
        "xml",
    ],
)
def test_malformed_consent_posts_are_client_errors(kwargs, status, client, make_app):
    response = client(make_app(), raise_server_exceptions=False).post("/consent", **kwargs)
    assert response.status_code in (status if isinstance(status, tuple) else (status,))
    assert "set-cookie" not in response.headers


def test_deeply_nested_json_is_a_client_error_not_a_500(client, make_app):
    c = client(make_app(), raise_server_exceptions=False)
    assert c.post("/consent", content=b"[" * 16000, headers=JSON).status_code == 400


@pytest.mark.parametrize(
    "path, method, allow",
    [("/consent", m, "GET, HEAD, POST") for m in ("PUT", "DELETE", "PATCH", "OPTIONS")]
    + [(p, m, "GET, HEAD") for p in ("/consent/settings", "/privacy") for m in ("POST", "PUT", "DELETE")],
)
def test_other_methods_are_405_with_allow(path, method, allow, client, make_app):
    response = client(make_app()).request(method, path)
    assert response.status_code == 405 and response.headers["allow"] == allow
    assert "set-cookie" not in response.headers


# -- GET {prefix} -------------------------------------------------------------------------------------------


def test_get_endpoint_returns_private_uncacheable_state_json(client, make_app):
    response = client(make_app(policy_version="2024-05")).get("/consent")
    assert response.status_code == 200
    assert response.json() == {
        "decided": False,
        "categories": NONE,
        "policy_version": "2024-05",
        "mode": "opt-in",
        "gpc": False,
    }
    assert response.headers["cache-control"] == "private, no-store" and response.headers["vary"] == "Cookie"
    assert "set-cookie" not in response.headers
    assert client(make_app()).head("/consent").status_code == 200


def test_get_endpoint_reflects_the_cookie(client, make_app, sign):
    body = client(make_app()).get("/consent", headers=with_cookie(sign(("marketing",)))).json()
    assert body["decided"] is True and body["categories"] == MARKETING


def test_an_app_mutating_its_scope_state_does_not_change_other_visitors_state(client, make_app):
    async def meddle(request):
        try:
            request.scope["consent"].categories["analytics"] = True  # a careless app "granting" for one request
        except TypeError:
            return PlainTextResponse("read-only")
        return PlainTextResponse("ok")

    app = make_app()
    app.router.routes.append(Route("/meddle", meddle))
    assert client(app).get("/meddle").text == "read-only"
    assert client(app).get("/consent").json()["categories"] == NONE


# -- on_decision -----------------------------------------------------------------------------------------------------


def test_sync_on_decision_is_called_once_per_post_with_the_decision(client, make_app):
    calls: list[ConsentDecision] = []
    c = client(make_app(on_decision=calls.append, policy_version="7"))
    first = c.post("/consent", data={"action": "save", "category": "analytics"})
    assert len(calls) == 1
    decision = calls[0]
    assert isinstance(decision, ConsentDecision)
    assert (decision.action, decision.policy_version, decision.mode) == ("save", "7", "opt-in")
    assert decision.categories == ANALYTICS and decision.time.tzinfo is not None
    assert f":{decision.consent_id}." in first.headers["set-cookie"]  # the id the cookie carries
    c.post("/consent", data={"action": "accept"})
    c.post("/consent", data={"action": "withdraw"})
    assert [d.action for d in calls] == ["save", "accept", "withdraw"]
    assert {d.consent_id for d in calls} == {decision.consent_id}  # the same visitor keeps one id
    assert calls[1].categories == ALL and calls[2].categories == NONE


def test_async_on_decision_is_awaited_once_per_post(client, make_app):
    calls: list[ConsentDecision] = []

    async def hook(decision: ConsentDecision) -> None:
        calls.append(decision)

    client(make_app(on_decision=hook)).post("/consent", json={"action": "reject"})
    assert [(d.action, d.categories) for d in calls] == [("reject", NONE)]


def test_on_decision_is_not_called_for_refused_requests(client, make_app):
    calls: list[ConsentDecision] = []
    c = client(make_app(on_decision=calls.append))
    c.post("/consent", data={"action": "bogus"})
    c.post("/consent", data={"action": "accept"}, headers={"origin": "https://evil.test"})
    c.get("/consent")
    assert calls == []


@pytest.mark.parametrize("is_async", [False, True])
def test_failing_on_decision_still_saves_the_choice_and_logs(caplog, is_async, client, make_app):
    def sync_hook(decision):
        raise RuntimeError("database down")

    async def async_hook(decision):
        raise RuntimeError("database down")

    c = client(make_app(on_decision=async_hook if is_async else sync_hook))
    with caplog.at_level(logging.ERROR, logger="consent"):
        response = c.post("/consent", data={"action": "accept", "next": "/back"})
    assert response.status_code == 303 and response.headers["location"] == "/back"
    assert response.headers["set-cookie"].startswith("consent=1:")
    assert c.get("/json").json()["decided"] is True
    records = [r for r in caplog.records if r.name == "consent"]
    assert records and records[0].exc_info is not None and "database down" in caplog.text


# -- the settings page -------------------------------------------------------------------------------------------------


def test_settings_page_for_an_undecided_opt_in_visitor_ticks_nothing_optional(client, make_app):
    response = client(make_app()).get("/consent/settings")
    html = response.text
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "private, no-store" and "set-cookie" not in response.headers
    assert re.search(r'<form[^>]*method="post" action="/consent"', html)
    assert set(checkboxes(html)) == {"necessary", "analytics", "marketing"}
    assert checked(html) == {"necessary"}
    assert "disabled" in checkboxes(html)["necessary"] and "disabled" not in checkboxes(html)["analytics"]
    assert buttons(html) == ["save", "accept", "reject"]
    assert hidden_next(html) == "/"


def test_settings_page_for_an_undecided_opt_out_visitor_ticks_everything(client, make_app):
    html = client(make_app(mode="opt-out")).get("/consent/settings").text
    assert checked(html) == {"necessary", "analytics", "marketing"}
    assert "withdraw" not in buttons(html)


def test_settings_page_reflects_a_decided_choice_and_offers_withdraw(client, make_app):
    c = client(make_app(categories=[Category("preferences"), Category("analytics"), Category("marketing")]))
    c.post("/consent", data={"action": "save", "category": ["analytics"]})
    html = c.get("/consent/settings").text
    assert checked(html) == {"necessary", "analytics"}
    assert buttons(html) == ["save", "accept", "reject", "withdraw"]


def test_settings_page_round_trip_saves_the_ticked_boxes(client, make_app):
    c = client(make_app())
    form = {"action": "save", "next": hidden_next(c.get("/consent/settings?next=/article").text)}
    response = c.post("/consent", data={**form, "category": ["marketing"]})
    assert response.headers["location"] == "/article"
    assert checked(c.get("/consent/settings").text) == {"necessary", "marketing"}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("next=/article%3Fid%3D3", "/article?id=3"),
        ("next=//evil.test", "/"),
        ("next=/%5Cevil.test", "/"),
        ("next=https://evil.test", "/"),
        ("next=javascript:alert(1)", "/"),
        ("next=/%09/evil.test", "/"),
        ("", "/"),
        ("next=/%22%3E%3Cscript%3Ealert(1)%3C/script%3E", "/%22%3E%3Cscript%3Ealert(1)%3C/script%3E"),
    ],
)
def test_settings_page_honours_next_and_sanitises_it(query, expected, client, make_app):
    html = client(make_app()).get(f"/consent/settings?{query}").text
    assert hidden_next(html) == expected
    assert f'href="{expected}"' in html  # the "back to the site" link
    assert "<script>alert" not in html


# -- the policy page -------------------------------------------------------------------------------------------------

DECLARED = [
    CookieDeclaration("sessionid", "necessary", "This site", "Keeps you signed in", None),
    CookieDeclaration("_ga", "analytics", "Google", "Distinguishes visitors", timedelta(days=390)),
    CookieDeclaration("_gid", "analytics", "Google", "Counts today's visits", timedelta(days=1)),
    CookieDeclaration("IDE", "marketing", "DoubleClick", "Targets ads", timedelta(days=730), third_party=True),
]
CONSENT_PURPOSE = "Remembers your privacy choice, so that you are not asked again on every page."


def rows(html: str) -> list[list[str]]:
    """Name, provider, purpose and duration of each cookie row (further columns are not looked at)."""
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)][:4]
        for row in re.findall(r"<tr>(<td.*?)</tr>", html)
    ]


def test_policy_page_lists_declared_cookies_with_written_out_durations(client, make_app):
    response = client(make_app(cookies=DECLARED, max_age=timedelta(days=390))).get("/privacy")
    assert response.status_code == 200 and "set-cookie" not in response.headers
    assert response.headers["cache-control"] == "private, no-store"
    assert rows(response.text) == [
        ["consent", "This site", CONSENT_PURPOSE, "13 months"],
        ["sessionid", "This site", "Keeps you signed in", "Until you close the browser"],
        ["_ga", "Google", "Distinguishes visitors", "13 months"],
        ["_gid", "Google", "Counts today&#39;s visits", "1 day"],
        ["IDE", "DoubleClick", "Targets ads", "2 years"],
    ]


def test_policy_page_groups_cookies_under_their_category_headings(client, make_app):
    app = make_app(cookies=DECLARED, categories=[Category("analytics"), Category("marketing")])
    sections = re.split(r'<h3 id="consent-group-', client(app).get("/privacy").text)[1:]
    by_key = {s.split('"')[0]: [r[0] for r in rows(s)] for s in sections}
    assert by_key == {"necessary": ["consent", "sessionid"], "analytics": ["_ga", "_gid"], "marketing": ["IDE"]}


def test_policy_page_lists_the_consent_cookie_under_its_configured_name_and_lifetime(client, make_app):
    html = client(make_app(cookie_name="site_consent", max_age=3600)).get("/privacy").text
    assert rows(html) == [["site_consent", "This site", CONSENT_PURPOSE, "1 hour"]]
    assert "No cookies of this kind are declared." in html


def test_policy_page_shows_the_current_choice_and_links_to_settings(client, make_app):
    c = client(make_app())
    assert "You have not made a choice yet." in c.get("/privacy").text
    c.post("/consent", data={"action": "save", "category": "analytics"})
    html = c.get("/privacy").text
    for line in ("Necessary: <strong>Allowed", "Analytics: <strong>Allowed", "Marketing: <strong>Not allowed"):
        assert f"<li>{line}</strong></li>" in html
    assert 'href="/consent/settings?next=/privacy"' in html


# -- hostile configuration text is escaped everywhere -----------------------------------------------------------------

DAY = timedelta(days=1)
EVIL = '<script>alert(1)</script>"onmouseover=alert(2) x="'


def test_hostile_configuration_text_is_escaped_in_banner_settings_and_policy(client, make_app):
    categories = [Category("analytics", EVIL, EVIL), Category("custom", EVIL, EVIL)]
    cookies = [
        CookieDeclaration(EVIL, "custom", EVIL, EVIL, None),
        CookieDeclaration("a", "analytics", EVIL, EVIL, DAY),
    ]
    c = client(make_app(categories=categories, cookies=cookies))
    for path in ("/", "/consent/settings", "/privacy"):
        html = c.get(path).text
        assert "<script>alert(1)" not in html and '"onmouseover=' not in html, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in c.get("/consent/settings").text
    assert c.get("/privacy").text.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 8


# -- cookies that must count as "no decision" --------------------------------------------------------------------------


def test_policy_version_change_makes_an_old_cookie_undecided(client, make_app):
    c = client(make_app(policy_version="1"))
    c.post("/consent", data={"action": "accept"})
    old = c.cookies["consent"]
    fresh = client(make_app(policy_version="2"))
    assert fresh.get("/json", headers=with_cookie(old)).json()["decided"] is False
    assert BANNER in fresh.get("/", headers=with_cookie(old)).text


@pytest.mark.parametrize(
    "forge",
    [
        lambda sign: sign().rsplit(".", 1)[0] + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        lambda sign: sign().replace(":analytics:", ":analytics.marketing:"),
        lambda sign: sign(secret_key=OTHER_SECRET),
        lambda sign: sign(policy_version="old"),
        lambda sign: "garbage",
        lambda sign: "",
        lambda sign: '""',
        lambda sign: "a" * 5000,
        lambda sign: "1:1:analytics.marketing:id",
        lambda sign: "%FF%FE\\x00",
    ],
    ids=[
        "bad-signature",
        "tampered",
        "unknown-key",
        "old-policy",
        "garbage",
        "empty",
        "quotes",
        "5KB",
        "unsigned",
        "escapes",
    ],
)
def test_invalid_cookies_on_a_page_show_the_banner_and_never_error(forge, client, make_app, sign):
    value = forge(sign)
    c = client(make_app())
    page = c.get("/", headers=with_cookie(value))
    assert page.status_code == 200 and BANNER in page.text and "set-cookie" not in page.headers
    assert c.get("/json", headers=with_cookie(value)).json()["decided"] is False
    assert c.get("/consent/settings", headers=with_cookie(value)).status_code == 200


def test_expired_cookie_shows_the_banner(monkeypatch, client, make_app, sign):
    value = sign(max_age=60)
    real = itsdangerous.timed.TimestampSigner.get_timestamp
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: real(self) + 61)
    assert BANNER in client(make_app(max_age=60)).get("/", headers=with_cookie(value)).text


def test_page_responses_never_get_the_consent_cookie(client, make_app):
    c = client(make_app())
    assert "set-cookie" not in c.get("/").headers
    c.post("/consent", data={"action": "accept"})
    for path in ("/", "/json", "/consent", "/consent/settings", "/privacy"):
        assert "set-cookie" not in c.get(path).headers, path


# -- static assets ------------------------------------------------------------------------------------------


def asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]*/static/consent\.[0-9a-f]+\.(?:css|js))"', html)


def test_assets_are_served_immutable_and_gzipped_when_accepted(client, make_app):
    c = client(make_app())
    urls = asset_urls(c.get("/").text)
    assert sorted(u.rsplit(".", 1)[1] for u in urls) == ["css", "js"]
    served = {asset.path.rsplit(".", 1)[1]: asset.body for asset in load_assets().values()}
    for url in urls:
        original = served[url.rsplit(".", 1)[1]]  # the minified file the hash in the URL names
        zipped = c.get(url, headers={"accept-encoding": "gzip"})
        assert zipped.status_code == 200 and zipped.headers["content-encoding"] == "gzip"
        assert zipped.content == original
        assert zipped.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert zipped.headers["vary"] == "Accept-Encoding"
        plain = c.get(url, headers={"accept-encoding": "identity"})
        assert "content-encoding" not in plain.headers and plain.content == original
        assert plain.headers["content-type"].startswith("text/css" if url.endswith("css") else "text/javascript")
        assert "set-cookie" not in plain.headers
        assert c.post(url).status_code == 405


def test_assets_are_not_gzipped_when_gzip_is_refused(client, make_app):
    c = client(make_app())
    url = asset_urls(c.get("/").text)[0]
    assert "content-encoding" not in c.get(url, headers={"accept-encoding": "gzip;q=0, identity"}).headers


@pytest.mark.parametrize("path", ["/consent/static/consent.js", "/consent/static/nope.css", "/consent/static/"])
def test_unknown_asset_is_404(path, client, make_app):
    assert client(make_app()).get(path).status_code == 404


# -- mounted under a sub-path (root_path) --------------------------------------------------------------------------


def mounted(make_app) -> Starlette:
    return Starlette(routes=[Mount("/news", app=make_app())])


def test_mounted_banner_uses_the_root_path_for_form_action_assets_and_next(client, make_app):
    c = client(mounted(make_app))
    html = c.get("/news/").text
    assert 'action="/news/consent"' in html and hidden_next(html) == "/news/"
    assert 'href="/news/consent/settings?next=%2Fnews%2F"' in html and 'href="/news/privacy"' in html
    urls = asset_urls(html)
    assert urls and all(u.startswith("/news/consent/static/") and c.get(u).status_code == 200 for u in urls)


def test_mounted_endpoint_redirects_inside_the_mount(client, make_app):
    c = client(mounted(make_app))
    response = c.post("/news/consent", data={"action": "accept"})
    assert response.status_code == 303 and response.headers["location"] == "/news/"
    assert "Path=/;" in response.headers["set-cookie"]
    assert c.get("/news/consent").json()["decided"] is True
    assert REOPEN in c.get("/news/").text
    html = c.get("/news/consent/settings").text
    assert 'action="/news/consent"' in html and hidden_next(html) == "/news/"


def test_root_path_from_the_server_is_honoured(client, make_app):
    c = client(make_app(), root_path="/app")
    assert 'action="/app/consent"' in c.get("/app/").text
    assert c.post("/app/consent", data={"action": "reject"}).headers["location"] == "/app/"


def test_mounted_policy_page_links_to_settings_with_a_next_inside_the_mount(client, make_app):
    html = client(mounted(make_app)).get("/news/privacy").text
    assert 'href="/news/consent/settings?next=/news/privacy"' in html
