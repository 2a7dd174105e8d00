"""Languages: negotiation, per-locale wording, Babel formatting, right-to-left, and the policy page text."""

from __future__ import annotations

import gzip
from datetime import date, timedelta

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from consent import Category, ConfigError, ConsentConfig, ConsentMiddleware, CookieDeclaration
from consent._i18n import Negotiator, parse_accept_language, shipped_locales
from consent._pages import format_duration
from consent._render import load_assets

SECRET = "k" * 40


def page_app(html_lang: str | None = None, scope_locale: str | None = None, **config) -> TestClient:
    async def home(request: Request) -> HTMLResponse:
        if scope_locale:
            request.scope["consent.locale"] = scope_locale
        lang = f' lang="{html_lang}"' if html_lang else ""
        return HTMLResponse(f"<!doctype html><html{lang}><head><title>t</title></head><body><p>x</p></body></html>")

    app = Starlette(routes=[Route("/", home)])
    app.add_middleware(ConsentMiddleware, config=ConsentConfig(secret_key=SECRET, **config))
    return TestClient(app)


def banner_lang(response) -> str:
    text = response.text
    start = text.index('id="consent-banner"')
    return text[start:].split('lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    "header, expected",
    [
        ("de-AT,de;q=0.9,en;q=0.8", ["de-AT", "de", "en"]),
        ("en;q=0.5, fr", ["fr", "en"]),
        ("fr;q=0, de;q=0.3", ["de"]),  # q=0 means "not this one"
        ("*", ["*"]),
        ("de;q=abc, ,;q=1, en", ["en"]),  # malformed entries are skipped
        ("x" * 5000, []),
        ("da, en-gb;q=0.8, en;q=0.7", ["da", "en-gb", "en"]),
        ("zh-Hant-TW;q=0.9, ja", ["ja", "zh-Hant-TW"]),
    ],
)
def test_accept_language_parsing(header, expected):
    assert parse_accept_language(header) == expected


NEGOTIATION = [
    ("de-AT", "de"),
    ("de-CH", "de"),
    ("pt-PT", "pt"),
    ("pt-BR", "pt_BR"),
    ("pt", "pt"),
    ("zh-TW", "zh_Hant"),
    ("zh-HK", "zh_Hant"),
    ("zh-Hant", "zh_Hant"),
    ("zh-CN", "zh_Hans"),
    ("zh", "zh_Hans"),
    ("es-MX", "es_419"),
    ("es-AR", "es_419"),
    ("es-ES", "es"),
    ("no", "nb"),
    ("nn-NO", "nb"),
    ("iw", "he"),
    ("en-GB", "en"),
    ("fr-CA", "fr"),
    ("AR-eg", "ar"),
    ("klingon", None),
    ("sr", None),
]


@pytest.mark.parametrize("tag, expected", NEGOTIATION)
def test_regional_variants_fall_back_sensibly(tag, expected):
    assert Negotiator(shipped_locales(), "en").match(tag) == expected


def test_header_negotiation_uses_the_first_acceptable_offer():
    n = Negotiator(["en", "de", "fr"], "en")
    assert n.from_header("sr, de;q=0.5, fr;q=0.8") == "fr"
    assert n.from_header("sr, *;q=0.1") == "en"
    assert n.from_header("sr") is None
    assert n.from_header("") is None


def test_banner_follows_accept_language_and_varies_on_it():
    client = page_app()
    response = client.get("/", headers={"accept-language": "fr-CA,fr;q=0.9,en;q=0.5"})
    assert banner_lang(response) == "fr"
    assert "Tout refuser" in response.text
    assert "Accept-Language" in response.headers["vary"]


def test_page_language_wins_over_accept_language_and_needs_no_vary():
    client = page_app(html_lang="de-AT")
    response = client.get("/", headers={"accept-language": "fr"})
    assert banner_lang(response) == "de"
    assert "Alle ablehnen" in response.text
    assert "Accept-Language" not in response.headers["vary"]


def test_language_set_by_the_app_wins_over_the_page():
    client = page_app(html_lang="en", scope_locale="ja")
    response = client.get("/", headers={"accept-language": "fr"})
    assert banner_lang(response) == "ja"
    assert "すべて拒否" in response.text


def test_unsupported_page_language_falls_back_to_the_visitor_then_the_default():
    client = page_app(html_lang="tlh")
    assert banner_lang(client.get("/", headers={"accept-language": "it"})) == "it"
    assert banner_lang(client.get("/", headers={"accept-language": "tlh"})) == "en"


def test_configured_locales_limit_what_is_offered():
    client = page_app(locales=["en", "de"])
    assert banner_lang(client.get("/", headers={"accept-language": "fr, de;q=0.5"})) == "de"
    assert banner_lang(client.get("/", headers={"accept-language": "fr"})) == "en"


def test_default_locale_is_used_when_nothing_matches():
    client = page_app(default_locale="de", locales=["de", "en"])
    assert banner_lang(client.get("/")) == "de"


def test_right_to_left_languages_render_rtl_with_a_bcp47_lang():
    client = page_app()
    for header, lang, direction in (
        ("ar", "ar", "rtl"),
        ("he", "he", "rtl"),
        ("fa", "fa", "rtl"),
        ("pt-BR", "pt-BR", "ltr"),
        ("zh-TW", "zh-Hant", "ltr"),
    ):
        text = client.get("/", headers={"accept-language": header}).text
        assert f'lang="{lang}" dir="{direction}"' in text, header
        settings = client.get(f"/consent/settings?lang={header}").text
        assert f'<html lang="{lang}" dir="{direction}">' in settings, header


def test_our_pages_follow_lang_parameter_then_accept_language():
    client = page_app()
    response = client.get("/privacy?lang=de", headers={"accept-language": "fr"})
    assert '<html lang="de"' in response.text and "Accept-Language" not in response.headers["vary"]
    response = client.get("/privacy", headers={"accept-language": "fr"})
    assert '<html lang="fr"' in response.text and "Accept-Language" in response.headers["vary"]


def test_banner_links_carry_the_banner_language_to_our_pages():
    text = page_app(html_lang="de").get("/").text
    assert "/consent/settings?next=%2F&amp;lang=de" in text
    assert 'href="/privacy?lang=de"' in text


def test_every_text_can_be_overridden_per_locale_from_toml(tmp_path):
    (tmp_path / "consent.toml").write_text(
        """
[text.de]
banner_message = "Eigener Text mit <Sonderzeichen> & mehr."
reject_all = "Nein danke"

[[categories]]
key = "analytics"
title = "Audience"

[categories.text.de]
title = "Statistik"
description = "Zählt Besuche."

[[cookies]]
name = "_ga"
category = "analytics"
provider = "Google"
purpose = "Counts visitors."
duration = "13 months"

[cookies.text.de]
purpose = "Zählt Besucher."
""",
        encoding="utf-8",
    )
    config = ConsentConfig.from_toml(tmp_path / "consent.toml", secret_key=SECRET)
    app = Starlette(routes=[Route("/", lambda r: HTMLResponse("<html><body></body></html>"))])
    client = TestClient(ConsentMiddleware(app, config=config))
    de = client.get("/", headers={"accept-language": "de"}).text
    assert "Eigener Text mit &lt;Sonderzeichen&gt; &amp; mehr." in de
    assert ">Nein danke</button>" in de
    assert ">Alle akzeptieren</button>" in de  # what is not overridden stays translated
    en = client.get("/", headers={"accept-language": "en"}).text
    assert ">Reject all</button>" in en
    settings_de = client.get("/consent/settings?lang=de").text
    assert "Statistik" in settings_de and "Zählt Besuche." in settings_de
    assert "Audience" in client.get("/consent/settings?lang=en").text
    # A custom title is the default language's wording: other languages get the built-in translation.
    assert (
        "Analyse" in client.get("/consent/settings?lang=fr").text
        or "Statistiques" in client.get("/consent/settings?lang=fr").text
        or "Mesure" in client.get("/consent/settings?lang=fr").text
    )
    policy_de = client.get("/privacy?lang=de").text
    assert "Zählt Besucher." in policy_de and "13 Monate" in policy_de


@pytest.mark.parametrize(
    "kwargs, key",
    [
        ({"text": {"xx": {"reject_all": "No"}}}, "text.xx"),
        ({"text": {"de": {"reject_al": "Nein"}}}, "text.de.reject_al"),
        ({"text": {"de": {"reject_all": ""}}}, "text.de.reject_all"),
        ({"locales": ["en", "tlh"]}, "locales[1]"),
        ({"default_locale": "fr", "locales": ["en", "de"]}, "default_locale"),
        ({"categories": [Category("analytics", text={"de": {"titel": "x"}})]}, "categories[0].text.de.titel"),
        ({"policy_markdown": {"en": "/nonexistent/policy.md"}}, "policy_markdown.en"),
        ({"policy_updated": "last week"}, "policy_updated"),
        (
            {"cookies": [CookieDeclaration("_x", "ads", "X", "Ads", timedelta(days=1))]},
            "cookies[0].category",
        ),
    ],
)
def test_configuration_errors_name_the_key(kwargs, key):
    with pytest.raises(ConfigError) as error:
        ConsentConfig(secret_key=SECRET, **kwargs)
    assert str(error.value).startswith(key + ":")


@pytest.mark.parametrize(
    "locale, duration, expected",
    [
        ("en", timedelta(days=390), "13 months"),
        ("de", timedelta(days=390), "13 Monate"),
        ("fr", timedelta(days=390), "13\u00a0mois"),
        ("ja", timedelta(days=390), "13 か月"),
        ("ar", timedelta(days=180), "6 أشهر"),
        ("de", timedelta(days=365), "1 Jahr"),
        ("fr", timedelta(days=1), "1\u00a0jour"),
        ("en", timedelta(hours=2), "2 hours"),
        ("en", timedelta(days=14), "2 weeks"),
    ],
)
def test_durations_are_written_out_by_babel(locale, duration, expected):
    assert format_duration(duration, locale) == expected


def test_policy_page_dates_are_formatted_per_locale(tmp_path):
    client = page_app(policy_updated=date(2026, 11, 1))
    assert "1. November 2026" in client.get("/privacy?lang=de").text
    assert "1 novembre 2026" in client.get("/privacy?lang=fr").text
    assert "2026年11月1日" in client.get("/privacy?lang=ja").text
    assert "نوفمبر" in client.get("/privacy?lang=ar").text


def test_policy_markdown_is_rendered_with_raw_html_escaped(tmp_path):
    (tmp_path / "policy.en.md").write_text(
        "# Our policy\n\nWe *respect* you. <script>alert('x')</script>\n\n"
        '<img src=x onerror="alert(1)">\n\n[evil](javascript:alert(1)) [ok](https://example.org)\n',
        encoding="utf-8",
    )
    (tmp_path / "policy.de.md").write_text("# Unsere Richtlinie\n", encoding="utf-8")
    client = page_app(
        policy_markdown={"en": tmp_path / "policy.en.md", "de": tmp_path / "policy.de.md"},
        controller="Daily Pacific Ltd, 1 Harbour St <Wellington>",
        contact="privacy@dailypacific.example",
        dpo="J. Doe",
    )
    text = client.get("/privacy").text
    assert "<h1>Our policy</h1>" in text and "<em>respect</em>" in text
    assert "<script>alert" not in text and "&lt;script&gt;" in text
    assert "<img" not in text.split("consent-policy-body", 1)[1].split("</div>", 1)[0]
    assert 'href="javascript:' not in text and 'href="https://example.org"' in text
    assert "Daily Pacific Ltd, 1 Harbour St &lt;Wellington&gt;" in text
    assert 'href="mailto:privacy@dailypacific.example"' in text
    assert "Unsere Richtlinie" in client.get("/privacy?lang=de").text
    assert "Our policy" in client.get("/privacy?lang=fr").text  # no French text: the default locale's


def test_hostile_contact_never_becomes_a_link():
    text = page_app(contact="javascript:alert(1)").get("/privacy").text
    assert 'href="javascript' not in text and "javascript:alert(1)" in text


def test_policy_page_states_the_privacy_signals_and_counts_partners():
    client = page_app(
        cookies=[
            CookieDeclaration("_ga", "analytics", "Google", "Stats", timedelta(days=390), third_party=True),
            CookieDeclaration("_fbp", "marketing", "Meta", "Ads", timedelta(days=90), third_party=True),
            CookieDeclaration("sid", "necessary", "This site", "Session", None),
        ]
    )
    text = client.get("/privacy").text
    assert "Global Privacy Control" in text and "Do Not Track" in text
    assert "This site works with 2 partners that may set cookies." in text
    assert "Until you close the browser" in text


@pytest.mark.parametrize("lang, count, expected", [("ru", 2, "партнёра"), ("ru", 5, "партнёров"), ("pl", 5, "5")])
def test_plural_forms_follow_each_language(lang, count, expected):
    cookies = [
        CookieDeclaration(f"c{i}", "marketing", f"Partner {i}", "Ads", timedelta(days=1), third_party=True)
        for i in range(count)
    ]
    assert expected in page_app(cookies=cookies).get(f"/privacy?lang={lang}").text


def test_client_weight_is_at_most_4_kb_gzipped_for_all_languages():
    # The text comes in the HTML, so the scripts and styles are the same for every language.
    assets = load_assets()
    total = sum(len(gzip.compress(asset.body, 9)) for asset in assets.values())
    assert total <= 4096, total
