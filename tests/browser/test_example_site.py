"""The example news site in headless Chromium: what a visitor (and a tracker) would actually see."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TRACKERS = ("googletagmanager.com", "connect.facebook.net", "facebook.com", "youtube-nocookie.com")


def ran(page) -> dict:
    return page.evaluate("() => window.__ran || {}")


def tracker_state(page) -> dict:
    return page.evaluate(
        """() => ({
            // Consent Mode is on: our "consent default" is in dataLayer from the start; gtag's own calls are not.
            dataLayer: Array.isArray(window.dataLayer) ? [...window.dataLayer].filter(e => e[0] === 'js' || e[0] === 'config').length : null,
            fbq: typeof window.fbq,
            iframe: document.querySelector('figure.video iframe').getAttribute('src'),
        })"""
    )


def settle(page):
    # "networkidle" is fragile on a busy machine; every request the page makes starts before "load" ends
    # (trackers included: they are script or iframe loads), so wait for load and a moment for late scripts.
    page.wait_for_load_state("load")
    page.wait_for_timeout(250)


def test_before_consent_nothing_reaches_a_tracker_and_no_gated_script_runs(site, new_page):
    page, probe = new_page()
    page.goto(site)
    settle(page)
    assert page.locator("#consent-banner").is_visible()
    assert probe.requests == []
    assert ran(page) == {}
    assert tracker_state(page) == {"dataLayer": 0, "fbq": "undefined", "iframe": None}
    assert page.context.cookies() == []  # not even the consent cookie before a choice
    assert page.console_errors == []


def test_accept_runs_each_tracker_once_without_a_reload(site, new_page):
    page, probe = new_page()
    page.goto(site)
    settle(page)
    page.evaluate("() => { window.__same_document = true; }")
    page.get_by_role("button", name="Accept all").click()
    page.wait_for_function(
        "() => window.__ran && window.__ran['www.googletagmanager.com'] && window.__ran['connect.facebook.net']"
    )
    settle(page)
    assert page.evaluate("() => window.__same_document") is True  # no navigation happened
    assert page.locator("#consent-banner").count() == 0
    assert ran(page) == {"www.googletagmanager.com": 1, "connect.facebook.net": 1}
    state = tracker_state(page)
    assert state["dataLayer"] == 2 and state["fbq"] == "function"  # the inline snippets ran too, once
    assert state["iframe"].startswith("https://www.youtube-nocookie.com/embed/")
    assert probe.count("googletagmanager.com/gtag/js") == 1 and probe.count("fbevents.js") == 1
    assert page.get_by_role("status").inner_text() == "Your privacy choice has been saved."
    assert page.locator("#consent-reopen").is_visible()
    assert page.console_errors == []


def test_after_accept_a_reload_keeps_the_banner_gone_and_the_trackers_on(site, new_page):
    page, probe = new_page()
    page.goto(site)
    page.get_by_role("button", name="Accept all").click()
    page.wait_for_function("() => window.__ran && window.__ran['connect.facebook.net']")
    page.reload()
    settle(page)
    assert page.locator("#consent-banner").count() == 0
    assert page.locator("#consent-reopen").is_visible()
    assert ran(page) == {"www.googletagmanager.com": 1, "connect.facebook.net": 1}
    cookie = next(c for c in page.context.cookies() if c["name"] == "consent")
    assert cookie["sameSite"] == "Lax" and cookie["path"] == "/" and len(cookie["value"]) < 200


def test_reject_keeps_everything_silent_across_reloads(site, new_page):
    page, probe = new_page()
    page.goto(site)
    page.get_by_role("button", name="Reject all").click()
    page.wait_for_selector("#consent-reopen")
    settle(page)
    for _ in range(2):
        page.reload()
        settle(page)
        assert page.locator("#consent-banner").count() == 0
    assert probe.requests == []
    assert ran(page) == {}
    assert tracker_state(page)["dataLayer"] == 0
    assert [c["name"] for c in page.context.cookies()] == ["consent"]


def test_without_javascript_the_form_posts_work(site, new_page):
    page, probe = new_page(java_script_enabled=False)
    page.goto(site + "?from=home")
    assert page.locator("#consent-banner").is_visible()
    assert probe.requests == []
    page.get_by_role("button", name="Accept all").click()
    page.wait_for_load_state("load")
    assert page.url == site + "?from=home"  # post, 303, back to the article
    assert page.locator("#consent-banner").count() == 0
    settle(page)
    # With JavaScript off the <noscript> pixel is real markup: the server activated it after consent.
    assert probe.count("facebook.com/tr") == 1
    # And withdrawing works without JavaScript too, from the reopen link.
    page.locator("#consent-reopen").click()
    page.get_by_role("button", name="Withdraw consent").click()
    page.wait_for_load_state("load")
    assert page.locator("#consent-banner").is_visible()


def test_a_keyboard_only_visitor_reaches_and_presses_reject(site, new_page):
    page, probe = new_page()
    page.goto(site)
    settle(page)
    presses = 0
    while presses < 10 and page.evaluate("() => document.activeElement.textContent") != "Reject all":
        page.keyboard.press("Tab")
        presses += 1
    assert presses == 2  # the banner comes first: Accept all, then Reject all
    page.keyboard.press("Enter")
    page.wait_for_selector("#consent-reopen")
    assert page.locator("#consent-banner").count() == 0
    # Focus lands on the confirmation where the banner was, so the next Tab continues into the page.
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "status"
    settle(page)
    assert probe.requests == []
