"""The [[cookies]] blocks for undeclared cookies: valid TOML that the configuration accepts as it is."""

from __future__ import annotations

import tomllib

import pytest

from consent._scan._classify import Classifier
from consent._scan._model import InventoryCookie
from consent._scan._toml import duration, undeclared

from .conftest import config_from

BASE = '[[categories]]\nkey = "analytics"\n[[categories]]\nkey = "marketing"\n'


def seen(name: str, **kw) -> InventoryCookie:
    values = dict(domain="news.example", first_party=True, category="", provider="", declared=False, phases=["before"])
    values.update(kw)
    return InventoryCookie(name=name, pages=1, **values)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "session"),
        (30, "1 minute"),
        (7200, "2 hours"),
        (86400 * 30, "1 month"),
        (86400 * 365, "1 year"),
        (86400 * 400, "13 months"),  # browsers cap lifetimes at 400 days
        (86400 * 390, "13 months"),
        (86400 * 45, "45 days"),
        (86400 * 89.99, "3 months"),  # seen a moment after it was set
        (86400 * 10, "10 days"),
        (86400 * 730, "2 years"),
    ],
)
def test_durations_as_the_configuration_writes_them(seconds, text):
    assert duration(seconds) == text


def test_blocks_paste_into_the_configuration_as_they_are(tmp_path):
    config = config_from(tmp_path, BASE)
    cookies = [
        seen("_hjSessionUser_1", category="analytics", provider="Hotjar", expires_in=86400 * 365.0),
        seen("YSC", category="marketing", provider="YouTube", domain="www.youtube.com", first_party=False),
        seen("session", source="https://news.example/", domain=".news.example"),
        seen('we"ird\\name\x7f', source='https://news.example/"x'),  # quotes, backslashes, DEL: still TOML
        seen("consent", category="necessary", declared=True),
    ]
    text = undeclared(cookies, Classifier(config))
    parsed = tomllib.loads(text)["cookies"]
    assert [c["name"] for c in parsed] == ["_hjSessionUser_1", "YSC", "session", 'we"ird\\name\x7f']
    hotjar, ysc, session, _ = parsed
    assert (hotjar["category"], hotjar["provider"], hotjar["duration"], hotjar["third_party"]) == (
        "analytics",
        "Hotjar",
        "1 year",
        True,
    )
    assert ysc["third_party"] is True
    # An unknown cookie is kept off until consent until someone says it is necessary.
    assert session["category"] == "analytics" and "third_party" not in session
    assert session["domain"] == ".news.example"
    assert "# session: not in the tracker table" in text
    # And the result is a configuration the server accepts.
    combined = config_from(tmp_path, BASE + "\n" + text.replace('we\\"ird\\\\name\\u007f', "weird"))
    assert [c.name for c in combined.cookies][:3] == ["_hjSessionUser_1", "YSC", "session"]


def test_every_name_once_and_nothing_when_all_are_declared(tmp_path):
    classifier = Classifier(config_from(tmp_path, BASE))
    twice = [seen("a", domain="x.example"), seen("a", domain="y.example")]
    assert undeclared(twice, classifier).count("[[cookies]]") == 1
    assert undeclared([seen("consent", declared=True)], classifier) == ""


def test_a_category_the_configuration_lacks_is_pointed_out(tmp_path):
    # (With auto_block on, a category the tracker table needs is added by the configuration itself.)
    classifier = Classifier(config_from(tmp_path, 'auto_block = false\n[[categories]]\nkey = "analytics"\n'))
    text = undeclared([seen("_fbp", category="marketing", provider="Meta")], classifier)
    assert '# needs a [[categories]] entry with key = "marketing"' in text
