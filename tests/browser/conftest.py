"""Real-browser fixtures: Debian's Chromium driven by Playwright, the example site in a subprocess, and every
third-party host answered by a stub (there is no outside network, and we want to count tracker requests)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .._lifetime import die_with_test

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CONSENT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# What a stubbed tracker script does when it runs: count itself, so tests can tell "ran once" from "ran twice",
# and set the first-party cookie the real one would (so tests can see it go again on refusal).
STUB_JS = "window.__ran = window.__ran || {}; window.__ran[%r] = (window.__ran[%r] || 0) + 1;"
STUB_COOKIES = {
    "www.googletagmanager.com": "_ga=GA1.1.111.222",
    "connect.facebook.net": "_fbp=fb.1.111.222",
    "static.hotjar.com": "_hjSessionUser_1234567=abc",
}
GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    reason = f"{CHROMIUM} not found: apt-get install chromium (see .ci/run)"
    if os.environ.get("CONSENT_REQUIRE_BROWSER"):
        raise pytest.UsageError(reason)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(argv: list[str], url: str) -> subprocess.Popen:
    proc = subprocess.Popen(
        argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=die_with_test()
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return proc
        except OSError as exc:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                output = proc.communicate()[0]
                raise RuntimeError(f"server did not start: {output}") from exc
            time.sleep(0.1)


@pytest.fixture(scope="session")
def site():
    """The example news site, started exactly as the README says, on a free port."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    proc = serve([sys.executable, "examples/news_site/app.py", "--port", str(port)], url)
    yield url
    proc.terminate()
    proc.wait(10)
    proc.stdout.close()


@pytest.fixture(scope="module")
def browser():
    # Module scope, not session: Playwright's sync API keeps an event loop running in this thread while it
    # is open, which would break the anyio/TestClient tests that run after the browser modules.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@dataclass
class Probe:
    """Records every request that tried to leave for a third-party host."""

    requests: list[str] = field(default_factory=list)

    def hosts(self) -> set[str]:
        return {urlsplit(u).hostname or "" for u in self.requests}

    def count(self, needle: str) -> int:
        return sum(needle in u for u in self.requests)


def stub_third_parties(context, probe: Probe) -> None:
    def handle(route):
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
            return
        probe.requests.append(url)
        kind = route.request.resource_type
        if kind == "script":
            body = STUB_JS % (host, host)
            if host in STUB_COOKIES:
                body += f"document.cookie = {STUB_COOKIES[host]!r} + '; path=/';"
            route.fulfill(status=200, content_type="text/javascript", body=body)
        elif kind == "image":
            route.fulfill(status=200, content_type="image/gif", body=GIF)
        elif kind in ("document", "sub_frame"):
            route.fulfill(
                status=200, content_type="text/html", body=f"<!doctype html><title>{host}</title><p>{host}</p>"
            )
        else:
            route.fulfill(status=204, body="")

    context.route("**/*", handle)


@pytest.fixture
def new_page(browser):
    """A fresh visitor (empty cookie jar) with third parties stubbed; returns (page, probe)."""
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        probe = Probe()
        stub_third_parties(context, probe)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.console_errors = errors  # type: ignore[attr-defined]
        return page, probe

    yield make
    for context in contexts:
        context.close()
