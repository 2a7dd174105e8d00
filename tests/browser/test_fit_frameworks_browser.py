"""The FastAPI example in Chromium, started with its one command: the banner, a choice, and the footer's
"Cookie settings" link (consent.jinja) leading to the settings page in the site's layout and back."""

from __future__ import annotations

import sys

import pytest

from .conftest import free_port, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def fastapi_site():
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    proc = serve([sys.executable, "examples/fastapi_site/app.py", "--port", str(port)], url)
    yield url
    proc.terminate()
    proc.wait(10)
    proc.stdout.close()


def test_fastapi_example_banner_choice_and_footer_link(fastapi_site, new_page):
    page, probe = new_page(viewport={"width": 390, "height": 844})
    page.goto(fastapi_site + "articles/harbour")
    assert page.locator("#consent-banner").is_visible()
    assert probe.requests == []  # gated under uvicorn: GA and the video wait
    page.get_by_role("button", name="Accept all").click()
    page.wait_for_function("() => window.__ran && window.__ran['www.googletagmanager.com'] === 1")
    assert page.locator("#consent-reopen").count() == 0  # reopen_link=False: the footer link does that
    page.get_by_role("link", name="Cookie settings").click()
    page.wait_for_url("**/consent/settings?next=%2Farticles%2Fharbour")
    assert page.title() == "Cookie settings - The Harbour Gazette"
    assert page.locator("footer").inner_text().startswith("© 2026 The Harbour Gazette")
    page.get_by_role("button", name="Reject all").click()
    page.wait_for_url(fastapi_site + "articles/harbour")
    assert page.evaluate("async () => (await fetch('/api/consent-summary')).json()")["categories"]["marketing"] is False
