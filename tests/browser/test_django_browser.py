"""The Django example in Chromium, started with its one command (manage.py runserver): the banner in the
reader's language (LocaleMiddleware), a choice, and the footer's {% consent_settings_url %} link leading to the
settings page in the site's Django layout and back."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .._lifetime import die_with_test
from .conftest import ROOT, free_port

pytestmark = pytest.mark.browser
pytest.importorskip("django", reason="Django is not installed (pip install -e '.[django]')")
SHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture(scope="module")
def django_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    argv = [
        sys.executable,
        str(ROOT / "examples/django_site/manage.py"),
        "runserver",
        "--noreload",
        f"127.0.0.1:{port}",
    ]
    cwd: Path = tmp_path_factory.mktemp("django_site")
    proc = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=die_with_test()
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            break
        except OSError as exc:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"server did not start: {proc.communicate()[0]}") from exc
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(10)
    assert proc.stdout is not None
    proc.stdout.close()


def test_django_example_banner_choice_and_footer_link(django_site: str, new_page) -> None:
    page, probe = new_page(viewport={"width": 390, "height": 844}, locale="de-DE")
    page.goto(django_site + "articles/harbour")
    banner = page.locator("#consent-banner")
    assert banner.is_visible() and banner.get_attribute("lang") == "de"
    assert probe.requests == []  # under runserver: GA and the video wait
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "django-article-de-390px.png"))
    page.get_by_role("button", name="Alle akzeptieren").click()
    page.wait_for_function("() => window.__ran && window.__ran['www.googletagmanager.com'] === 1")
    assert page.locator("#consent-banner").count() == 0 and page.locator("#consent-reopen").count() == 0
    page.reload()
    assert page.get_by_label("Advertisement").is_visible()  # the view's request.consent allows marketing now
    page.get_by_role("link", name="Cookie settings").click()
    page.wait_for_url("**/consent/settings?next=%2Farticles%2Fharbour&lang=de")
    assert page.title() == "Cookie-Einstellungen - The Harbour Gazette"
    assert page.locator("footer").inner_text().startswith("© 2026 The Harbour Gazette")
    page.screenshot(path=str(SHOTS / "django-settings-de-390px.png"), full_page=True)
    page.get_by_role("button", name="Alle ablehnen").click()
    page.wait_for_url(django_site + "articles/harbour")
    assert page.evaluate("async () => (await fetch('/api/consent-summary')).json()")["categories"]["marketing"] is False
    assert page.console_errors == []
