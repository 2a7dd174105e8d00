"""Framework integrations (issue 10): FastAPI (typed dependency), Jinja2 (helpers for the site's own footer),
Litestar (wrap the app; route middleware refused at startup), Quart (wrap ``app.asgi_app``), and the testing
helpers for a site's own tests. Each example under examples/ runs here in-process."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import jinja2
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

import consent.jinja
from consent import ConfigError, ConsentConfig, ConsentMiddleware, MiddlewareMissing
from consent.fastapi import Consent
from consent.testing import clear_consent, consent_cookie, set_consent

ROOT = Path(__file__).resolve().parents[2]
SECRET = "frameworks-" + "f" * 40
PAGE = "<!DOCTYPE html><html><body><p>{}</p></body></html>"


def example(name: str) -> ModuleType:
    path = ROOT / "examples" / name / "app.py"
    spec = importlib.util.spec_from_file_location(f"example_{name}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # Litestar resolves handler annotations through sys.modules
    spec.loader.exec_module(module)
    return module


def config(**kwargs) -> ConsentConfig:
    return ConsentConfig(secret_key=SECRET, locales=["en", "de"], **kwargs)


# -- FastAPI ---------------------------------------------------------------------------------------------------


def test_fastapi_example_serves_the_state_through_the_typed_dependency():
    site = example("fastapi_site")
    client = TestClient(site.app)
    assert client.get("/api/consent-summary").json() == {
        "decided": False,
        "categories": {"necessary": True, "analytics": False, "marketing": False},
    }
    set_consent(client, site.config, ["marketing"])
    assert client.get("/api/consent-summary").json()["categories"]["marketing"] is True
    assert "Advertisement" in client.get("/articles/harbour").text


def test_fastapi_example_pages_are_in_the_sites_layout_and_docs_get_no_banner():
    site = example("fastapi_site")
    client = TestClient(site.app)
    policy = client.get("/privacy?lang=de").text
    assert "<title>Datenschutz- und Cookie-Richtlinie - The Harbour Gazette</title>" in policy
    assert '<html lang="de">' in policy and "© 2026 The Harbour Gazette" in policy
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower() and "consent-banner" not in docs.text


def test_fastapi_example_tests_pass_as_a_user_would_run_them():
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "examples/fastapi_site/test_site.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout


def test_fastapi_dependency_without_the_middleware_says_how_to_install_it():
    from fastapi import FastAPI

    def make(with_middleware: bool) -> FastAPI:
        app = FastAPI()

        @app.get("/")
        async def home(state: Consent) -> dict[str, bool]:
            return {"decided": state.decided}

        if with_middleware:
            app.add_middleware(ConsentMiddleware, config=config())
        return app

    with pytest.raises(MiddlewareMissing, match=r"app.add_middleware\(ConsentMiddleware, config=...\)"):
        TestClient(make(False)).get("/")
    assert TestClient(make(True)).get("/").json() == {"decided": False}


# -- Jinja2 ----------------------------------------------------------------------------------------------------

FOOTER = (
    '<footer><a href="{{ consent_settings_url() }}">Cookie settings</a> '
    '<a href="{{ consent_policy_url() }}">Privacy</a>'
    "{% if consent_state().allows('marketing') %} ads{% endif %}</footer>"
)


def jinja_app(render) -> TestClient:
    async def page(request: Request) -> Response:
        out = render(request)
        return out if isinstance(out, Response) else HTMLResponse(out)

    app = Starlette(routes=[Route("/news/{slug}", page)])
    app.add_middleware(ConsentMiddleware, config=config(reopen_link=False))
    return TestClient(app)


@pytest.mark.parametrize("how", ["context_processor", "install"])
def test_jinja_helpers_put_the_settings_and_policy_links_in_the_sites_footer(how):
    env = jinja2.Environment(autoescape=True)
    if how == "install":
        consent.jinja.install(env)
    template = env.from_string(FOOTER)

    def render(request):
        extra = consent.jinja.context_processor(request) if how == "context_processor" else {}
        return template.render(request=request, **extra)

    client = jinja_app(render)
    assert client.get("/news/a?lang=de").text == (
        '<footer><a href="/consent/settings?next=%2Fnews%2Fa%3Flang%3Dde&amp;lang=de">Cookie settings</a> '
        '<a href="/privacy?lang=de">Privacy</a></footer>'
    )
    set_consent(client, config(), "all")  # same secret: any config object of the site's signs alike
    assert client.get("/news/a").text.endswith(" ads</footer>")


def test_the_jinja_context_processor_works_with_starlette_jinja2templates(tmp_path):
    from starlette.templating import Jinja2Templates

    (tmp_path / "page.html").write_text("<!DOCTYPE html><html><body>" + FOOTER + "</body></html>")
    templates = Jinja2Templates(directory=str(tmp_path), context_processors=[consent.jinja.context_processor])
    client = jinja_app(lambda request: templates.TemplateResponse(request, "page.html"))
    text = client.get("/news/b").text
    assert '<a href="/consent/settings?next=%2Fnews%2Fb">Cookie settings</a>' in text
    assert 'id="consent-banner"' in text and 'id="consent-reopen"' not in text


# -- Litestar --------------------------------------------------------------------------------------------------


def test_litestar_recipe_wrapping_the_app_serves_banner_endpoints_and_pages():
    from litestar.testing import TestClient as LitestarClient

    site = example("litestar_site")
    with LitestarClient(site.app) as client:
        home = client.get("/")
        assert 'id="consent-banner"' in home.text and "No advertising" in home.text
        assert 'href="/consent/settings?next=%2F"' in home.text
        assert client.get("/privacy").status_code == 200
        assert client.get(home.text.split('<link rel="stylesheet" href="')[1].split('"')[0]).status_code == 200
        decided = client.post("/consent", data={"action": "accept"}, follow_redirects=False)
        assert decided.status_code == 303 and "consent=" in decided.headers["set-cookie"]
        assert "Advertisement" in client.get("/").text


def test_litestar_route_middleware_is_refused_at_startup_with_the_recipe():
    from litestar import Litestar, get
    from litestar.middleware.base import DefineMiddleware

    @get("/")
    async def home() -> str:
        return "hi"

    with pytest.raises(ConfigError, match=r"DefineMiddleware.*app = ConsentMiddleware\(Litestar\("):
        Litestar(route_handlers=[home], middleware=[DefineMiddleware(ConsentMiddleware, config=config())])


# -- Quart -----------------------------------------------------------------------------------------------------


def test_quart_recipe_wrapping_asgi_app_serves_banner_endpoints_and_pages():
    site = example("quart_site")
    client = TestClient(site.app, follow_redirects=False)
    home = client.get("/")
    assert 'id="consent-banner"' in home.text and "No advertising" in home.text
    assert 'type="text/plain" data-consent="analytics"' in home.text
    assert client.get("/consent/settings").status_code == 200 and client.get("/privacy").status_code == 200
    assert client.post("/consent", data={"action": "accept"}).status_code == 303
    page = client.get("/").text
    assert "Advertisement" in page and 'id="consent-banner"' not in page
    assert '<script data-consent="analytics" async src="https://www.googletagmanager.com/gtag/js?id=G-QUART"' in page


def test_quart_test_client_gets_a_visitors_state_from_consent_testing():
    import anyio

    site = example("quart_site")

    async def run() -> str:
        client = site.app.test_client()
        set_consent(client, site.config, "all")
        response = await client.get("/")
        return (await response.get_data()).decode()

    assert "Advertisement" in anyio.run(run)


# -- consent.testing ---------------------------------------------------------------------------------------------


def test_consent_cookie_gives_a_test_client_any_visitors_state():
    c = config()

    async def state(request: Request) -> HTMLResponse:
        return HTMLResponse(str(dict(request.scope["consent"].categories)))

    app = Starlette(routes=[Route("/", state)])
    app.add_middleware(ConsentMiddleware, config=c)
    assert (
        "'analytics': True, 'marketing': False"
        in TestClient(app, cookies=consent_cookie(c, ["analytics"])).get("/").text
    )
    client = TestClient(app)
    set_consent(client, c, "all")
    assert "'analytics': True, 'marketing': True" in client.get("/").text
    set_consent(client, c, [])
    assert "'analytics': False, 'marketing': False" in client.get("/").text
    clear_consent(client, c)
    assert client.get("/consent").json()["decided"] is False


def test_consent_cookie_refuses_a_category_the_configuration_does_not_have():
    with pytest.raises(ValueError, match="'analytic' is not a category of this configuration .*'analytics'"):
        consent_cookie(config(), ["analytic"])


def test_a_cookie_from_another_secret_is_not_trusted():
    other = ConsentConfig(secret_key="other-" + "o" * 40, locales=["en"])
    client = jinja_app(lambda request: PAGE.format(request.scope["consent"].decided))
    client.cookies.update(consent_cookie(other, "all"))
    assert "<p>False</p>" in client.get("/news/x").text
