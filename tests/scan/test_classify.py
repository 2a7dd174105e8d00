"""Which hosts are the site's, and who is behind a request, a cookie or a storage key."""

from __future__ import annotations

import pytest

from consent._scan._classify import Classifier, Site

from .conftest import config_from


@pytest.mark.parametrize(
    ("start", "host", "owns"),
    [
        ("https://www.example.com/", "example.com", True),
        ("https://www.example.com/", "cdn.example.com", True),
        ("https://example.com/a", "www.example.com", True),
        ("https://example.com/", "example.com.evil.net", False),
        ("https://example.com/", "notexample.com", False),
        ("https://example.com/", "www.google-analytics.com", False),
        ("http://127.0.0.1:8000/", "127.0.0.1", True),
        ("http://127.0.0.1:8000/", "0.0.1", False),  # an IP address has no subdomains
        ("http://localhost:8000/", "a.localhost", False),
    ],
)
def test_first_party_is_the_site_and_its_subdomains(start, host, owns):
    assert Site(start).owns(host) is owns


def test_same_host_follows_only_the_start_host():
    assert Site("https://www.example.com/").crawls("https://shop.example.com/cart")
    assert not Site("https://www.example.com/", same_host=True).crawls("https://shop.example.com/cart")
    assert Site("https://www.example.com/", same_host=True).crawls("https://www.example.com/about")
    for url in ("mailto:a@example.com", "javascript:alert(1)", "ftp://www.example.com/"):
        assert not Site("https://www.example.com/").crawls(url)


def test_a_start_url_needs_a_host():
    with pytest.raises(ValueError, match="not an http"):
        Site("file:///etc/passwd")


def test_table_names_providers_of_hosts_and_cookies():
    classifier = Classifier(None)
    assert classifier.request("https://static.hotjar.com/c/hotjar-1.js").provider == "Hotjar"
    assert classifier.request("https://static.hotjar.com/c/hotjar-1.js").category == "analytics"
    assert classifier.request("https://fonts.example-cdn.net/a.woff").provider == ""
    assert classifier.cookie("_hjSessionUser_123", "127.0.0.1").provider == "Hotjar"
    assert classifier.cookie("_fbp", "example.com").category == "marketing"
    # Not by name, but by the tracker's domain the cookie lives on.
    assert classifier.cookie("YSC", ".youtube.com").provider == "YouTube"
    # Not by name or domain, but by the tracker script that wrote it.
    assert classifier.cookie("xyz", "example.com", "https://connect.facebook.net/en_US/fbevents.js").category == (
        "marketing"
    )
    assert classifier.cookie("session", "example.com").category == ""
    assert classifier.storage("_hjid").provider == "Hotjar"
    assert classifier.storage("theme").category == ""


def test_the_consent_cookie_is_necessary(tmp_path):
    assert Classifier(None).cookie("consent", "example.com").category == "necessary"
    config = config_from(tmp_path, 'cookie_name = "cc"\n')
    assert Classifier(config).cookie("cc", "example.com").category == "necessary"
    assert Classifier(config).cookie("consent", "example.com").category == ""


def test_declarations_win_over_the_table_and_tracker_categories_map(tmp_path):
    config = config_from(
        tmp_path,
        """
tracker_categories = { analytics = "stats" }
[[categories]]
key = "stats"
title = "Statistics"
[[categories]]
key = "marketing"
[[cookies]]
name = "_fbp"
category = "necessary"
provider = "Us"
purpose = "A test."
duration = "1 day"
""",
    )
    classifier = Classifier(config)
    fbp = classifier.cookie("_fbp", "example.com")
    assert (fbp.category, fbp.provider, fbp.declared) == ("necessary", "Us", True)
    assert classifier.cookie("_ga", "example.com").category == "stats"
    assert classifier.request("https://www.google-analytics.com/g/collect").category == "stats"
    assert not classifier.cookie("_ga", "example.com").declared


def test_the_sites_own_tracker_entries_count(tmp_path):
    config = config_from(
        tmp_path,
        """
[[trackers]]
id = "acme"
name = "Acme Metrics"
category = "analytics"
hosts = ["metrics.acme.test"]
cookies = ["_acme_*"]
""",
    )
    classifier = Classifier(config)
    assert classifier.request("https://eu.metrics.acme.test/p").provider == "Acme Metrics"
    assert classifier.cookie("_acme_id", "example.com").provider == "Acme Metrics"
