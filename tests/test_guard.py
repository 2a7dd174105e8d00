"""The client guard on the server side: its tag (first in <head>, before any script of the page, with the
response's nonce; only for visitors who have not allowed everything), its file (versioned, generated from
the tracker table under the site's categories) and the ``client_guard`` option. Its behaviour in the
browser is tests/browser/test_gate_cases.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from consent import ConfigError, ConsentConfig, ConsentMiddleware
from consent._core import Core
from consent._guard import host_table

SECRET = "g" * 40
PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>t</title>"
    "<script src='/app.js'></script></head><body><p>x</p></body></html>"
)
GUARD = re.compile(
    r'<script src="(/consent/static/guard\.[0-9a-f]{10}\.js)" (data-allow|data-undecided)="([^"]*)"([^>]*)>'
)


def client(page: str = PAGE, headers: dict[str, str] | None = None, **config) -> TestClient:
    async def home(request):
        return HTMLResponse(page, headers=headers)

    app = Starlette(routes=[Route("/", home)])
    app.add_middleware(ConsentMiddleware, config=ConsentConfig(secret_key=SECRET, locales=["en"], **config))
    return TestClient(app)


def choose(c: TestClient, action: str, categories=()) -> None:
    r = c.post("/consent", data={"action": action, "category": list(categories)}, follow_redirects=False)
    assert r.status_code == 303


def test_the_guard_is_the_first_script_of_the_page_for_an_undecided_visitor():
    text = client().get("/").text
    first = re.search(r"<script\b[^>]*>", text)[0]
    assert GUARD.match(first), first
    assert text.index("guard.") < text.index("/app.js")
    assert GUARD.search(text).group(2, 3) == ("data-allow", "")  # nothing allowed yet


def test_a_visitor_who_allowed_some_categories_gets_them_in_data_allow():
    c = client()
    choose(c, "save", ["analytics"])
    assert GUARD.search(c.get("/").text).group(2, 3) == ("data-allow", "analytics")


def test_a_visitor_who_allowed_everything_gets_no_guard_and_one_who_rejects_gets_it():
    c = client()
    choose(c, "accept")
    assert "guard." not in c.get("/").text
    choose(c, "reject")
    assert GUARD.search(c.get("/").text).group(2, 3) == ("data-allow", "")


def test_opt_out_mode_allows_everything_to_an_undecided_visitor_so_there_is_no_guard():
    assert "guard." not in client(mode="opt-out").get("/").text


def test_the_guard_carries_the_responses_nonce_and_precedes_the_consent_mode_tags():
    csp = {"content-security-policy": "script-src 'self' 'nonce-abc123'"}
    text = client(headers=csp, google_consent_mode=True).get("/").text
    head = text[text.index("<head>") : text.index("/app.js")]
    assert re.search(r"<head><script nonce=\"abc123\">.*gtag\('consent','default'", head)
    assert GUARD.search(head)[4] == ' nonce="abc123"'
    assert GUARD.search(client().get("/").text)[4] == ""


def test_a_shared_page_tells_the_guard_what_an_undecided_visitor_gets_not_the_visitors_choice():
    shared = {"cache-control": "public, max-age=60"}
    c = client(headers=shared)
    assert GUARD.search(c.get("/").text).group(2, 3) == ("data-undecided", "")
    choose(c, "accept")
    assert GUARD.search(c.get("/").text).group(2, 3) == ("data-undecided", "")  # the same bytes for everyone
    opt_out = client(headers=shared, mode="opt-out")
    assert GUARD.search(opt_out.get("/").text).group(2, 3) == ("data-undecided", "analytics marketing")


def test_client_guard_false_writes_no_guard_and_serves_no_file():
    c = client(client_guard=False)
    text = c.get("/").text
    assert "guard." not in text and 'id="consent-banner"' in text
    path = GUARD.search(client().get("/").text)[1]
    assert c.get(path).status_code == 404


def test_without_auto_block_there_is_no_table_and_no_guard():
    assert "guard." not in client(auto_block=False).get("/").text


def test_the_guard_file_is_versioned_cacheable_javascript():
    c = client()
    path = GUARD.search(c.get("/").text)[1]
    r = c.get(path, headers={"accept-encoding": "gzip"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert "immutable" in r.headers["cache-control"]
    assert "__CONSENT_GUARD__" not in r.text
    table = json.loads(re.search(r"var G=(\{.*?\}),me", r.text)[1])
    assert "googletagmanager.com" in table["t"]["analytics"].split()
    assert "facebook.com|/plugins/|/tr|/video/embed" in table["t"]["marketing"].split()
    assert table["c"] == "consent" and table["s"] == ["marketing"]


def test_the_file_changes_with_the_table_and_holds_the_sites_own_entries():
    own = {"id": "our-stats", "name": "Our Stats", "category": "analytics", "hosts": ["stats.example.net"]}
    plain = Core(ConsentConfig(secret_key=SECRET, locales=["en"])).guard
    extended = Core(ConsentConfig(secret_key=SECRET, locales=["en"], trackers=[own])).guard
    assert plain is not None and extended is not None
    assert plain.asset.path != extended.asset.path
    assert b"stats.example.net" in extended.asset.body and b"stats.example.net" not in plain.asset.body


def test_hosts_are_grouped_under_the_sites_categories_without_exempt_providers():
    from consent import Category

    config = ConsentConfig(
        secret_key=SECRET,
        locales=["en"],
        categories=[Category("analytics"), Category("ads", "Ads")],
        tracker_categories={"marketing": "ads"},
        google_consent_mode="advanced",
    )
    core = Core(config)
    assert core.blocking is not None
    table = host_table(core.blocking)
    assert set(table) == {"analytics", "ads"}
    everything = " ".join(table.values()).split()
    assert "connect.facebook.net" in table["ads"].split()
    # Advanced Consent Mode lets Google's tags load (they follow the consent state themselves).
    assert "googletagmanager.com" not in everything and "doubleclick.net" not in everything


def test_client_guard_must_be_a_boolean_in_python_and_toml(tmp_path):
    with pytest.raises(ConfigError) as error:
        ConsentConfig(secret_key=SECRET, client_guard="no")
    assert error.value.key == "client_guard"
    path = tmp_path / "consent.toml"
    path.write_text(f'secret_key = "{SECRET}"\nclient_guard = false\n')
    assert ConsentConfig.from_toml(path).client_guard is False


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed (npm ci needs it; see .ci/run)")
def test_the_generated_guard_and_consent_js_are_valid_javascript(tmp_path):
    core = Core(ConsentConfig(secret_key=SECRET, locales=["en"]))
    assert core.guard is not None
    from consent._assets import load_assets

    for name, body in (("guard.js", core.guard.asset.body), ("consent.js", load_assets()["js"].body)):
        path = tmp_path / name
        path.write_bytes(body)
        done = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
