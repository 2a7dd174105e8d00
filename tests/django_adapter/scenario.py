"""What every way of running Django must show, asserted on the markup and the headers."""

from __future__ import annotations

INERT = '<script data-consent-auto="google-tag-manager" type="text/plain" data-consent="analytics" async src="https://www.googletagmanager.com/gtag/js?id=G-HARBOUR1">'
LIVE = '<script data-consent="analytics" async src="https://www.googletagmanager.com/gtag/js?id=G-HARBOUR1">'
VIDEO_LIVE = ' src="https://www.youtube-nocookie.com/embed/harbour"'
ACCEPT = "action=accept&next=%2Farticles%2Fharbour"
FORM = "application/x-www-form-urlencoded"


def new_visitor_page(text: str) -> None:
    """The banner, right after <body>, and no live tracker; the view saw an undecided visitor."""
    assert '<body><link rel="stylesheet" href="/consent/static/consent.' in text
    assert 'id="consent-banner"' in text
    assert INERT in text and LIVE not in text and VIDEO_LIVE not in text
    assert "Advertisement" not in text  # the view's request.consent.allows("marketing") was False
    assert '<a href="/consent/settings?next=%2Farticles%2Fharbour">Cookie settings</a>' in text  # the tag


def accepted(status: int, location: str | None, set_cookie: str) -> None:
    assert status == 303 and location == "/articles/harbour"
    assert set_cookie.startswith("consent=1:2026-11:analytics.marketing:")
    assert "Path=/" in set_cookie and "SameSite=Lax" in set_cookie


def decided_page(text: str) -> None:
    """No banner, the trackers served live; the view saw the choice."""
    assert 'id="consent-banner"' not in text
    assert LIVE in text and VIDEO_LIVE in text
    assert "Advertisement" in text


def first_part_streamed(first: str) -> None:
    """The first part of /stream arrived rewritten (banner, tracker inert) before the second was produced."""
    assert "part 1" in first and "part 2" not in first
    assert 'id="consent-banner"' in first
    assert '<script data-consent-auto="google-tag-manager" type="text/plain"' in first
