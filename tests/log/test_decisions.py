"""Every decision through the middleware becomes a record with where, how and what the visitor was shown."""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from consent._log.sqlite import SqliteStore
from consent._log.texts import visible_lines

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def records(tmp_path: Path) -> list:
    store = SqliteStore(tmp_path / "consent-log.db")
    try:
        return list(store.records())
    finally:
        store.close()


def texts(tmp_path: Path, digests) -> dict:
    store = SqliteStore(tmp_path / "consent-log.db")
    try:
        return store.texts(list(digests))
    finally:
        store.close()


def hidden_fields(form_html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([a-z]+)" value="([^"]*)"', form_html))


def consent_id(response) -> str:
    return re.search(r"consent=1:[^:]*:[^:]*:([A-Za-z0-9_-]+)\.", response.headers["set-cookie"])[1]


def banner_of(page: str) -> str:
    return re.search(r'<div id="consent-banner".*?</form>\n</div>', page, re.S)[0]


def test_a_banner_choice_is_recorded_with_the_words_of_the_banner_served(log_app, tmp_path):
    with TestClient(log_app(), follow_redirects=False) as client:
        page = client.get("/", headers={"accept-language": "de"}).text
        banner = banner_of(page)
        fields = hidden_fields(banner)
        assert fields == {"next": "/", "source": "banner", "lang": "de"}
        response = client.post(
            "/consent", data={**fields, "action": "reject", "next": "/politik?id=7"}, headers={"user-agent": FIREFOX}
        )
    [r] = records(tmp_path)
    assert (r.action, r.source, r.locale, r.path, r.user_agent) == ("reject", "banner", "de", "/politik", "Firefox")
    assert r.consent_id == consent_id(response)
    assert r.granted == ("necessary",) and r.refused == ("analytics", "marketing")
    assert (r.policy_version, r.mode, r.gpc, r.dnt, r.region, r.ip) == ("1", "opt-in", False, False, None, None)
    shown = texts(tmp_path, [r.text_digest])[r.text_digest].document
    assert shown["lines"] == visible_lines(banner)  # exactly the words on the banner that was served
    assert shown["lines"][:2] == ["Datenschutz & Cookies", shown["lines"][1]] and "Alle ablehnen" in shown["lines"]
    assert [c["title"] for c in shown["categories"]] == ["Notwendig", "Statistik", "Marketing"]


def test_a_settings_page_choice_records_the_settings_wording_and_the_page_shows_the_id(log_app, tmp_path):
    with TestClient(log_app(), follow_redirects=False) as client:
        first = client.post("/consent", json={"action": "accept"})
        page = client.get("/consent/settings?next=/sport&lang=fr").text
        shown_id = re.search(r'<p class="consent-id">[^<]*<code>([^<]+)</code></p>', page)[1]
        assert shown_id == consent_id(first)  # the visitor can quote it to ask for their record
        form = re.search(r'<form class="consent-settings".*?</form>', page, re.S)[0]
        fields = hidden_fields(form)
        assert fields == {"next": "/sport", "source": "settings", "lang": "fr"}
        client.post("/consent", data={**fields, "action": "save", "category": ["analytics"]})
    api, settings = records(tmp_path)
    assert (api.source, settings.source, settings.locale, settings.path) == ("api", "settings", "fr", "/sport")
    assert settings.consent_id == api.consent_id == shown_id
    assert settings.granted == ("necessary", "analytics")
    lines = texts(tmp_path, [settings.text_digest])[settings.text_digest].document["lines"]
    main = re.search(r"<main.*?</main>", page, re.S)[0]
    assert lines == [line for line in visible_lines(main) if shown_id not in line]  # the id is not wording
    assert lines[0] == "Paramètres des cookies" and "Mesure d’audience" in lines


def test_an_embeds_always_allow_is_a_decision_and_load_once_is_not(log_app, tmp_path):
    app = log_app()
    with TestClient(app, follow_redirects=False) as client:
        client.get("/")  # builds the middleware
        renderer = app.middleware_stack.app.core.renderer
        srcdoc = renderer.placeholder("en", "", "YouTube", "marketing", b"https://www.youtube.com/embed/x", "/v")
        placeholder = html.unescape(srcdoc.decode())
        forms = re.findall(r"<form.*?</form>", placeholder, re.S)
        assert len(forms) == 1  # "Load this once" is a link to the video, never a post to /consent
        assert re.search(r'<a class="consent-button" href="https://www.youtube.com/embed/x"', placeholder)
        fields = hidden_fields(forms[0])
        assert fields == {"action": "allow", "category": "marketing", "next": "/v", "source": "embed",
                          "lang": "en", "provider": "YouTube"}  # fmt: skip
        client.post("/consent", data=fields)
    [r] = records(tmp_path)
    assert (r.action, r.source, r.granted) == ("allow", "embed", ("necessary", "marketing"))
    lines = texts(tmp_path, [r.text_digest])[r.text_digest].document["lines"]
    assert "This content is provided by YouTube, which may set cookies and track you." in lines[0]
    assert "Always allow Marketing" in lines


def test_signals_region_and_withdrawal_are_recorded_as_received(log_app, tmp_path):
    app = log_app(region_header="CF-IPCountry", modes_by_region={"US": "opt-out"})
    with TestClient(app, follow_redirects=False) as client:
        headers = {"cf-ipcountry": "US", "sec-gpc": "1", "dnt": "1", "user-agent": CHROME}
        client.post("/consent", json={"action": "accept"}, headers=headers)
        client.post("/consent", json={"action": "withdraw"}, headers=headers)
    accept, withdraw = records(tmp_path)
    assert (accept.region, accept.mode, accept.gpc, accept.dnt, accept.user_agent) == (
        "US",
        "opt-out",
        True,
        True,
        "Chrome",
    )
    assert accept.granted == ("necessary", "analytics", "marketing")  # as chosen; GPC applies on top
    assert (withdraw.action, withdraw.granted, withdraw.consent_id) == ("withdraw", ("necessary",), accept.consent_id)


@pytest.mark.parametrize(
    ("client_ip", "kept"), [("203.0.113.77", "203.0.113.0/24"), ("2001:db8:abcd:12::1", "2001:db8:abcd::/48")]
)
def test_a_truncated_ip_only_when_asked(log_app, tmp_path, client_ip, kept):
    with TestClient(log_app(consent_log_truncated_ip=True), client=(client_ip, 1234)) as client:
        client.post("/consent", json={"action": "accept"})
    assert records(tmp_path)[0].ip == kept


def test_refused_requests_leave_no_record(log_app, tmp_path):
    with TestClient(log_app(), follow_redirects=False) as client:
        client.post("/consent", data={"action": "bogus"})
        client.post("/consent", data={"action": "accept"}, headers={"origin": "https://evil.test"})
        client.get("/consent")
        client.post("/consent", json={"action": "accept"})
    assert [r.action for r in records(tmp_path)] == ["accept"]


def test_a_forged_source_or_language_cannot_plant_words(log_app, tmp_path):
    with TestClient(log_app(), follow_redirects=False) as client:
        client.post("/consent", data={"action": "accept", "source": "<script>", "lang": "xx-evil", "provider": "A\nB"})
        client.post("/consent", json={"action": "accept", "source": "banner"})  # JSON is the API, whatever it says
    forged, json_post = records(tmp_path)
    assert (forged.source, forged.locale, json_post.source) == ("api", "en", "api")


class DownStore:
    async def write(self, records):
        raise ConnectionError("connection refused")


def test_with_the_store_down_the_choice_takes_effect_and_the_record_is_spooled(log_app, tmp_path, caplog):
    spool = tmp_path / "spool"
    app = log_app(consent_log=DownStore(), consent_log_spool=spool)
    with caplog.at_level(logging.ERROR, logger="consent.log"), TestClient(app, follow_redirects=False) as client:
        response = client.post("/consent", data={"action": "reject", "next": "/a"})
        state = client.get("/consent").json()
    assert response.status_code == 303 and response.headers["location"] == "/a"
    assert state["decided"] is True and state["categories"]["marketing"] is False
    assert "the store (DownStore) failed: ConnectionError: connection refused" in caplog.text
    [file] = spool.glob("*.jsonl")
    assert b'"action": "reject"' in file.read_bytes()


def test_two_apps_on_one_sqlite_file_as_two_workers_would(log_app, tmp_path):
    one, two = log_app(), log_app()
    with TestClient(one) as a, TestClient(two) as b:
        for i in range(20):
            (a if i % 2 else b).post("/consent", json={"action": "accept" if i % 3 else "reject"})
    assert len(records(tmp_path)) == 20
