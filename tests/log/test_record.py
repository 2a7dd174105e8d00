"""The record's parts: no raw IP, the browser family only, the page path without its query, the shown text."""

from __future__ import annotations

import pytest

from consent import ConsentConfig, ConsentMiddleware, ConsentRecord
from consent._log.record import record_path, truncate_ip, user_agent_family

from .conftest import SECRET
from .test_store import record


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::/48"),
        ("::ffff:198.51.100.9", "198.51.100.0/24"),  # IPv4 through an IPv6 socket
        ("fe80::1%eth0", "fe80::/48"),
        ("testclient", None),
        ("", None),
        (None, None),
    ],
)
def test_an_address_is_cut_to_its_network(address, network):
    assert truncate_ip(address) == network


@pytest.mark.parametrize(
    ("header", "family"),
    [
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0", "Edge"),  # noqa: E501 - real user agents
        ("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 OPR/115.0", "Opera"),  # noqa: E501 - real user agents
        ("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0 Mobile Safari/537.36", "Samsung Internet"),  # noqa: E501 - real user agents
        ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1", "Chrome"),  # noqa: E501 - real user agents
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "Safari"),  # noqa: E501 - real user agents
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Bot"),
        ("curl/8.5.0", "Tool"),
        ("", "Other"),
        (None, "Other"),
    ],
)  # fmt: skip
def test_only_the_browser_family_is_kept(header, family):
    assert user_agent_family(header) == family


def test_the_page_path_loses_its_query_and_is_bounded():
    assert record_path("/article?token=secret#top") == "/article"
    assert len(record_path("/" + "a" * 5000)) == 512
    assert record_path(None) == ""


def test_a_record_is_a_decision_and_round_trips_through_json():
    from consent import ConsentDecision

    r = record(region="DE", gpc=True, ip="203.0.113.0/24")
    assert isinstance(r, ConsentDecision)  # on_decision hooks written for ConsentDecision keep working
    data = r.to_json()
    assert data["granted"] == ["necessary", "analytics", "marketing"] and data["refused"] == []
    assert ConsentRecord.from_json(data, r.text) == r
    assert "body" not in repr(r.text)  # a record prints short


def test_each_shown_text_is_rendered_once_per_kind_locale_and_mode(monkeypatch):
    config = ConsentConfig(secret_key=SECRET, locales=["en", "de"])
    texts = ConsentMiddleware(None, config).endpoints.recorder.texts
    calls = []
    make = texts._make
    monkeypatch.setattr(texts, "_make", lambda *a: calls.append(a) or make(*a))
    first = texts.get("banner", "de", "opt-in")
    assert texts.get("banner", "de", "opt-in") is first
    assert texts.get("banner", "de", "opt-in", decided=True) is first  # the banner has no Withdraw button
    gpc = texts.get("banner", "de", "opt-in", gpc=True)
    assert (
        gpc.digest != first.digest and "Ihr Global-Privacy-Control-Signal wird berücksichtigt." in gpc.document["lines"]
    )
    assert texts.get("banner", "de", "opt-out").document["lines"][1] != first.document["lines"][1]
    assert len(calls) == 3
    assert texts.get("api", "en", "opt-in").document["lines"] == []  # the site's own interface: words unknown
