"""The three reports of a scan: terminal text, JSON and self-contained HTML, from a report built by hand."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from consent._scan import as_json
from consent._scan._classify import Classifier
from consent._scan._html_report import render as render_html
from consent._scan._inventory import cookies, hosts
from consent._scan._model import Banner, Button, CookieSeen, PageResult, Phase, Report, RequestSeen
from consent._scan._rules import findings
from consent._scan._terminal import Progress, failed
from consent._scan._terminal import render as render_text

EVIL = '"><script>alert(1)</script>'
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def report() -> Report:
    pages = []
    for path in ("", "world/", "?q=" + EVIL):
        page = PageResult(f"https://news.example/{path}", status=200, title=EVIL)
        page.phases["before"] = Phase(
            "before",
            requests=[
                RequestSeen(
                    "https://static.hotjar.com/c/h.js",
                    "static.hotjar.com",
                    "script",
                    "inline script",
                    "Hotjar",
                    "analytics",
                )
            ],
            cookies=[CookieSeen("<img src=x onerror=alert(1)>", "news.example", "/", True, None, "javascript", EVIL)],
        )
        page.banner = Banner(
            found=True,
            where="div#consent-banner[role=dialog]",
            page_lang="en",
            language_ok=True,
            accept=Button("Accept all", "button", 120, 40),
            reject=Button("Reject all", "button", 120, 40),
            prominence_ok=True,
            keyboard_ok=True,
            keyboard_tabs={"accept": 1, "reject": 2},
            screenshot=PNG if not path else None,
        )
        pages.append(page)
    result = Report(start=["https://news.example/"], pages=pages, browser="Chromium 1", tracker_table="t")
    result.findings = findings(pages, Classifier(None))
    result.cookies = cookies(pages)
    result.hosts = hosts(pages)
    result.undeclared_toml = '[[cookies]]\nname = "x"\n'
    return result


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_the_terminal_report_groups_a_violation_seen_on_several_pages():
    text = render_text(report(), "violations")
    assert text.index("VIOLATIONS: 3 on 3 page(s), 1 distinct") < text.index("NOTICES")
    assert "script request to static.hotjar.com (Hotjar, analytics) before any choice, made by inline script" in text
    assert "on / and 2 more" in text
    assert text.rstrip().endswith("3 violation(s), 3 notice(s): failing (--fail-on violations)")
    assert "UNDECLARED COOKIES" in text


def test_fail_on_decides_the_exit():
    clean = Report(start=["https://news.example/"])
    assert failed(report(), "violations") and not failed(clean, "violations")
    undeclared = report()
    undeclared.findings = []
    assert failed(undeclared, "undeclared") and not failed(undeclared, "violations")


def test_the_html_report_is_one_file_and_escapes_what_the_site_controls():
    html = render_html(report())
    parser = Elements()
    parser.feed(html)
    tags = [t for t, _ in parser.tags]
    assert "script" not in tags and "link" not in tags and "iframe" not in tags
    for tag, attrs in parser.tags:
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            assert not value.startswith(("http:", "https:", "//")), (tag, value)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    images = [a["src"] for t, a in parser.tags if t == "img"]
    assert len(images) == 1 and images[0].startswith("data:image/png;base64,")
    # Violations come first, before the banner and the inventory.
    assert html.index('id="violations"') < html.index('id="banner"') < html.index('id="cookies"')


def test_the_json_report_has_everything_but_the_screenshots():
    data = json.loads(json.dumps(as_json(report())))
    assert data["summary"] == {"pages": 3, "violations": 3, "notices": 3, "seconds": 0.0}
    assert "screenshot" not in data["pages"][0]["banner"]
    assert data["findings"][0]["provider"] == "Hotjar"
    assert data["pages"][0]["phases"]["before"]["requests"][0]["initiator"] == "inline script"


class Stream:
    def __init__(self, tty: bool) -> None:
        self.tty, self.text = tty, ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_progress_is_a_bar_on_a_terminal_and_lines_in_a_log():
    tty, log = Stream(True), Stream(False)
    for stream in (tty, log):
        progress = Progress(stream)  # type: ignore[arg-type]
        progress(0, 4, "https://news.example/")
        progress(2, 4, "https://news.example/b")
        progress(4, 4, "")
    assert "[############............] 2/4 https://news.example/b" in tty.text
    assert tty.text.endswith("\r\x1b[2K")
    assert log.text == "scanning 1/4 https://news.example/\nscanning 3/4 https://news.example/b\n"


def test_the_same_leak_before_a_choice_and_after_reject_are_two_lines():
    result = report()
    reject = Phase("reject", requests=list(result.pages[0].phases["before"].requests))
    result.pages[0].phases["reject"] = reject
    result.findings = findings(result.pages, Classifier(None))
    text = render_text(result)
    assert "VIOLATIONS: 4 on 3 page(s), 2 distinct" in text
    assert text.index("(Hotjar, analytics) before any choice") < text.index("(Hotjar, analytics) after Reject all")


def test_the_terminal_report_cannot_be_driven_by_what_a_site_stores():
    from consent._scan._model import StorageSeen

    result = report()
    key = "_hjid\x1b]0;owned\x07\x1b[2J"
    result.pages[0].phases["before"].storage = [StorageSeen(key, "https://news.example", "Hotjar", "analytics")]
    result.findings = findings(result.pages, Classifier(None))
    text = render_text(result)
    assert "localStorage key _hjid\\x1b]0;owned\\x07\\x1b[2J on https://news.example" in text
    assert "\x1b" not in text and "\x07" not in text
