"""The browser side: Debian's (or any installed) Chromium driven by Playwright, one fresh context per visit,
with every request, ``Set-Cookie`` and JavaScript cookie write recorded.

Playwright is the ``[scan]`` extra and is imported here only; it never downloads a browser (no
``playwright install``): the scanner drives the Chromium given with ``--browser``, ``/usr/bin/chromium`` by
default.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ._classify import Classifier, Site
from ._model import CookieSeen, Phase, RequestSeen, StorageSeen
from ._stubs import answer

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Request, Response

DEFAULT_BROWSER = "/usr/bin/chromium"
MAX_RECORDS = 5000  # requests (and initiators) kept per visit: a page that beacons forever stays bounded
ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STORAGE = (
    "() => { let keys = []; try { keys = Object.keys(localStorage); } catch (e) {} return [location.origin, keys]; }"
)
RECORDER = files("consent._scan").joinpath("recorder.js").read_text(encoding="utf-8")


class ScanError(RuntimeError):
    """The scan cannot run (no Playwright, no browser, the start page does not load)."""


@dataclass
class Timing:
    """How long to let a page settle: ``wait`` ms at least after ``load`` and until the network has been
    quiet for ``quiet`` ms (late timers and beacons), never more than ``wait + cap`` ms."""

    wait: int = 500
    quiet: int = 250
    cap: int = 5000
    navigation: int = 30000


class Session:
    """One browser for a whole scan; `visit` opens a fresh context (an empty cookie jar) per phase."""

    def __init__(self, classifier: Classifier, site: Site, executable: str, offline: bool, timing: Timing) -> None:
        if not Path(executable).exists():
            raise ScanError(
                f"no browser at {executable}: install Chromium (apt-get install chromium) or pass --browser"
            )
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise ScanError("the scanner needs Playwright: pip install 'asgi-consent[scan]'") from None
        self.classifier = classifier
        self.site = site
        self.offline = offline
        self.timing = timing
        self._manager = sync_playwright()
        self._playwright: Playwright = self._manager.start()
        args = ARGS + (["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])
        try:
            self.browser: Browser = self._playwright.chromium.launch(executable_path=executable, args=args)
        except Exception as exc:
            self._manager.__exit__(None, None, None)
            raise ScanError(f"could not start {executable}: {str(exc).splitlines()[0]}") from None
        self.version = f"Chromium {self.browser.version}"

    def visit(self, cookies: list[dict[str, Any]] | None = None) -> Visit:
        context = self.browser.new_context(viewport={"width": 1280, "height": 800})
        if cookies:
            context.add_cookies(cookies)  # type: ignore[arg-type]
        return Visit(self, context)

    def close(self) -> None:
        try:
            self.browser.close()
        finally:
            self._manager.__exit__(None, None, None)


class Visit:
    """One visitor: a fresh context and page, recording from the first request on."""

    def __init__(self, session: Session, context: BrowserContext) -> None:
        self.session = session
        self.context = context
        self.requests: list[Request] = []  # to other hosts, in order (at most MAX_RECORDS)
        self.responses: list[Response] = []
        self.set_by: dict[str, str] = {}  # cookie name -> the response URL whose Set-Cookie set it
        self._inflight: set[Request] = set()
        self._last_activity = time.monotonic()
        self._initiators: dict[str, str] = {}
        context.add_init_script(RECORDER)
        if session.offline:
            owns = session.site.owns
            context.route(lambda url: not owns(urlsplit(url).hostname or ""), self._answer)
        context.on("request", self._on_request)
        context.on("requestfinished", self._on_done)
        context.on("requestfailed", self._on_done)
        context.on("response", lambda response: self.responses.append(response))
        self.page: Page = context.new_page()
        cdp = context.new_cdp_session(self.page)
        cdp.on("Network.requestWillBeSent", self._on_cdp_request)
        cdp.send("Network.enable")

    def _answer(self, route: Any) -> None:
        for name in answer(self.session.classifier, route):
            self.set_by[name] = route.request.url

    def _on_request(self, request: Request) -> None:
        self._inflight.add(request)
        self._last_activity = time.monotonic()
        host = urlsplit(request.url).hostname or ""
        if host and not self.session.site.owns(host) and request.url.startswith(("http:", "https:")):
            if len(self.requests) < MAX_RECORDS:
                self.requests.append(request)

    def _on_done(self, request: Request) -> None:
        self._inflight.discard(request)
        self._last_activity = time.monotonic()

    def _on_cdp_request(self, event: dict[str, Any]) -> None:
        url = event.get("request", {}).get("url", "")
        if url in self._initiators or len(self._initiators) >= MAX_RECORDS:
            return
        initiator = event.get("initiator") or {}
        if initiator.get("type") == "script":
            frames = (initiator.get("stack") or {}).get("callFrames") or []
            script = next((f["url"] for f in frames if f.get("url")), "")
            self._initiators[url] = script or "inline script"
        elif initiator.get("type") == "parser":
            self._initiators[url] = "page markup"

    def goto(self, url: str) -> Response | None:
        response = self.page.goto(url, wait_until="load", timeout=self.session.timing.navigation)
        self.settle()
        return response

    def reload(self) -> None:
        self.page.reload(wait_until="load", timeout=self.session.timing.navigation)
        self.settle()

    def settle(self) -> None:
        timing = self.session.timing
        start = time.monotonic()
        try:
            self.page.wait_for_load_state("load", timeout=timing.navigation)
        except Exception:  # a page that never finishes loading is still observed
            pass
        while True:
            now = time.monotonic()
            elapsed = (now - start) * 1000
            quiet = not self._inflight and (now - self._last_activity) * 1000 >= timing.quiet
            if (elapsed >= timing.wait and quiet) or elapsed >= timing.wait + timing.cap:
                return
            self.page.wait_for_timeout(50)

    def mark(self) -> int:
        """Where the next phase's requests start."""
        return len(self.requests)

    def observe(self, name: str, since: int = 0) -> Phase:
        """The phase as the browser sees it now: requests since ``since``, the whole jar, localStorage."""
        classifier = self.session.classifier
        phase = Phase(name)
        for request in self.requests[since:]:
            verdict = classifier.request(request.url)
            phase.requests.append(
                RequestSeen(
                    url=request.url,
                    host=(urlsplit(request.url).hostname or "").lower(),
                    type=request.resource_type,
                    initiator=self._initiators.get(request.url, ""),
                    provider=verdict.provider,
                    category=verdict.category,
                )
            )
        self._read_set_cookies()
        writes = self._cookie_writes()
        for cookie in self.context.cookies():
            phase.cookies.append(self._cookie(cookie, writes))
        phase.storage = self._storage()
        return phase

    def _read_set_cookies(self) -> None:
        pending, self.responses = self.responses, []
        for response in pending:
            try:
                headers = response.headers_array()
            except Exception:  # the frame went away
                continue
            for header in headers:
                if header["name"].lower() == "set-cookie":
                    for line in header["value"].split("\n"):
                        name = line.split("=", 1)[0].strip()
                        if name:
                            self.set_by[name] = response.url

    def _cookie_writes(self) -> dict[str, str]:
        writes: dict[str, str] = {}
        for frame in self.page.frames:
            try:
                found = frame.evaluate("() => window.__consentScanWrites || []")
            except Exception:  # detached or navigating frame
                continue
            for write in found:
                writes.setdefault(str(write.get("name", "")), str(write.get("source", "")) or frame.url)
        return writes

    def _cookie(self, cookie: Any, writes: dict[str, str]) -> CookieSeen:
        name, domain = cookie["name"], cookie["domain"]
        if name in writes:
            set_by, source = "javascript", writes[name]
            if source == self.page.url:
                source = "inline script"
        elif name in self.set_by:
            set_by, source = "http", self.set_by[name]
        else:
            set_by, source = "unknown", ""
        verdict = self.session.classifier.cookie(name, domain, source)
        expires = cookie.get("expires", -1)
        return CookieSeen(
            name=name,
            domain=domain,
            path=cookie.get("path", "/"),
            first_party=self.session.site.owns(domain),
            expires=None if expires is None or expires < 0 else float(expires),
            set_by=set_by,
            source=source,
            provider=verdict.provider,
            category=verdict.category,
            declared=verdict.declared,
            http_only=bool(cookie.get("httpOnly")),
            secure=bool(cookie.get("secure")),
            same_site=str(cookie.get("sameSite", "")),
        )

    def _storage(self) -> list[StorageSeen]:
        try:
            origin, keys = self.page.evaluate(STORAGE)
        except Exception:
            return []
        out = []
        for key in sorted(keys)[:500]:
            verdict = self.session.classifier.storage(key)
            out.append(StorageSeen(key, origin, verdict.provider, verdict.category))
        return out

    def close(self) -> None:
        try:
            self.context.close()
        except Exception:  # the browser already went away; nothing left to free
            pass
