"""``consent log report --html`` opened in Chromium: the chart is drawn, nothing is fetched from the network,
and a screenshot goes to ``docs/screenshots/consent-log-report.png`` for a person to look at."""

from __future__ import annotations

import os
import random
from datetime import timedelta
from pathlib import Path

import pytest

from consent import ConsentConfig, ConsentMiddleware, ConsentRecord
from consent._cli import main
from consent._log.record import new_record_id
from consent._log.sqlite import SqliteStore

from .conftest import SECRET
from .test_store import T0

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CONSENT_CHROMIUM", "/usr/bin/chromium")
SHOT = ROOT / "docs" / "screenshots" / "consent-log-report.png"
pytestmark = pytest.mark.browser


def six_weeks_of_decisions(path: Path) -> int:
    """A news site's log: the banner changed after three weeks, and more visitors accepted (deterministic)."""
    texts = ConsentMiddleware(None, ConsentConfig(secret_key=SECRET, locales=["en", "de", "fr"])).endpoints
    shown = texts.recorder.texts
    rng = random.Random(11)
    records = []
    for day in range(42):
        for i in range(rng.randint(120, 320)):
            locale, region = rng.choice([("de", "DE"), ("de", "AT"), ("en", "GB"), ("fr", "FR"), ("en", "US")])
            x = rng.random()
            accept = 0.52 + (0.14 if day >= 21 else 0.0)
            action = "accept" if x < accept else "reject" if x < 0.92 else ("save" if x < 0.97 else "withdraw")
            source = "settings" if action == "save" else "banner"
            granted = {"accept": ("analytics", "marketing"), "save": ("analytics",)}.get(action, ())
            records.append(
                ConsentRecord(
                    consent_id=f"v{day}-{i}",
                    time=T0.replace(hour=0, minute=0) + timedelta(days=day, seconds=rng.randrange(86400)),
                    action=action,
                    categories={"necessary": True, **{k: k in granted for k in ("analytics", "marketing")}},
                    policy_version="2026-03",
                    mode="opt-in",
                    record_id=new_record_id(),
                    region=region,
                    locale=locale,
                    source=source,
                    path="/article",
                    text=shown.get(source, locale, "opt-in"),
                    user_agent="Firefox",
                )
            )
    records.sort(key=lambda r: r.time)
    store = SqliteStore(path)
    store.write_sync(records)
    store.close()
    return len(records)


def test_the_report_opens_in_chromium_with_its_chart(tmp_path, capsys):
    pytest.importorskip("plotly", reason="the report needs plotly: pip install -e '.[report]'")
    if not Path(CHROMIUM).exists():
        if os.environ.get("CONSENT_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} not found")
        pytest.skip(f"{CHROMIUM} not found: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    db = tmp_path / "log.db"
    count = six_weeks_of_decisions(db)
    report = tmp_path / "report.html"
    assert main(["log", "report", "--html", str(report), "--log", str(db), "--title", "Daily Pacific: consent"]) == 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            fetched = []
            page.on("request", lambda r: fetched.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(report.as_uri())
            page.wait_for_selector(".plot-container .main-svg")
            lines = page.locator(".scatterlayer .trace").count()
            bars = page.locator(".barlayer .point").count()
            text = page.inner_text("body")
            SHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOT), full_page=True)
        finally:
            browser.close()
    assert errors == [] and fetched == []  # self-contained: no script or font from anywhere
    assert lines == 3 and bars == 42  # accept, reject, custom rates over 42 days of decisions
    assert f"{count}\ndecisions" in text and "By region" in text and "AT" in text
