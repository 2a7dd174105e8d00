"""The banner's checks on measured buttons: Reject as prominent as Accept, the page's language."""

from __future__ import annotations

import pytest

from consent._scan._banner import _language, _prominence, load_words
from consent._scan._model import Banner, Button

from .conftest import config_from


def banner(reject: Button | None, accept: Button | None = None, **kw) -> Banner:
    accept = accept or Button("Accept all", "button", 120.0, 40.0, "16px", "600", 8.0)
    return Banner(found=True, accept=accept, reject=reject, **kw)


@pytest.mark.parametrize(
    ("width", "height", "ok"),
    [(120.0, 40.0, True), (118.0, 42.0, True), (117.5, 40.0, False), (120.0, 37.9, False), (60.0, 20.0, False)],
)
def test_reject_must_match_accept_within_two_pixels(width, height, ok):
    checked = banner(Button("Reject all", "button", width, height, "16px", "600", 8.0))
    _prominence(checked)
    assert checked.prominence_ok is ok
    assert ("more than 2 px apart" in checked.prominence_problem) is (not ok)


@pytest.mark.parametrize(
    ("reject", "problem"),
    [
        (None, "no Reject button next to Accept"),
        (Button("Reject all", "a", 120, 40, "16px", "600", 8.0), "Reject is a <a>, Accept a <button>"),
        (Button("Reject all", "button", 120, 40, "13px", "600", 8.0), "Reject text is 13px weight 600"),
        (Button("Reject all", "button", 120, 40, "16px", "600", 2.1), "Reject text contrast is 2.1:1 (Accept 8:1)"),
    ],
)
def test_weaker_reject_buttons_are_named(reject, problem):
    checked = banner(reject)
    _prominence(checked)
    assert checked.prominence_ok is False
    assert checked.prominence_problem.startswith(problem)


def test_the_catalogs_give_the_button_words_of_every_language():
    words = load_words(None)
    assert words.locales_of("Alle akzeptieren", "Alle ablehnen") == ["de"]
    assert "en" in words.locales_of("Accept all", "Reject all")
    assert words.locales_of("Accept all", "Alle ablehnen") == []


def test_site_wording_is_recognised_too(tmp_path):
    config = config_from(tmp_path, '[text.de]\naccept_all = "Na klar"\n')
    assert "de" in load_words(config).locales_of("Na klar", "Alle ablehnen")


def de(accept: str, reject: str, **kw) -> Banner:
    return banner(
        Button(reject, "button", 120, 40, "16px", "600"), Button(accept, "button", 120, 40, "16px", "600"), **kw
    )


@pytest.mark.parametrize(
    ("checked", "ok", "wording"),
    [
        (de("Alle akzeptieren", "Alle ablehnen", page_lang="de"), True, "de"),
        (de("Alle akzeptieren", "Alle ablehnen", page_lang="de-AT"), True, "de"),
        (de("Accept all", "Reject all", page_lang="de"), False, "en"),  # an English banner on a German page
        (de("Alle akzeptieren", "Alle ablehnen", page_lang="de", banner_lang="en"), False, "de"),
        (de("Yes please", "No thanks", page_lang="de", banner_lang="de"), True, ""),  # unknown words, same lang
        (de("Yes please", "No thanks", page_lang="de"), None, ""),  # nothing to go on
        (de("Alle akzeptieren", "Alle ablehnen", page_lang=""), None, "de"),  # the page says no language
    ],
)
def test_the_banner_must_speak_the_pages_language(checked, ok, wording):
    _language(checked, load_words(None))
    assert checked.language_ok is ok
    assert checked.wording_lang == wording
