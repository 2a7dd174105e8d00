"""consent.django in detail: what the core does under ASGI, it does through Django's responses (cookies,
streams, files, HEAD, root paths, languages), its endpoints never answer 500, and a wrong setup fails at start."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from . import scenario

pytest.importorskip("django", reason="Django is not installed (pip install -e '.[test]')")

from django.conf import settings
from django.core.asgi import get_asgi_application
from django.http import HttpResponse
from django.template import Context, Template, TemplateSyntaxError
from django.test import AsyncClient, Client, RequestFactory, override_settings

from consent import ConfigError, ConsentMiddleware
from consent.django import get_config
from consent.django._bridge import ResponseHeaders, morsel
from consent.django._checks import check_consent
from consent.testing import consent_cookie, set_consent

OURS = "consent.django.ConsentMiddleware"


def consent(**changes: object) -> dict[str, object]:
    return {**settings.CONSENT, **changes}


# -- responses ---------------------------------------------------------------------------------------------------


def test_cookies_of_refused_categories_never_leave_and_allowed_ones_do() -> None:
    client = Client()
    undecided = client.get("/cookies")
    assert "_ga" not in undecided.cookies and undecided.cookies["sessionid"]["httponly"]
    assert "Cookie" in undecided["Vary"] and 'id="consent-banner"' in undecided.content.decode()
    set_consent(client, categories=["analytics"])
    assert client.get("/cookies").cookies["_ga"].value == "GA1.1.1.1"


@pytest.mark.parametrize("size", [1, 7, 4096])
def test_a_page_streamed_in_any_chunks_comes_out_as_the_whole_page_does(size: int) -> None:
    client = Client()
    whole = client.get("/page")
    streamed = client.get("/page", headers={"x-chunk": str(size)})
    assert streamed.streaming and not streamed.has_header("Content-Length")
    assert b"".join(streamed.streaming_content) == whole.content
    assert whole["Content-Length"] == str(len(whole.content))
    assert 'id="consent-banner"' in whole.content.decode()


def test_an_html_file_response_is_rewritten_not_handed_to_the_wsgi_file_wrapper() -> None:
    response = Client().get("/file")
    assert response.file_to_stream is None  # Django would give the raw file to wsgi.file_wrapper
    text = b"".join(response.streaming_content).decode()
    scenario.first_part_streamed(text.replace("part 2", ""))
    assert text.endswith("<p>part 2</p></body></html>")


def test_json_passes_untouched_and_head_gets_the_headers_of_a_streamed_page() -> None:
    client = Client()
    summary = client.get("/api/consent-summary")
    assert summary.json() == {
        "decided": False,
        "categories": {"necessary": True, "analytics": False, "marketing": False},
    }
    assert not summary.has_header("Cache-Control")
    head = client.head("/articles/harbour")
    assert head.status_code == 200 and head.content == b""
    assert not head.has_header("Content-Length") and head["Cache-Control"] == "private"


def test_a_tampered_cookie_is_no_decision() -> None:
    client = Client()
    value = consent_cookie(categories="all")["consent"]
    client.cookies["consent"] = value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB")
    scenario.new_visitor_page(client.get("/articles/harbour").content.decode())


def test_under_a_script_name_the_banner_and_endpoints_live_under_it() -> None:
    client = Client()
    page = client.get("/articles/harbour", SCRIPT_NAME="/news").content.decode()
    assert '<form class="consent-banner__form" method="post" action="/news/consent">' in page
    assert 'href="/news/consent/settings?next=%2Fnews%2Farticles%2Fharbour">Cookie settings</a>' in page
    settings_page = client.get("/consent/settings", SCRIPT_NAME="/news")
    assert settings_page.status_code == 200 and 'action="/news/consent"' in settings_page.content.decode()


def test_djangos_active_language_chooses_the_banners_and_the_footer_links_language() -> None:
    page = Client(headers={"accept-language": "de-DE,de;q=0.9"}).get("/articles/harbour").content.decode()
    assert '<html lang="de"' in page  # LocaleMiddleware's request.LANGUAGE_CODE
    assert 'id="consent-banner" class="consent-banner" role="dialog"' in page and 'lang="de" dir="ltr"' in page
    assert "Alle ablehnen" in page
    assert 'href="/consent/settings?next=%2Farticles%2Fharbour&amp;lang=de">Cookie settings</a>' in page


def test_an_excluded_path_is_not_rewritten_but_the_view_still_gets_the_state() -> None:
    with override_settings(CONSENT=consent(exclude_paths=["/articles/"])):
        page = Client().get("/articles/harbour").content.decode()
    assert 'id="consent-banner"' not in page and scenario.LIVE not in page  # inert as written
    assert '<script type="text/plain" data-consent="analytics"' in page


def test_response_headers_keep_their_spelling_and_dropped_cookies_go() -> None:
    response = HttpResponse("x", headers={"X-Custom": "1"})
    response.set_cookie("_ga", "1")
    before = [k for k, _ in response.items()]
    headers = ResponseHeaders(response)
    start = headers.start()
    kept = [(k, v) for k, v in start["headers"] if k != b"set-cookie"] + [(b"vary", b"Cookie")]
    headers.apply(kept)
    assert "_ga" not in response.cookies and response["X-Custom"] == "1" and response["Vary"] == "Cookie"
    assert [k for k, _ in response.items()] == [*before, "Vary"]


def test_our_set_cookie_lines_become_morsels_with_exactly_their_attributes() -> None:
    line = b"consent=1:v:analytics:id.ts.sig; Path=/; Max-Age=15552000; SameSite=Lax; Secure; Domain=example.com"
    found = morsel(line)
    assert found is not None and found.coded_value == "1:v:analytics:id.ts.sig"
    assert (found["path"], found["max-age"], found["samesite"], found["secure"], found["domain"]) == (
        "/",
        "15552000",
        "Lax",
        True,
        "example.com",
    )
    expired = morsel(b"_ga=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT")
    assert expired is not None and expired["expires"] == "Thu, 01 Jan 1970 00:00:00 GMT"
    assert morsel(b"a=b; Partitioned") is None  # sent as it is instead


# -- endpoints ---------------------------------------------------------------------------------------------------


def test_endpoint_errors_are_clear_4xx_never_500() -> None:
    client = Client()
    assert client.post("/consent", "action=accept", content_type="multipart/form-data; boundary=x").status_code == 415
    assert client.post("/consent", "action=" + "a" * 20000, content_type=scenario.FORM).status_code == 413
    assert client.post("/consent", "action=sell", content_type=scenario.FORM).status_code == 400
    assert client.put("/consent", "action=accept", content_type=scenario.FORM).status_code == 405
    assert client.post("/consent", "action=accept", content_type=scenario.FORM, HTTP_ORIGIN="null").status_code == 403
    state = client.get("/consent")
    assert state.json()["decided"] is False and state["Cache-Control"] == "private, no-store"
    assert client.get("/.well-known/gpc.json").json()["gpc"] is True
    assert client.get("/consent/static/nothing.css").status_code == 404


def test_a_refusal_expires_the_refused_cookies_for_the_host_and_its_domain() -> None:
    client = Client()
    client.cookies["_ga"] = "GA1.1.1.1"
    response = client.post("/consent", "action=reject", content_type=scenario.FORM, HTTP_HOST="news.example.com")
    lines = [v for k, v in response.items() if k == "Set-Cookie"] + [
        m.OutputString() for m in response.cookies.values()
    ]
    expired = sorted(line for line in lines if line.startswith("_ga="))
    assert len(expired) == 2 and "Domain=news.example.com" in expired[0] and "Domain" not in expired[1]
    assert response.cookies["consent"].value.startswith("1:2026-11::")  # a refusal, remembered


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_on_decision_runs_after_the_answer_and_never_holds_it(mode: str) -> None:
    release, called = threading.Event(), threading.Event()
    records = []

    def hook(record: object) -> None:
        release.wait(10)  # held until the test has its answer
        records.append(record)
        called.set()

    with override_settings(CONSENT=consent(on_decision=hook)):
        if mode == "sync":
            response = Client().post("/consent", scenario.ACCEPT, content_type=scenario.FORM)
        else:
            response = asyncio.run(AsyncClient().post("/consent", scenario.ACCEPT, content_type=scenario.FORM))
        assert response.status_code == 303 and records == []  # answered while the hook still waits
        release.set()
        assert called.wait(10)
    assert records[0].action == "accept" and records[0].path == "/articles/harbour"


def test_the_consent_log_is_written_before_the_answer_under_wsgi(tmp_path: Path) -> None:
    database = tmp_path / "consent-log.db"
    with override_settings(CONSENT=consent(consent_log=str(database))):
        response = Client().post("/consent", scenario.ACCEPT, content_type=scenario.FORM)
        assert response.status_code == 303
        with sqlite3.connect(database) as db:
            tables = [name for (name,) in db.execute("select name from sqlite_master where type = 'table'")]
            counts = {name: db.execute(f"select count(*) from {name}").fetchone()[0] for name in tables}
    assert any(count == 1 for name, count in counts.items() if "text" not in name), counts


# -- the pages in the site's layout, templates -------------------------------------------------------------------


def test_policy_and_settings_pages_are_in_the_sites_django_layout() -> None:
    client = Client()
    policy = client.get("/privacy?lang=de").content.decode()
    assert '<html lang="de" dir="ltr">' in policy
    assert "<title>Datenschutz- und Cookie-Richtlinie - The Harbour Gazette</title>" in policy
    assert "© 2026 The Harbour Gazette" in policy and '<link rel="stylesheet" href="/consent/static/' in policy
    page = client.get("/consent/settings?next=/articles/harbour").content.decode()
    assert "<title>Cookie settings - The Harbour Gazette</title>" in page
    assert '<input type="hidden" name="next" value="/articles/harbour">' in page


def test_template_tags_need_the_request_and_take_a_next() -> None:
    request = RequestFactory().get("/articles/market")
    with pytest.raises(TemplateSyntaxError, match="need the request in the template context"):
        Template("{% load consent %}{% consent_policy_url %}").render(Context({}))
    Client().get("/")  # the middleware puts the state on requests; here, by hand:
    from consent.django._middleware import _visit

    _visit(request)
    html = Template('{% load consent %}{% consent_settings_url next="/" %}|{% consent_policy_url %}').render(
        Context({"request": request})
    )
    assert html == "/consent/settings?next=%2F|/privacy"
    assert request.consent.decided is False


# -- configuration and placement ----------------------------------------------------------------------------------


def test_a_wrong_setting_fails_when_the_middleware_loads_naming_setting_and_key() -> None:
    with override_settings(CONSENT=consent(max_age="forever")):
        with pytest.raises(ConfigError, match=r"^settings\.CONSENT: max_age: ") as error:
            Client().get("/")
        assert settings.CONSENT["secret_key"] not in str(error.value)
    with override_settings(CONSENT=consent(secret_key="tiny-key-x")):
        with pytest.raises(ConfigError, match=r"^settings\.CONSENT: secret_key: ") as error:
            get_config()
        assert "tiny-key-x" not in str(error.value)
    with override_settings(CONSENT=["secret"]):
        with pytest.raises(ConfigError, match=r"CONSENT: must be a dict"):
            get_config()
    del_settings = override_settings()
    del_settings.enable()
    try:
        del settings.CONSENT
        with pytest.raises(ConfigError, match=r"CONSENT: is not set: put CONSENT = \{...\}"):
            get_config()
    finally:
        del_settings.disable()


def test_consent_toml_is_read_with_consent_as_overrides_and_its_errors_name_the_file(tmp_path: Path) -> None:
    toml = tmp_path / "consent.toml"
    toml.write_text('policy_version = "2027-01"\nsite_name = "From the file"\n')
    with override_settings(CONSENT_TOML=str(toml), CONSENT={"secret_key": "t" * 40}):
        assert (get_config().policy_version, get_config().site_name) == ("2027-01", "From the file")
    toml.write_text('max_age = "forever"\n')
    with override_settings(CONSENT_TOML=str(toml), CONSENT={"secret_key": "t" * 40}):
        with pytest.raises(ConfigError, match=r"consent\.toml: max_age: "):
            get_config()


def test_system_checks_report_a_bad_configuration_and_a_bad_placement() -> None:
    assert check_consent() == []
    with override_settings(CONSENT=consent(policy_version="no spaces")):
        assert [m.id for m in check_consent()] == ["consent.E001"]
    middleware = list(settings.MIDDLEWARE)
    gzip = "django.middleware.gzip.GZipMiddleware"
    swapped = [m for m in middleware if m != gzip] + [gzip]
    with override_settings(MIDDLEWARE=swapped):
        assert [m.id for m in check_consent()] == ["consent.W001"]
    with override_settings(MIDDLEWARE=[m if m != OURS else "consent.ConsentMiddleware" for m in middleware]):
        assert [m.id for m in check_consent()] == ["consent.E002"]


def test_the_asgi_recipe_works_and_the_django_middleware_then_only_passes_the_state_on() -> None:
    from starlette.testclient import TestClient

    # Django's GZipMiddleware is inside the wrapper here: it would hand it compressed pages (no banner).
    plain = [m for m in settings.MIDDLEWARE if m != "django.middleware.gzip.GZipMiddleware"]
    without = [m for m in plain if m != OURS]
    for middleware in (without, plain):  # asgi.py wrapped; and both installed at once
        with override_settings(MIDDLEWARE=middleware):
            app = ConsentMiddleware(get_asgi_application(), config=get_config())
            client = TestClient(app, follow_redirects=False)
            page = client.get("/page").text
            assert page.count('id="consent-banner"') == 1
            assert client.get("/state").json() == {"decided": False}
            assert (
                client.post("/consent", content=scenario.ACCEPT, headers={"content-type": scenario.FORM}).status_code
                == 303
            )
            assert client.get("/state").json() == {"decided": True}
