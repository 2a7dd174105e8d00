"""The policy and settings pages inside the site (issue 10, problem 5): the site's Jinja2 ``page_template``, a
``layout`` callable, fragments for the app's own pages, and by default the site's name and a link home."""

from __future__ import annotations

import html
from pathlib import Path

import jinja2
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.templating import Jinja2Templates
from starlette.testclient import TestClient

import consent
from consent import ConfigError, ConsentConfig, ConsentMiddleware

SECRET = "pages-" + "p" * 40
LAYOUT = """<!DOCTYPE html><html lang="{{ lang }}" dir="{{ dir }}">
<head><title>{{ consent_title }} | {{ site_name }}</title>{{ consent_head }}</head>
<body><header class="masthead"><a href="{{ url_for('home') }}">{{ site_name }}</a></header>
<main>{{ consent_body }}</main><footer>Footer of the site</footer></body></html>"""


def home(request: Request) -> HTMLResponse:
    return HTMLResponse("<!DOCTYPE html><html><body><p>Home</p></body></html>")


def make(**kwargs) -> TestClient:
    routes = kwargs.pop("routes", [Route("/", home, name="home")])
    config = ConsentConfig(secret_key=SECRET, locales=["en", "de"], **kwargs)
    app = Starlette(routes=routes)
    app.add_middleware(ConsentMiddleware, config=config)
    return TestClient(app, follow_redirects=False)


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    (tmp_path / "consent_page.html").write_text(LAYOUT, encoding="utf-8")
    return tmp_path


def test_by_default_both_pages_carry_the_site_name_and_a_link_home():
    client = make(site_name="Daily Pacific", site_url="/news/")
    for path in ("/privacy", "/consent/settings"):
        text = client.get(path).text
        assert '<a class="consent-page__site" href="/news/">Daily Pacific</a>' in text
        assert "· Daily Pacific</title>" in text
    assert '<a class="consent-link" href="/news/">Back to the site</a>' in client.get("/privacy").text


def test_without_site_name_the_masthead_names_the_host_and_never_reflects_junk():
    assert (
        '<a class="consent-page__site" href="/">news.example</a>'
        in make().get("/privacy", headers={"host": "news.example:8443"}).text
    )
    junk = make().get("/privacy", headers={"host": "<script>x</script>"}).text
    assert "consent-page__site" not in junk and "<script>x" not in junk


def test_mounted_app_links_home_inside_its_mount():
    config = ConsentConfig(secret_key=SECRET, locales=["en"], site_name="News")
    inner = Starlette(routes=[Route("/", home)])
    inner.add_middleware(ConsentMiddleware, config=config)
    from starlette.routing import Mount

    outer = Starlette(routes=[Mount("/edition", app=inner)])
    text = TestClient(outer).get("/edition/privacy").text
    assert 'href="/edition/">News</a>' in text and 'href="/edition/">Back to the site</a>' in text


def test_page_template_lays_out_both_pages_in_the_sites_own_template(templates):
    client = make(site_name="Daily Pacific", page_template="consent_page.html", templates=templates)
    for path, title in (
        ("/privacy?lang=de", "Datenschutz- und Cookie-Richtlinie"),
        ("/consent/settings", "Cookie settings"),
    ):
        text = client.get(path).text
        assert f"<title>{html.escape(title)} | Daily Pacific</title>" in text
        assert '<header class="masthead"><a href="http://testserver/">Daily Pacific</a></header>' in text  # url_for
        assert "<footer>Footer of the site</footer>" in text
        assert '<link rel="stylesheet" href="/consent/static/consent.' in text
        assert '<main><div class="consent-content">' in text
        assert "consent-page__site" not in text  # the site's masthead replaces ours
    # The settings form still works from inside the site's layout.
    assert 'name="action" value="accept"' in client.get("/consent/settings").text


def test_page_template_accepts_the_apps_jinja2_templates_or_environment(templates):
    for given in (
        Jinja2Templates(directory=str(templates)),
        jinja2.Environment(loader=jinja2.FileSystemLoader(templates)),
    ):
        client = make(site_name="S", page_template="consent_page.html", templates=given)
        assert "<footer>Footer of the site</footer>" in client.get("/privacy").text


def test_a_site_template_without_consent_head_still_gets_the_stylesheet(tmp_path):
    (tmp_path / "bare.html").write_text("<html><head><title>x</title></head><body>{{ consent_body }}</body></html>")
    text = make(page_template="bare.html", templates=tmp_path).get("/privacy").text
    assert text.index('<link rel="stylesheet" href="/consent/static/') < text.index("</head>")


def test_page_template_from_toml_is_relative_to_the_file(tmp_path, templates, monkeypatch):
    (tmp_path / "consent.toml").write_text(
        f'secret_key = "{SECRET}"\nsite_name = "T"\npage_template = "consent_page.html"\ntemplates = "."\n'
    )
    monkeypatch.chdir("/")
    config = ConsentConfig.from_toml(tmp_path / "consent.toml")
    assert Path(config.templates) == tmp_path


@pytest.mark.parametrize(
    "kwargs, key, fragment",
    [
        (dict(page_template="missing.html"), "page_template", "'missing.html' is not in templates"),
        (dict(page_template="consent_page.html", templates=None), "page_template", "needs templates"),
        (dict(page_template="consent_page.html", templates="/nonexistent/dir"), "templates", "not a directory"),
        (dict(templates="."), "templates", "only used with page_template"),
        (dict(page_template="consent_page.html", layout=lambda *a: ""), "page_template", "not both"),
        (dict(layout="base.html"), "layout", "callable"),
        (dict(site_url="javascript:alert(1)"), "site_url", "path"),
        (dict(site_name=""), "site_name", "non-empty"),
        (dict(reopen_link="no"), "reopen_link", "true or false"),
    ],
)
def test_page_layout_mistakes_fail_at_startup_naming_the_key(templates, kwargs, key, fragment):
    kwargs.setdefault("templates", templates) if "page_template" in kwargs and "templates" not in kwargs else None
    with pytest.raises(ConfigError) as info:
        ConsentConfig(secret_key=SECRET, locales=["en"], **kwargs)
    assert info.value.key == key and fragment in str(info.value), str(info.value)


def test_a_template_syntax_error_fails_at_startup_with_its_line(tmp_path):
    (tmp_path / "broken.html").write_text("<html>\n{% if %}\n</html>")
    with pytest.raises(ConfigError, match=r"^page_template: .*broken.html, line 2: "):
        ConsentConfig(secret_key=SECRET, page_template="broken.html", templates=tmp_path)


@pytest.mark.parametrize("is_async", [False, True])
def test_a_layout_callable_gets_the_request_title_and_body(is_async):
    seen = []

    def layout(request, title, body):
        seen.append((request.url.path, title))
        return f"<!DOCTYPE html><html><head></head><body><h1>Site</h1>{body}</body></html>"

    async def async_layout(request, title, body):
        return layout(request, title, body)

    client = make(layout=async_layout if is_async else layout)
    text = client.get("/privacy").text
    assert text.startswith('<!DOCTYPE html><html><head><link rel="stylesheet"') and "<h1>Site</h1>" in text
    assert seen == [("/privacy", "Privacy & Cookies Policy")]  # the title as text, not HTML


def test_fragments_let_the_app_render_the_policy_and_settings_in_its_own_pages():
    async def about_cookies(request):
        return HTMLResponse(f"<!DOCTYPE html><html><body><h1>Our site</h1>{consent.policy_html(request)}</body></html>")

    async def choices(request):
        return HTMLResponse(f"<!DOCTYPE html><html><body>{consent.settings_html(request)}</body></html>")

    async def links(request):
        return HTMLResponse(f"{consent.settings_url(request)} {consent.policy_url(request)}")

    routes = [Route("/privacy", about_cookies), Route("/choices", choices), Route("/links", links)]
    client = make(routes=routes, policy_path=None, read_more_url="/privacy")
    text = client.get("/privacy").text
    assert "<h1>Our site</h1>" in text and "Privacy &amp; Cookies Policy</h1>" in text
    assert '<link rel="stylesheet" href="/consent/static/consent.' in text
    assert 'href="/consent/settings?next=%2Fprivacy"' in text  # the settings link comes back to the app's page
    form = client.get("/choices?next=/privacy").text
    assert 'value="/privacy"' in form and 'value="accept"' in form
    assert client.get("/links?lang=de").text == "/consent/settings?next=%2Flinks%3Flang%3Dde&lang=de /privacy?lang=de"


def test_fragments_follow_the_language_the_app_set_on_the_request():
    async def page(request):
        request.scope["consent.locale"] = "de"
        return HTMLResponse(consent.policy_html(request))

    client = make(routes=[Route("/about", page)])
    assert "Datenschutz- und Cookie-Richtlinie" in client.get("/about").text


def test_helpers_without_the_middleware_say_how_to_install_it():
    async def page(request):
        consent.policy_html(request)

    app = Starlette(routes=[Route("/", page)])
    with pytest.raises(consent.MiddlewareMissing, match="ConsentMiddleware is not installed"):
        TestClient(app).get("/")


def test_policy_path_none_leaves_the_path_to_the_app():
    async def own(request):
        return HTMLResponse("the app's own policy page")

    client = make(routes=[Route("/privacy", own)], policy_path=None, read_more_url="/privacy")
    assert client.get("/privacy").text == "the app's own policy page"


def test_reopen_link_false_leaves_the_reopen_control_to_the_site():
    client = make(reopen_link=False)
    client.post("/consent", data={"action": "reject"})
    text = client.get("/").text
    assert 'id="consent-reopen"' not in text and "consent-banner" not in text
    fresh = make(reopen_link=False).get("/").text
    assert "data-reopen=" not in fresh  # the client script will not add one after a choice either


def test_lang_query_is_the_apps_to_read_while_our_pages_honour_it():
    """README, "Languages": the middleware does not read ``?lang=`` on the app's pages (the app says its
    page's language with <html lang> or scope["consent.locale"], as the example does); the banner's links
    carry ``lang=`` so our own pages follow the page the visitor came from."""

    async def plain(request):
        return HTMLResponse('<!DOCTYPE html><html lang="en"><body>x</body></html>')

    async def tells(request):
        request.scope["consent.locale"] = request.query_params.get("lang", "en")
        return HTMLResponse("<!DOCTYPE html><html><body>x</body></html>")

    client = make(routes=[Route("/plain", plain), Route("/tells", tells)])
    assert "Alle ablehnen" not in client.get("/plain?lang=de").text
    german = client.get("/tells?lang=de").text
    assert "Alle ablehnen" in german and "/consent/settings?next=%2Ftells%3Flang%3Dde&amp;lang=de" in german
    assert "Cookie-Einstellungen" in client.get("/consent/settings?lang=de").text
