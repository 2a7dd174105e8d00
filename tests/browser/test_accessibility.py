"""The banner, the settings page and the policy page as a person meets them: WCAG 2.2 AA checks with
axe-core, keyboard, reflow, zoom, layout shift, right-to-left layout, and screenshots for a human to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
# axe-core is injected as an inline script, which the example's strict CSP would (rightly) block.
AXE_OK = {"bypass_csp": True}
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "docs" / "screenshots"
LANGS = ("en", "de", "ar")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module", autouse=True)
def _axe_available():
    if not AXE.is_file():
        message = f"{AXE} missing: run `npm ci` (see .ci/run)"
        if os.environ.get("CONSENT_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


def axe(page, context: str | None = None) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    target = f"'{context}'" if context else "document"
    return page.evaluate(
        f"""async () => {{
            const r = await axe.run({target}, {{ runOnly: {{ type: 'tag', values: {WCAG!r} }} }});
            return r.violations.map(v => ({{ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')) }}));
        }}"""
    )


def url(site: str, page: str, lang: str) -> str:
    path = {"banner": "", "settings": "consent/settings", "policy": "privacy"}[page]
    return f"{site}{path}?lang={lang}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page_name", ["banner", "settings", "policy"])
def test_no_wcag_violations(site, new_page, page_name, lang):
    page, _ = new_page(viewport={"width": 1280, "height": 900}, **AXE_OK)
    page.goto(url(site, page_name, lang))
    page.wait_for_load_state("load")
    violations = axe(page, "#consent-banner" if page_name == "banner" else None)
    assert violations == [], violations
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{page_name}-{lang}.png"), full_page=page_name != "banner")


@pytest.mark.parametrize("lang", LANGS)
def test_banner_at_320_px_reflows_without_horizontal_scrolling(site, new_page, lang):
    page, _ = new_page(viewport={"width": 320, "height": 640})
    for name in ("banner", "settings", "policy"):
        page.goto(url(site, name, lang))
        page.wait_for_load_state("load")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320, name
        if name == "banner":
            for button in page.locator("#consent-banner button").all():
                button.scroll_into_view_if_needed()
                assert button.is_visible()
            page.screenshot(path=str(SHOTS / f"banner-{lang}-320px.png"))


def test_banner_language_and_direction_follow_the_page(site, new_page):
    page, _ = new_page()
    page.goto(url(site, "banner", "ar"))
    banner = page.locator("#consent-banner")
    assert banner.get_attribute("lang") == "ar" and banner.get_attribute("dir") == "rtl"
    assert page.get_by_role("button", name="قبول الكل").is_visible()
    # Mirrored: the text starts on the right, the buttons sit on the left.
    text = page.locator(".consent-banner__text").bounding_box()
    form = page.locator(".consent-banner__form").bounding_box()
    assert form["x"] < text["x"]
    page.goto(url(site, "banner", "de"))
    assert page.locator("#consent-banner").get_attribute("dir") == "ltr"
    assert page.get_by_role("button", name="Alle ablehnen").is_visible()


def test_accept_and_reject_have_equal_weight(site, new_page):
    page, _ = new_page()
    page.goto(site)
    accept = page.get_by_role("button", name="Accept all")
    reject = page.get_by_role("button", name="Reject all")
    style = "el => { const s = getComputedStyle(el); return [el.tagName, s.fontFamily, s.fontSize, s.fontWeight, s.backgroundColor, s.color, s.borderTopWidth]; }"
    assert accept.evaluate(style) == reject.evaluate(style)
    a, r = accept.bounding_box(), reject.bounding_box()
    assert min(a["width"], r["width"]) / max(a["width"], r["width"]) >= 0.9
    assert a["height"] == r["height"]


def test_every_control_is_a_big_enough_target(site, new_page):
    page, _ = new_page()
    for address in (site, site + "consent/settings", site + "privacy"):
        page.goto(address)
        sizes = page.evaluate(
            """() => [...document.querySelectorAll('#consent-banner a, #consent-banner button, .consent-content a, .consent-content button, .consent-content input:not([type=hidden])')]
                .filter(el => !el.closest('p:not(.consent-links)') || el.classList.contains('consent-button'))
                .map(el => { const r = el.getBoundingClientRect(); return [el.textContent || el.id, r.width, r.height]; })"""
        )
        assert sizes
        small = [s for s in sizes if s[1] < 24 or s[2] < 24]
        assert small == [], (address, small)


def test_keyboard_walk_through_the_banner_and_visible_focus(site, new_page):
    page, _ = new_page()
    page.goto(site)
    order = []
    for _ in range(4):
        page.keyboard.press("Tab")
        order.append(page.evaluate("() => document.activeElement.textContent.trim()"))
        outline = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }"
        )
        assert outline[0] != "none" and outline[1] != "0px", order[-1]
    assert order == ["Accept all", "Reject all", "Settings", "Read More"]
    # Space operates a button as well as Enter does.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Accept all"
    page.keyboard.press("Space")
    page.wait_for_selector("#consent-reopen")
    assert page.locator("#consent-banner").count() == 0


def test_settings_page_works_with_the_keyboard(site, new_page):
    page, _ = new_page()
    page.goto(site + "consent/settings?next=/%3Ffrom%3Dsettings")
    page.locator("#consent-category-analytics").focus()
    page.keyboard.press("Space")  # tick analytics
    assert page.locator("#consent-category-analytics").is_checked()
    page.keyboard.press("Tab")  # marketing
    page.keyboard.press("Tab")  # Save
    assert page.evaluate("() => document.activeElement.value") == "save"
    page.keyboard.press("Enter")
    page.wait_for_url(site + "?from=settings")
    assert page.evaluate("() => document.documentElement.lang") == "en"
    state = page.evaluate("async () => (await fetch('/consent')).json()")
    assert state["categories"] == {"necessary": True, "analytics": True, "marketing": False}


def test_text_at_200_percent_is_not_clipped(site, new_page):
    page, _ = new_page(viewport={"width": 1280, "height": 900}, **AXE_OK)
    page.goto(site)
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('#consent-banner p, #consent-banner button, #consent-banner a')]
            .filter(el => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
            .map(el => el.textContent)"""
    )
    assert clipped == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280


def test_no_focused_element_hides_behind_the_reopen_control(site, new_page):
    page, _ = new_page(viewport={"width": 800, "height": 500})
    page.goto(site)
    page.get_by_role("button", name="Reject all").click()
    page.wait_for_selector("#consent-reopen")
    page.reload()
    page.wait_for_selector("#consent-reopen")
    hidden = []
    for _ in range(25):
        page.keyboard.press("Tab")
        covered = page.evaluate(
            """() => {
                const el = document.activeElement, tab = document.getElementById('consent-reopen');
                if (!el || el === tab || el === document.body) return false;
                const a = el.getBoundingClientRect(), b = tab.getBoundingClientRect();
                return a.top >= b.top && a.bottom <= b.bottom && a.left >= b.left && a.right <= b.right;
            }"""
        )
        if covered:
            hidden.append(page.evaluate("() => document.activeElement.outerHTML.slice(0, 80)"))
    assert hidden == []


def test_loading_and_dismissing_the_banner_shifts_no_layout(site, new_page):
    page, _ = new_page()
    page.add_init_script(
        """window.__cls = 0;
        new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
            .observe({ type: 'layout-shift', buffered: true });"""
    )
    page.goto(site)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__cls") < 0.01
    page.get_by_role("button", name="Accept all").click()  # a shift right after input is not counted
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__cls") < 0.01


def test_no_animation_for_visitors_who_prefer_reduced_motion(site, new_page):
    page, _ = new_page(reduced_motion="reduce")
    page.goto(site)
    durations = page.evaluate(
        "() => [...document.querySelectorAll('#consent-banner button, #consent-banner a')].map(el => getComputedStyle(el).transitionDuration)"
    )
    assert set(durations) == {"0s"}
    page, _ = new_page(reduced_motion="no-preference")
    page.goto(site)
    assert (
        page.locator("#consent-banner button").first.evaluate("el => getComputedStyle(el).transitionDuration") != "0s"
    )


def test_dark_theme_follows_the_system_setting(site, new_page):
    colors = []
    for scheme in ("light", "dark"):
        page, _ = new_page(color_scheme=scheme, **AXE_OK)
        page.goto(site)
        colors.append(page.locator("#consent-banner").evaluate("el => getComputedStyle(el).backgroundColor"))
        assert axe(page, "#consent-banner") == []
        page.screenshot(path=str(SHOTS / f"banner-en-{scheme}.png"))
    assert colors[0] != colors[1]
