"""The violation rules, on pages built by hand (what the browser side would have recorded)."""

from __future__ import annotations

from consent._scan._classify import Classifier
from consent._scan._model import Banner, Button, CookieSeen, PageResult, Phase, RequestSeen, StorageSeen
from consent._scan._rules import findings

from .conftest import config_from

URL = "https://news.example/"


def request(url: str, provider: str = "", category: str = "", initiator: str = "") -> RequestSeen:
    host = url.split("/")[2]
    return RequestSeen(url, host, "script", initiator, provider, category)


def cookie(name: str, category: str = "", provider: str = "", domain: str = "news.example", **kw) -> CookieSeen:
    return CookieSeen(name, domain, "/", kw.pop("first_party", True), None, category=category, provider=provider, **kw)


def page(**phases: Phase) -> PageResult:
    result = PageResult(URL, status=200)
    result.phases.update(phases)
    button = Button("Accept all", "button", 120, 40, "16px", "400", 7.0)
    result.banner = Banner(
        found=True,
        where="div[role=dialog]",
        page_lang="en",
        language_ok=True,
        accept=button,
        reject=Button("Reject all", "button", 120, 40, "16px", "400", 7.0),
        prominence_ok=True,
        keyboard_ok=True,
        keyboard_tabs={"accept": 1, "reject": 2},
    )
    return result


def kinds(found, severity="violation"):
    return sorted((f.kind, f.subject) for f in found if f.severity == severity)


def test_before_a_choice_trackers_optional_cookies_and_storage_are_violations():
    before = Phase(
        "before",
        requests=[
            request("https://static.hotjar.com/c/h.js", "Hotjar", "analytics", "https://news.example/w.js"),
            request("https://cdn.fonts.example/f.woff"),
        ],
        cookies=[cookie("_fbp", "marketing", "Meta", set_by="javascript"), cookie("consent", "necessary")],
        storage=[StorageSeen("_hjid", "https://news.example", "Hotjar", "analytics"), StorageSeen("theme", "x")],
    )
    found = findings([page(before=before)], Classifier(None))
    assert kinds(found) == [
        ("cookie", "_fbp"),
        ("storage", "_hjid"),
        ("tracker-request", "https://static.hotjar.com/c/h.js"),
    ]
    hotjar = next(f for f in found if f.kind == "tracker-request")
    assert hotjar.provider == "Hotjar" and hotjar.source == "https://news.example/w.js"
    assert "made by https://news.example/w.js" in hotjar.message
    # An unknown host is something to look at, not a violation; violations come first.
    assert kinds(found, "notice") == [("third-party", "cdn.fonts.example")]
    assert found[-1].severity == "notice"


def test_an_unknown_cookie_before_a_choice_is_a_notice_not_a_violation():
    found = findings([page(before=Phase("before", cookies=[cookie("session")]))], Classifier(None))
    assert kinds(found) == []
    assert kinds(found, "notice") == [("undeclared", "session")]


def test_after_accept_nothing_is_a_violation():
    accept = Phase("accept", requests=[request("https://static.hotjar.com/c/h.js", "Hotjar", "analytics")])
    accept.cookies = [cookie("_ga", "analytics")]
    assert kinds(findings([page(before=Phase("before"), accept=accept)], Classifier(None))) == []


def test_after_reject_cookies_left_set_again_or_new_are_told_apart():
    reject = Phase(
        "reject",
        requests=[request("https://www.google-analytics.com/g/collect", "Google Analytics", "analytics")],
        cookies=[
            cookie("_ga", "analytics"),  # planted by the test's "Accept", left in place by the site
            cookie("_fbp", "marketing", set_by="javascript", source="https://news.example/share.js"),  # set again
            cookie("YSC", "marketing", "YouTube", domain="www.youtube.com", first_party=False),  # planted, theirs
            cookie("_hjid", "analytics"),  # not planted: new after Reject
        ],
        planted=["_ga", "_fbp", "YSC", "_gid"],
        cleared=["_gid"],
        kept=["_ga", "_fbp"],
    )
    found = findings([page(before=Phase("before"), reject=reject)], Classifier(None))
    assert kinds(found) == [
        ("cookie", "_fbp"),
        ("cookie", "_hjid"),
        ("not-cleared", "_ga"),
        ("tracker-request", "https://www.google-analytics.com/g/collect"),
    ]
    assert kinds(found, "notice") == [("not-cleared", "YSC")]
    fbp = next(f for f in found if f.subject == "_fbp")
    assert "after Reject all" in fbp.message and fbp.source == "https://news.example/share.js"


def test_a_refusal_that_is_not_kept_is_a_violation_an_acceptance_a_notice():
    accept = Phase("accept", banner_after_reload=True)
    reject = Phase("reject", banner_after_reload=True)
    found = findings([page(before=Phase("before"), accept=accept, reject=reject)], Classifier(None))
    assert [f.message for f in found if f.severity == "violation"] == [
        "after Reject all the banner came back on the next page view: the refusal was not kept"
    ]
    assert any("choice was not kept" in f.message for f in found if f.severity == "notice")


def test_banner_checks_that_fail_are_violations():
    result = page(before=Phase("before"))
    banner = result.banner
    banner.language_ok, banner.wording_lang, banner.page_lang = False, "en", "de"
    banner.prominence_ok, banner.prominence_problem = False, "Reject is a <a>, Accept a <button>"
    banner.keyboard_ok, banner.keyboard_tabs = False, {"accept": 1, "reject": None}
    messages = [f.message for f in findings([result], Classifier(None)) if f.severity == "violation"]
    assert messages == [
        "the banner is in en, the page in de",
        "Reject is not as prominent as Accept: Reject is a <a>, Accept a <button>",
        "reject not reached with the Tab key from the top of the page",
    ]


def test_opt_out_mode_turns_pre_choice_trackers_into_notices(tmp_path):
    config = config_from(tmp_path, 'mode = "opt-out"\n')
    before = Phase("before", requests=[request("https://static.hotjar.com/c/h.js", "Hotjar", "analytics")])
    found = findings([page(before=before)], Classifier(config))
    assert kinds(found) == []
    assert "allowed in opt-out mode" in found[0].message


def test_consent_mode_advanced_lets_google_ping_but_not_set_cookies(tmp_path):
    config = config_from(tmp_path, 'google_consent_mode = "advanced"\n')
    before = Phase(
        "before",
        requests=[
            request("https://www.google-analytics.com/g/collect", "Google Analytics", "analytics"),
            request("https://connect.facebook.net/fbevents.js", "Meta Pixel (Facebook)", "marketing"),
        ],
        cookies=[cookie("_ga", "analytics", "Google Analytics")],
    )
    found = findings([page(before=before)], Classifier(config))
    assert kinds(found) == [("cookie", "_ga"), ("tracker-request", "https://connect.facebook.net/fbevents.js")]
    assert kinds(found, "notice") == [("tracker-request", "https://www.google-analytics.com/g/collect")]


def test_no_banner_anywhere_is_said_once_and_errors_are_reported():
    broken = PageResult("https://news.example/x", error="TimeoutError: page.goto")
    plain = PageResult(URL, phases={"before": Phase("before")})
    found = findings([plain, broken], Classifier(None))
    assert sorted(f.message for f in found) == [
        "no consent banner found on any page",
        "not scanned: TimeoutError: page.goto",
    ]
