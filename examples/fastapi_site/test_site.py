"""Tests of the example FastAPI site, as a site's own tests would use consent.testing.

Run them with ``python -m pytest examples/fastapi_site/test_site.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent))

from app import app, config

from consent.testing import clear_consent, consent_cookie, set_consent


def test_a_new_visitor_gets_the_banner_and_no_ad():
    client = TestClient(app)
    page = client.get("/articles/harbour").text
    assert 'id="consent-banner"' in page and "Advertisement" not in page


def test_a_visitor_who_accepted_everything_gets_the_ad():
    client = TestClient(app)
    set_consent(client, config, "all")
    page = client.get("/articles/harbour").text
    assert 'id="consent-banner"' not in page and "Advertisement" in page


def test_a_visitor_who_accepted_everything_gets_the_video_live():
    client = TestClient(app)
    set_consent(client, config, "all")
    assert ' src="https://www.youtube-nocookie.com/embed/harbour"' in client.get("/articles/harbour").text


def test_a_visitor_who_allowed_only_analytics():
    client = TestClient(app, cookies=consent_cookie(config, ["analytics"]))
    assert client.get("/api/consent-summary").json()["categories"] == {
        "necessary": True,
        "analytics": True,
        "marketing": False,
    }
    assert "Advertisement" not in client.get("/articles/harbour").text
    clear_consent(client, config)
    assert client.get("/api/consent-summary").json()["decided"] is False


def test_the_footer_links_to_the_cookie_settings_and_back():
    page = TestClient(app).get("/articles/market").text
    assert '<a href="/consent/settings?next=%2Farticles%2Fmarket">Cookie settings</a>' in page
