"""The scanner in headless Chromium against the two example sites and a badly made banner, all on loopback;
every third-party host is answered by the scanner's offline stand-ins (they set the tags' cookies and send
their beacons), so nothing leaves the machine."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from consent import ConsentConfig
from consent._scan import ScanOptions, Timing, scan

from .conftest import FAST, ROOT, SECRET, free_port, serve

pytestmark = pytest.mark.browser

NEWS = ROOT / "examples" / "news_site" / "consent.toml"
LEAKY = ROOT / "examples" / "leaky_site" / "consent.toml"


def run(urls: list[str], config: Path | None, pages: int = 3):
    loaded = ConsentConfig.from_toml(config, secret_key=SECRET) if config else None
    return scan(
        ScanOptions(
            urls, pages=pages, config=loaded, config_path=str(config or ""), offline=True, timing=Timing(**FAST)
        )
    )


@pytest.fixture(scope="module")
def news(news_site):
    return run([news_site, news_site + "?lang=de"], NEWS)


@pytest.fixture(scope="module")
def leaky(leaky_site):
    return run([leaky_site], LEAKY)


def paths(report) -> list[str]:
    return [p.url.split("/", 3)[3] for p in report.pages]


def test_the_news_site_has_no_violations(news):
    assert paths(news) == ["", "?lang=de", "privacy"]  # the middleware's own /consent/ pages are not crawled
    assert news.violations == []
    for page in news.pages:
        assert page.error == "" and page.phases["before"].requests == []  # nothing leaves before a choice
        assert not [c for c in page.phases["before"].cookies]  # not even the consent cookie


def test_on_the_news_site_the_declared_cookies_come_with_accept_and_go_with_reject(news):
    assert news.declared["_ga"] == {"seen_after_accept": True, "cleared_after_reject": True}
    assert news.declared["_ga_*"] == {"seen_after_accept": True, "cleared_after_reject": True}
    assert news.declared["_fbp"] == {"seen_after_accept": True, "cleared_after_reject": True}
    # The stand-in for youtube-nocookie.com sets no cookie, like the real player before it plays.
    assert news.declared["YSC"]["seen_after_accept"] is False
    accept = news.pages[0].phases["accept"]
    assert {r.provider for r in accept.requests} >= {"Google Tag Manager", "Google Analytics", "Meta Pixel (Facebook)"}
    assert {c.name: c.set_by for c in accept.cookies} == {
        "consent": "http",
        "_ga": "javascript",
        "_ga_NEWS12345": "javascript",
        "_fbp": "javascript",
    }
    reject = news.pages[0].phases["reject"]
    assert sorted(reject.cleared) == ["_fbp", "_ga", "_ga_NEWS12345"] and reject.kept == []
    assert reject.requests == [] and [c.name for c in reject.cookies] == ["consent"]
    assert news.undeclared_toml == ""


def test_the_news_sites_banner_passes_in_english_and_german(news):
    english, german, policy = (p.banner for p in news.pages)
    assert (english.wording_lang, german.wording_lang) == ("en", "de")
    for banner in (english, german):
        assert banner.where == "div#consent-banner[role=dialog]"
        assert banner.language_ok and banner.prominence_ok and banner.keyboard_ok
        assert banner.keyboard_tabs == {"accept": 1, "reject": 2}
        assert banner.screenshot and banner.screenshot.startswith(b"\x89PNG")
    assert german.accept.text == "Alle akzeptieren"
    assert not policy.found  # the policy page shows no banner, so that it can be read


def leak(report, kind: str, provider: str, source: str):
    return [
        f
        for f in report.violations
        if f.phase == "before" and f.kind == kind and f.provider == provider and f.source.endswith(source)
    ]


def test_every_planted_leak_is_a_violation_with_its_provider(leaky):
    assert paths(leaky) == ["", "privacy", "de/"]
    for page in ("", "de/"):
        url = leaky.start[0] + page
        injected = [f for f in leak(leaky, "tracker-request", "Hotjar", "/static/recommend.js") if f.page == url]
        beacon = [f for f in leak(leaky, "tracker-request", "Google Analytics", "/static/stats.js") if f.page == url]
        cookie = [f for f in leak(leaky, "cookie", "Meta", "/static/share.js") if f.page == url]
        assert [f.subject for f in injected] == ["https://static.hotjar.com/c/hotjar-3141592.js?sv=6"]
        assert [f.subject.split("?")[0] for f in beacon] == ["https://www.google-analytics.com/g/collect"]
        assert "fetch request" in beacon[0].message
        assert [f.subject for f in cookie] == ["_fbp"] and "written from JavaScript" in cookie[0].message


def test_what_the_server_could_see_stayed_off_on_the_leaky_site(leaky):
    before = leaky.pages[0].phases["before"]
    hosts = {r.host for r in before.requests}
    assert "www.googletagmanager.com" not in hosts and "www.youtube.com" not in hosts
    assert hosts == {"static.hotjar.com", "www.google-analytics.com", "metrics.hotjar.io"}


def test_the_leaky_sites_reject_shows_what_came_back(leaky):
    assert leaky.declared["_ga"]["cleared_after_reject"] is True
    assert leaky.declared["_fbp"]["cleared_after_reject"] is False  # share.js writes it again
    after = {(f.kind, f.subject) for f in leaky.violations if f.phase == "reject"}
    assert ("cookie", "_fbp") in after


def test_the_leaky_sites_undeclared_cookies_get_blocks_that_validate(leaky, tmp_path):
    text = leaky.undeclared_toml
    assert 'name = "session"' in text and 'name = "_hjSessionUser_3141592"' in text
    path = tmp_path / "consent.toml"
    path.write_text(LEAKY.read_text() + "\n" + text)
    names = [c.name for c in ConsentConfig.from_toml(path, secret_key=SECRET).cookies]
    assert "session" in names and "_hjSessionUser_3141592" in names


@pytest.fixture(scope="module")
def bad_banner(tmp_path_factory):
    root = tmp_path_factory.mktemp("shop")
    (root / "index.html").write_text(
        """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Laden</title></head><body>
<p><a href="/">Start</a></p>
<div class="cookie-bar" lang="en" style="position:fixed;bottom:0;left:0;right:0;background:#fff;padding:1em">
We use cookies.
<button tabindex="-1" style="font-size:18px;padding:12px 30px;background:#070;color:#fff;border:0">Accept all</button>
<a href="#" style="font-size:12px;color:#ccc">Reject all</a>
</div></body></html>""",
        encoding="utf-8",
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    proc = serve([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(root)], url)
    yield url
    proc.terminate()
    proc.wait(10)
    proc.stdout.close()


def test_the_command_line_reports_a_banner_that_nudges_and_fails(bad_banner, tmp_path):
    script = Path(sys.executable).with_name("consent")
    argv = [str(script)] if script.exists() else [sys.executable, "-m", "consent"]
    json_path, html_path = tmp_path / "report.json", tmp_path / "report.html"
    run = subprocess.run(
        [*argv, "scan", bad_banner, "--pages", "1", "--wait", "200", "--fail-on", "violations"]
        + ["--json", str(json_path), "--html", str(html_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert run.returncode == 1, run.stderr
    assert run.stdout.rstrip().endswith("failing (--fail-on violations)")
    assert f"wrote {json_path}" in run.stderr and f"wrote {html_path}" in run.stderr
    data = json.loads(json_path.read_text())
    banner = data["pages"][0]["banner"]
    assert banner["found"] and banner["where"] == "div"
    assert banner["reject"]["tag"] == "a" and banner["accept"]["width"] > banner["reject"]["width"] + 2
    messages = [f["message"] for f in data["findings"] if f["severity"] == "violation"]
    assert "the banner is in en, the page in de" in messages
    assert any(m.startswith("Reject is not as prominent as Accept: Reject is ") for m in messages)
    assert any("Reject text contrast is" in m for m in messages)
    assert "accept not reached with the Tab key from the top of the page" in messages
    # A static page cannot remember a choice: the banner comes back.
    assert "after Reject all the banner came back on the next page view: the refusal was not kept" in messages
    assert html_path.read_text().count("data:image/png;base64,") == 1


def test_the_html_report_renders_in_chromium(leaky, tmp_path):
    from playwright.sync_api import sync_playwright

    from consent._scan._browser import ARGS
    from consent._scan._html_report import render

    from .conftest import CHROMIUM

    path = tmp_path / "report.html"
    path.write_text(render(leaky), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*ARGS, "--no-sandbox"])
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        sizes = page.eval_on_selector_all("img", "imgs => imgs.map(i => [i.naturalWidth, i.naturalHeight])")
        headings = page.eval_on_selector_all("h2", "hs => hs.map(h => h.textContent)")
        browser.close()
    assert requests == [path.as_uri()]  # self-contained: nothing else is fetched
    assert len(sizes) == 2 and all(w > 300 and h > 50 for w, h in sizes)  # the English and German banners
    assert headings[:2] == ["Violations", "The banner, per language"]


def test_scan_refuses_what_it_cannot_do(tmp_path, capsys):
    from consent._cli import main

    assert main(["scan", "http://127.0.0.1:9/", "--browser", str(tmp_path / "no-chromium")]) == 2
    assert "no browser at" in capsys.readouterr().err
    assert main(["scan", "http://a.example/", "http://b.example/"]) == 2
    assert "is not on the site of http://a.example/" in capsys.readouterr().err
    assert main(["scan", "http://127.0.0.1:9/", "--config", str(tmp_path / "missing.toml")]) == 2
    assert "file not found" in capsys.readouterr().err
    assert main(["scan", "http://127.0.0.1:9/", "--pages", "0"]) == 2


def test_an_unreachable_site_is_an_error_not_a_clean_report(capsys):
    port = free_port()  # nobody listens there
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
    from consent._cli import main

    assert main(["scan", f"http://127.0.0.1:{port}/", "--quiet", "--fail-on", "violations"]) == 2
    assert "no page could be scanned" in capsys.readouterr().err
