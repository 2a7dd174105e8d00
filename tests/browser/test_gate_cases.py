"""The browser gate suite: in Chromium, with every third party intercepted, a page for each way of putting a
tracker into HTML (``gate.cases.CASES``). For each: no request reaches a tracker host before consent, and
after Accept all (a click, then a reload where only the next page brings it back) the case's tracker is
requested. Markup cases run with JavaScript off too. The same pages against the code before issues 8 and 9:
``python -m tests.browser.gate.report``.
"""

from __future__ import annotations

import sys

import pytest

from .gate.case import Case
from .gate.cases import BY_ID, CASES
from .gate.runner import Runner, sentinel, start_server, stop_server

pytestmark = pytest.mark.browser

WITH_JS = [c for c in CASES if c.js]
MARKUP = [c for c in CASES if not c.runtime]


def test_the_suite_covers_every_way_at_least_sixty_with_javascript():
    assert len(WITH_JS) >= 60 and len(MARKUP) >= 40
    ids = {c.id for c in CASES}
    for way in ("url-base-href", "el-iframe-srcdoc", "el-meta-refresh", "big-inline-script", "big-tag-img"):
        assert way in ids
    for way in (
        "image",
        "beacon",
        "fetch",
        "xhr",
        "script-src",
        "concatenation",
        "onload-handler",
        "document-write-script",
    ):
        assert f"rt-{way}" in ids


@pytest.fixture(scope="module")
def gate(browser):
    proc, url = start_server(sys.executable)
    runner = Runner(browser, url)
    yield runner
    runner.close()
    stop_server(proc)


@pytest.mark.parametrize("case", WITH_JS, ids=lambda c: c.id)
def test_no_tracker_request_before_consent_and_the_tracker_after_accept(gate, case: Case):
    page, visit = gate.before(case)
    assert page.locator("#consent-banner").count() == 1  # served through the middleware, undecided
    after = gate.after(case, page, visit)
    assert visit.before_consent(case.id) == [], f"{case.what}: a tracker request before consent"
    assert after, f"{case.what}: not requested after Accept all"
    assert page.errors == []


@pytest.mark.parametrize("case", MARKUP, ids=lambda c: c.id)
def test_markup_with_javascript_off_requests_no_tracker(gate, case: Case):
    page, visit = gate.before(case, js=False)
    page.wait_for_url(f"**/done?c={case.id}")  # the page's own refresh won: no tracker's did
    assert visit.before_consent(case.id) == [], f"{case.what}: a tracker request with JavaScript off"


def choose_on_settings(gate: Runner, page, next_path: str, button: str, tick=(), title: str = "") -> None:
    page.goto(gate.base + "consent/settings?next=" + next_path)
    for key in tick:
        page.locator(f"#consent-category-{key}").check()
    with page.expect_request(sentinel(title)):
        page.get_by_role("button", name=button).click()


def test_a_tag_manager_allowed_as_analytics_cannot_bring_a_marketing_tag(gate):
    page, visit = gate.visitor()
    visit.mark(page)  # phase 1: analytics allowed
    choose_on_settings(gate, page, "/tag-manager", "Save my choices", tick=["analytics"], title="tm")
    assert gate.wait_for(page, lambda: [u for u in visit.phase(1, "tm") if "google-analytics" in u])
    assert page.evaluate("() => window.__tagManager") is True  # it ran, and asked Meta for two things
    visit.mark(page)  # phase 2: everything allowed
    choose_on_settings(gate, page, "/tag-manager", "Accept all", title="tm")
    assert gate.wait_for(page, lambda: len([u for u in visit.phase(2, "tm") if "facebook" in u]) == 2)
    assert [u for u in visit.phase(1, "tm") if "facebook" in u] == []
    assert visit.before_consent("tm") == []


def test_on_a_shared_page_the_guard_reads_the_choice_from_the_cookie(gate):
    page, visit = gate.visitor()
    visit.mark(page)  # phase 1: analytics allowed, the page shared by every visitor
    choose_on_settings(gate, page, "/case/mixed", "Save my choices", tick=["analytics"], title="mixed")
    assert page.locator("script[data-undecided]").count() == 1  # the guard of a shared page
    assert gate.wait_for(page, lambda: [u for u in visit.phase(1, "mixed") if "google-analytics" in u])
    visit.mark(page)  # phase 2: the same page again
    with page.expect_request(sentinel("mixed")):
        page.reload()
    assert gate.wait_for(page, lambda: [u for u in visit.phase(2, "mixed") if "google-analytics" in u])
    assert [u for u in visit.after_consent("mixed") if "facebook" in u] == []


def test_held_scripts_run_after_accept_in_the_order_they_were_held_with_their_handlers(gate):
    page, visit = gate.before(BY_ID["order"])
    assert gate.after(BY_ID["order"], page, visit)
    page.wait_for_function("() => window.__order.length === 3")
    assert page.evaluate("() => window.__order") == [0, 1, 2]
    assert visit.before_consent("order") == []


def test_without_the_guard_code_at_run_time_reaches_the_trackers(browser):
    """client_guard=False: the same first-party code leaks, so the guard is what stops it."""
    proc, url = start_server(sys.executable, "--no-guard")
    runner = Runner(browser, url)
    try:
        for name in ("rt-script-src", "rt-fetch", "rt-image"):
            page, visit = runner.before(BY_ID[name])
            assert runner.wait_for(page, lambda: visit.before_consent(name)), name  # noqa: B023
    finally:
        runner.close()
        stop_server(proc)


LEAKY_WITH_GUARD = """
import sys
sys.path.insert(0, "examples/leaky_site")
import app as leaky, uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from consent import ConsentConfig, ConsentMiddleware
config = ConsentConfig.from_toml(leaky.HERE / "consent.toml", secret_key="leaky-" * 8)  # client_guard: default
site = Starlette(routes=leaky.app.routes, middleware=[Middleware(ConsentMiddleware, config=config)])
uvicorn.run(site, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def test_the_leaky_example_with_the_guard_on_keeps_two_of_its_three_leaks(browser):
    """examples/leaky_site turns the guard off on purpose; with it on, Hotjar injected by recommend.js and the
    fetch beacon of stats.js wait for consent; the _fbp cookie that share.js writes is beyond any request guard."""
    from .conftest import free_port, serve

    port = free_port()
    proc = serve([sys.executable, "-c", LEAKY_WITH_GUARD, str(port)], f"http://127.0.0.1:{port}/about")
    runner = Runner(browser, f"http://127.0.0.1:{port}/")
    try:
        page, visit = runner.visitor()
        page.goto(runner.base)  # waits for the load event: the three planted scripts have run
        assert "_fbp=" in page.evaluate("document.cookie")
        visit.mark(page)
        page.get_by_role("button", name="Accept all").click()
        page.locator(".consent-status").wait_for()
        assert runner.wait_for(page, lambda: [u for u in visit.phase(1, "", others=True) if "hotjar" in u])  # released
        assert [u for u in visit.phase(0, "", others=True) if "hotjar" in u or "google-analytics" in u] == []
    finally:
        runner.close()
        stop_server(proc)
