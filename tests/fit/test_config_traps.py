"""Configuration traps (issue 10, problems 2, 6 and 8): the secret never shows, a category something needs is
never silently missing, "Always allow" never records a refusal, durations and locales are read as people
write them, and every error says which key (and which file) is wrong."""

from __future__ import annotations

import pprint
from datetime import timedelta
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from consent import Category, ConfigError, ConsentConfig, ConsentMiddleware, CookieDeclaration, Mode
from consent._modes import reachable_modes

SECRET = "s3cr3t-" + "k" * 40
OLD = "old-" + "o" * 40
PIXEL = (
    "<script>!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?"
    "n.callMethod.apply(n,arguments):n.queue.push(arguments)};if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;"
    "n.version='2.0';n.queue=[];t=b.createElement(e);t.async=!0;t.src=v;s=b.getElementsByTagName(e)[0];"
    "s.parentNode.insertBefore(t,s)}(window, document,'script','https://connect.facebook.net/en_US/fbevents.js');"
    "fbq('init', '1234567890');fbq('track', 'PageView');</script>"
)
YOUTUBE = '<iframe width="560" height="315" src="https://www.youtube.com/embed/abc" title="Video"></iframe>'
PAGE = f"<!DOCTYPE html><html lang='en'><head>{PIXEL}</head><body><h1>News</h1>{YOUTUBE}</body></html>"
# The README's TOML as a new user copies it: one [[categories]] table, to give analytics a German title.
README_TOML = """
mode = "opt-in"
policy_version = "2026-11"
secret_key_env = "CONSENT_SECRET"
default_locale = "de"
locales = ["de", "en", "fr"]

[[categories]]
key = "analytics"
[categories.text.de]
title = "Statistik"
"""


def client_for(config: ConsentConfig) -> TestClient:
    async def page(request):
        return HTMLResponse(PAGE)

    app = Starlette(routes=[Route("/", page)])
    app.add_middleware(ConsentMiddleware, config=config)
    return TestClient(app, follow_redirects=False)


def config(**kwargs) -> ConsentConfig:
    return ConsentConfig(**{"secret_key": SECRET, "locales": ["en", "de"], **kwargs})


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "consent.toml"
    path.write_text(text, encoding="utf-8")
    return path


# -- problem 2: the secret ------------------------------------------------------------------------------------


def test_repr_and_str_of_the_config_never_show_the_secret_keys():
    c = config(secret_key=[OLD, SECRET])
    for text in (repr(c), str(c), f"{c}", f"{c!r}", pprint.pformat(c), repr([c]), repr({"config": c})):
        assert SECRET not in text and OLD not in text and "k" * 20 not in text
    assert "secret_key=<2 keys, hidden>" in repr(c)
    assert "secret_key=<1 key, hidden>" in repr(config())
    assert "policy_version='1'" in repr(c)  # the rest is still there to debug with


@pytest.mark.parametrize(
    "secret", ["short-key", ["short-key"], [SECRET, "short-key"], [SECRET, b"bytes-" + b"k" * 40], b"k" * 40]
)
def test_errors_about_the_secret_never_quote_it(secret):
    with pytest.raises(ConfigError) as info:
        ConsentConfig(secret_key=secret)
    assert "short-key" not in str(info.value) and "kkkkkkkk" not in str(info.value)
    assert info.value.key.startswith("secret_key")


def test_a_short_secret_from_a_toml_file_names_the_file_but_not_the_secret(tmp_path):
    path = write(tmp_path, 'secret_key = "not-long-enough"\n')
    with pytest.raises(ConfigError) as info:
        ConsentConfig.from_toml(path)
    assert str(info.value).startswith(f"{path}: secret_key: too short")
    assert "not-long-enough" not in str(info.value)


# -- problem 6: categories something needs --------------------------------------------------------------------


def test_the_readme_toml_keeps_marketing_so_accept_all_activates_the_pixel_and_the_video(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSENT_SECRET", SECRET)
    c = ConsentConfig.from_toml(write(tmp_path, README_TOML))
    assert c.category_keys == ("necessary", "analytics", "marketing")  # marketing: used by the tracker table
    assert c.categories[1].text == {"de": {"title": "Statistik"}}
    client = client_for(c)
    assert PIXEL not in client.get("/").text  # undecided: gated
    client.post("/consent", data={"action": "accept"})
    text = client.get("/").text
    assert PIXEL in text and YOUTUBE in text  # served exactly as written


def test_table_categories_are_not_added_in_notice_mode_or_without_auto_blocking():
    assert config(mode="notice").category_keys == ("necessary",)
    assert config(categories=[Category("analytics")], auto_block=False).category_keys == ("necessary", "analytics")
    # Mapped table categories are what counts: marketing -> ads (declared), so nothing is added.
    mapped = config(categories=[Category("analytics"), Category("ads", "Ads")], tracker_categories={"marketing": "ads"})
    assert mapped.category_keys == ("necessary", "analytics", "ads")


def test_a_cookie_declared_under_an_added_table_category_is_accepted():
    fbp = CookieDeclaration("_fbp", "marketing", "Meta", "Ads", "3 months", third_party=True)
    c = config(categories=[Category("analytics")], cookies=[fbp])
    assert c.cookies[0].duration == timedelta(days=90)


@pytest.mark.parametrize(
    "kwargs, key, fragment",
    [
        (dict(tracker_categories={"marketing": "ads"}), "tracker_categories.marketing", "'ads' is not a declared"),
        (
            dict(trackers=[{"id": "x", "name": "X", "category": "socail", "hosts": ["x.test"]}]),
            "trackers[0].category",
            "'socail' is not a declared category",
        ),
        (dict(google_consent_types={"ad_storage": "ads"}), "google_consent_types.ad_storage", "'ads' is not"),
        (dict(google_consent_types={"ad_storage": "marketng"}), "google_consent_types.ad_storage", "'marketing'?"),
        (dict(google_consent_types={"ad_storag": "marketing"}), "google_consent_types.ad_storag", "did you mean"),
        (dict(cookies=[CookieDeclaration("a", "analytic", "p", "q", None)]), "cookies[0].category", "'analytics'?"),
    ],
)
def test_a_category_the_site_names_must_be_declared_and_the_error_names_it(kwargs, key, fragment):
    with pytest.raises(ConfigError) as info:
        config(**kwargs)
    assert info.value.key == key and fragment in str(info.value), str(info.value)


def test_a_consent_mode_type_whose_default_category_is_absent_is_denied_not_refused():
    c = config(google_consent_mode=True)  # no preferences category: functionality_storage stays denied
    assert c.google_consent_types["functionality_storage"] == "preferences"
    assert "preferences" not in c.category_keys


def test_always_allow_an_unknown_category_records_nothing_and_keeps_the_banner():
    decisions = []
    c = config(categories=[Category("analytics")], auto_block=False, on_decision=decisions.append)
    client = client_for(c)
    for body in ({"action": "allow", "category": "marketing"}, {"action": "allow"}):
        response = client.post("/consent", data=body)
        assert response.status_code == 400 and "Nothing to allow" in response.text
        assert "set-cookie" not in response.headers
    assert decisions == []
    assert 'id="consent-banner"' in client.get("/").text


def test_always_allow_in_a_notice_region_records_nothing():
    c = config(region_header="CF-IPCountry", modes_by_region={"JP": "notice"})
    response = client_for(c).post(
        "/consent", data={"action": "allow", "category": "marketing"}, headers={"cf-ipcountry": "JP"}
    )
    assert response.status_code == 400 and "set-cookie" not in response.headers


def test_always_allow_a_known_category_adds_it_and_only_it():
    client = client_for(config())
    response = client.post("/consent", data={"action": "allow", "category": "marketing"})
    assert response.status_code == 303
    assert client.get("/consent").json()["categories"] == {"necessary": True, "analytics": False, "marketing": True}


def test_the_embed_placeholder_offers_always_allow_only_for_a_category_that_exists():
    shown = client_for(config()).get("/").text
    assert "Always allow Marketing" in shown
    marked = PAGE.replace(YOUTUBE, '<iframe data-consent="social" data-src="https://v.test/x" title="V"></iframe>')

    async def page(request):
        return HTMLResponse(marked)

    app = Starlette(routes=[Route("/", page)])
    app.add_middleware(ConsentMiddleware, config=config())
    text = TestClient(app).get("/").text
    assert "Load this once" in text and "Always allow" not in text


# -- durations ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, seconds",
    [("180 days", 180 * 86400), ("13 months", 390 * 86400), (" 2 weeks ", 14 * 86400), (3600, 3600)],
)
def test_max_age_accepts_duration_strings_in_python_and_toml(tmp_path, value, seconds):
    assert config(max_age=value).max_age_seconds == seconds
    line = f"max_age = {value!r}".replace("'", '"') if isinstance(value, str) else f"max_age = {value}"
    path = write(tmp_path, f'secret_key = "{SECRET}"\n{line}\n')
    assert ConsentConfig.from_toml(path).max_age_seconds == seconds


def test_cookie_durations_and_the_consent_mode_wait_accept_strings_in_python():
    cookie = CookieDeclaration("_ga", "analytics", "Google", "Counts", "13 months")
    c = config(cookies=[cookie, CookieDeclaration("s", "necessary", "Us", "Session", "session")])
    assert c.cookies[0].duration == timedelta(days=390) and c.cookies[1].duration is None
    assert config(google_wait_for_update="2 seconds").google_wait_for_update == 2000
    assert config(google_wait_for_update="750 milliseconds").google_wait_for_update == 750
    with pytest.raises(ConfigError, match="^google_wait_for_update: "):
        config(google_wait_for_update="1 minute")


def test_max_age_in_toml_still_refuses_more_than_400_days_naming_the_file(tmp_path):
    path = write(tmp_path, f'secret_key = "{SECRET}"\nmax_age = "2 years"\n')
    with pytest.raises(ConfigError, match="400-day") as info:
        ConsentConfig.from_toml(path)
    assert str(info.value).startswith(f"{path}: max_age: ")


# -- locales ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling, catalog",
    [
        ("de-DE", "de"),
        ("de_AT", "de"),
        ("zh-TW", "zh_Hant"),
        ("zh-CN", "zh_Hans"),
        ("pt-br", "pt_BR"),
        ("es-MX", "es_419"),
        ("EN-gb", "en"),
        ("nb-NO", "nb"),
        ("deu", "de"),
    ],
)
def test_locale_spellings_are_normalised_to_the_shipped_catalog(spelling, catalog):
    c = config(locales=[spelling, "en"], default_locale=spelling, text={spelling: {"accept_all": "Yes"}})
    assert c.locales[0] == catalog and c.default_locale == catalog
    assert c.text == {catalog: {"accept_all": "Yes"}}


def test_two_spellings_of_one_language_offer_it_once():
    assert config(locales=["de-DE", "de-AT", "en"]).locales == ("de", "en")


@pytest.mark.parametrize(
    "spelling, hint",
    [
        ("dee", "did you mean 'de'?"),
        ("pt_BRR", "did you mean 'pt_BR'?"),
        ("German", "did you mean 'de'?"),
        ("klingon", "shipped:"),
    ],
)
def test_an_unknown_locale_is_refused_with_the_closest_catalog(spelling, hint):
    with pytest.raises(ConfigError) as info:
        config(locales=["en", spelling])
    assert info.value.key == "locales[1]" and hint in str(info.value)


# -- keyword arguments and files ------------------------------------------------------------------------------------


def test_a_misspelt_keyword_argument_is_a_config_error_listing_the_known_keys():
    with pytest.raises(ConfigError) as info:
        ConsentConfig(secret_key=SECRET, polcy_version="2")
    message = str(info.value)
    assert message.startswith("polcy_version: unknown keyword argument of ConsentConfig")
    assert "did you mean 'policy_version'?" in message and "secret_key, mode, policy_version" in message
    with pytest.raises(ConfigError, match="^secret_key: is required"):
        ConsentConfig(mode="opt-in")
    with pytest.raises(ConfigError, match="^titel: unknown keyword argument of Category .*'title'"):
        Category("social", titel="Social")
    with pytest.raises(ConfigError, match="^provider: is required by CookieDeclaration"):
        CookieDeclaration(name="_ga", category="analytics", purpose="x", duration=None)


@pytest.mark.parametrize(
    "line, key",
    [
        ('mode = "optin"', "mode"),
        ('locales = ["en", "xx-YY"]', "locales[1]"),
        ('cache_mode = "shard"', "cache_mode"),
        ('google_consent_types = {ad_storage = "ads"}', "google_consent_types.ad_storage"),
        ('[text.de]\nbanner_mesage = "x"', "text.de.banner_mesage"),
    ],
)
def test_every_value_error_from_a_toml_file_names_the_file(tmp_path, line, key):
    path = write(tmp_path, f'secret_key = "{SECRET}"\n{line}\n')
    with pytest.raises(ConfigError) as info:
        ConsentConfig.from_toml(path)
    assert str(info.value).startswith(f"{path}: {key}: "), str(info.value)
    assert info.value.file == str(path) and info.value.key == key


def test_a_bad_keyword_override_is_not_blamed_on_the_file(tmp_path):
    path = write(tmp_path, f'secret_key = "{SECRET}"\n')
    with pytest.raises(ConfigError) as info:
        ConsentConfig.from_toml(path, mode="optin")
    assert str(info.value).startswith("mode: ") and info.value.file is None
    with pytest.raises(ConfigError, match="^mdoe: unknown keyword argument"):
        ConsentConfig.from_toml(path, mdoe="opt-in")


def test_a_misspelt_toml_key_gets_a_did_you_mean(tmp_path):
    path = write(tmp_path, f'secret_key = "{SECRET}"\npolicy_versoin = "2"\n')
    with pytest.raises(ConfigError, match="did you mean 'policy_version'"):
        ConsentConfig.from_toml(path)


# -- modes have one home ---------------------------------------------------------------------------------------------


def test_modes_know_what_an_undecided_visitor_gets_and_what_can_be_allowed():
    optional = frozenset({"analytics", "marketing"})
    assert Mode.OPT_OUT.undecided(optional) == optional
    assert Mode.OPT_IN.undecided(optional) == Mode.NOTICE.undecided(optional) == frozenset()
    assert Mode.NOTICE.grantable(optional) == frozenset() and Mode.OPT_IN.grantable(optional) == optional
    assert Mode.OPT_IN == "opt-in" and str(Mode.OPT_OUT) == "opt-out" and f"{Mode.NOTICE}" == "notice"
    with pytest.raises(ConfigError, match="did you mean 'opt-in'"):
        config(mode="optin")


def test_reachable_modes_include_opt_in_wherever_a_region_can_be_unknown():
    assert reachable_modes(config(mode="opt-out")) == {Mode.OPT_OUT}
    regional = config(mode="opt-out", region_header="CF-IPCountry", modes_by_region={"JP": "notice"})
    assert reachable_modes(regional) == {Mode.OPT_OUT, Mode.NOTICE, Mode.OPT_IN}


def test_the_server_tells_the_client_script_what_an_undecided_visitor_gets_on_a_shared_page():
    opt_out = client_for(config(mode="opt-out", cache_mode="shared")).get("/").text
    assert 'data-undecided="analytics marketing"' in opt_out and "data-mode" not in opt_out
    opt_in = client_for(config(cache_mode="shared")).get("/").text
    assert 'data-undecided=""' in opt_in
    script = (Path(__file__).parents[2] / "consent" / "static" / "consent.js").read_text()
    assert 'data("undecided")' in script and "opt-out" not in script
