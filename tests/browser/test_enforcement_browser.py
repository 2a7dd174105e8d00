"""Server-side enforcement as a browser sees it: /raw carries GA4, GTM, the Meta pixel, Hotjar and a YouTube
embed exactly as the vendors ship them, unmarked; /cached is a publicly cacheable page under a hash-only CSP."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

ANALYTICS_HOSTS = {"www.googletagmanager.com", "static.hotjar.com"}
MARKETING_HOSTS = {"connect.facebook.net", "www.youtube.com"}


def loaded(page) -> None:
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)


def cookie_names(page) -> set[str]:
    return {c["name"] for c in page.context.cookies()}


def choose(page, site, button, tick=()):
    """Go to the settings page from the reopen link (or the banner), tick categories, press a button."""
    link = page.locator("#consent-reopen, #consent-banner a[href*='/consent/settings']").first
    link.click()
    page.wait_for_url("**/consent/settings**")
    for key in tick:
        page.locator(f"#consent-category-{key}").check()
    page.get_by_role("button", name=button).click()
    page.wait_for_url(site + "raw")
    loaded(page)


def test_unmarked_trackers_wait_for_their_category(site, new_page):
    page, probe = new_page()
    page.goto(site + "raw")
    loaded(page)
    assert probe.requests == [] and cookie_names(page) == set()
    assert page.evaluate("() => typeof window.fbq") == "undefined"

    choose(page, site, "Save my choices", tick=["analytics"])
    assert probe.hosts() == ANALYTICS_HOSTS  # GA4, GTM and Hotjar, nothing else
    assert probe.count("gtag/js?id=G-RAW00001") == 1 and probe.count("gtm.js?id=GTM-RAW0001") == 1
    assert page.evaluate("() => typeof window.fbq") == "undefined"

    choose(page, site, "Accept all")
    assert MARKETING_HOSTS <= probe.hosts()
    assert page.evaluate("() => typeof window.fbq") == "function"
    assert page.locator("iframe[title='Video: the summit']").get_attribute("src").startswith("https://www.youtube.com/")


def test_cookie_jar_holds_no_tracker_cookie_before_consent_or_after_reject(site, new_page):
    page, probe = new_page()
    page.goto(site + "raw")
    loaded(page)
    assert cookie_names(page) == set()
    page.get_by_role("button", name="Accept all").click()
    page.wait_for_function("() => document.cookie.includes('_fbp=') && document.cookie.includes('_ga=')")
    assert {"_ga", "_fbp", "consent"} <= cookie_names(page)
    choose(page, site, "Reject all")
    # The server expired them on the reject response; nothing set them again.
    assert cookie_names(page) == {"consent"}


def test_with_global_privacy_control_marketing_never_loads_even_after_accept(site, new_page):
    page, probe = new_page(extra_http_headers={"Sec-GPC": "1"})
    page.add_init_script("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });")
    page.goto(site + "raw")
    loaded(page)
    assert "Your Global Privacy Control signal is honoured." in page.locator("#consent-banner").inner_text()
    page.get_by_role("button", name="Accept all").click()
    page.wait_for_function("() => window.__ran && window.__ran['www.googletagmanager.com']")
    loaded(page)
    page.reload()
    loaded(page)
    assert not MARKETING_HOSTS & probe.hosts()
    assert ANALYTICS_HOSTS <= probe.hosts()
    assert page.evaluate("() => typeof window.fbq") == "undefined"


def test_consent_mode_default_is_the_first_datalayer_entry_before_any_config(site, new_page):
    page, probe = new_page()
    page.goto(site + "raw")
    loaded(page)
    page.get_by_role("button", name="Accept all").click()
    page.wait_for_function("() => window.dataLayer && [...window.dataLayer].some(e => e[0] === 'config')")
    entries = page.evaluate(
        "() => [...window.dataLayer].map(e => e[0] && e[1] && typeof e[1] === 'string' ? e[0] + ':' + e[1] : e[0] || Object.keys(e)[0])"
    )
    assert entries[0] == "consent:default"
    update = entries.index("consent:update")
    config = next(i for i, e in enumerate(entries) if str(e).startswith("config"))
    assert 0 < update < config
    default = page.evaluate("() => window.dataLayer[0][2]")
    assert default["ad_storage"] == "denied" and default["analytics_storage"] == "denied"
    assert len([k for k in default if k.endswith("_storage") or k.startswith("ad_")]) == 7
    # On the next page the update comes from the server, still before any Google tag.
    page.reload()
    page.wait_for_function("() => [...window.dataLayer].some(e => e[0] === 'config')")
    entries = page.evaluate("() => [...window.dataLayer].map(e => String(e[0]) + ':' + String(e[1]))")
    assert entries[0] == "consent:default" and entries[1] == "consent:update"


def test_cached_page_under_a_hash_only_csp(site, new_page):
    page, probe = new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(site + "cached")
    loaded(page)
    assert page.locator("#consent-banner").is_visible() and probe.requests == []
    page.get_by_role("button", name="Accept all").click()
    page.wait_for_function("() => window.__ran && window.__ran['connect.facebook.net']")
    page.reload()
    loaded(page)
    # Same bytes as for everyone, but the banner is hidden before paint and the trackers run from the cookie.
    assert page.locator("#consent-banner").is_hidden()
    assert page.locator("#consent-reopen").is_visible()
    assert page.evaluate("() => window.__ran") == {"www.googletagmanager.com": 1, "connect.facebook.net": 1}
    assert violations == []
