"""Drives the gate suite's case pages in Chromium: every third-party request intercepted, recorded and
answered by a stub; a fresh visitor (browser context) per case.

`Runner.before` loads a case as an undecided visitor and returns the tracker requests made up to the page's
sentinel (an event the page sends once everything else has run, never a sleep); `Runner.after` then clicks
Accept all (and reloads, for what only the next page brings back) and waits for the case's own tracker
request. Used by ``test_gate_cases.py`` and by the before/after report (``gate_report.py``).
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..conftest import GIF, STUB_JS, free_port, serve
from .case import TAG_MANAGER, Case

HERE = Path(__file__).resolve().parent
SETTLE_MS = 5000  # the longest wait for an event that should come (a test fails when it does not)


def start_server(python: str, *args: str) -> tuple[subprocess.Popen, str]:
    """The case pages served by ``python`` (a venv's interpreter: its ``consent`` package) on a free port."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    proc = serve([python, str(HERE / "site.py"), "--port", str(port), *args], url + "sentinel")
    return proc, url


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(10)
    if proc.stdout is not None:
        proc.stdout.close()


@dataclass
class Visit:
    """One visitor's requests to hosts other than loopback (trackers: no case page loads anything else), in
    phases: `mark` starts the next one (phase 0: before any choice; `Runner.after` marks the click).

    Chromium reports requests in no fixed order across kinds (a ``fetch`` may be reported after a request
    the page made later), so a request's phase is told by when it started (its start time against the
    page's clock at each mark), and only by when it was reported while its start time is unknown."""

    requests: list[tuple[object, int]] = field(default_factory=list)  # (playwright Request, phase when seen)
    marks: list[float] = field(default_factory=list)  # the page's clock (ms since the epoch) at each mark
    begun: float = 0  # when this visitor came (ms since the epoch): what started earlier was another's

    def saw(self, request) -> None:
        if (urlsplit(request.url).hostname or "") not in ("127.0.0.1", "localhost"):
            self.requests.append((request, len(self.marks)))

    def mark(self, page) -> None:
        self.marks.append(page.evaluate("Date.now()"))

    def phase(self, phase: int, case_id: str, others: bool = False) -> list[str]:
        """The requests of ``phase`` that belong to this case (``c=<id>``), with ``others`` also those that
        carry no case at all."""
        out = []
        for request, seen in self.requests:
            case = _case(request.url)  # type: ignore[attr-defined]
            if case != case_id and not (others and case is None):
                continue
            started = request.timing.get("startTime", 0)  # type: ignore[attr-defined]
            if 0 < started < self.begun:
                continue
            if (sum(m < started for m in self.marks) if started > 0 else seen) == phase:
                out.append(request.url)  # type: ignore[attr-defined]
        return out

    def before_consent(self, case_id: str) -> list[str]:
        """Every tracker request before the first mark, but another case's (a page just left may still report
        one late)."""
        return self.phase(0, case_id, others=True)

    def after_consent(self, case_id: str) -> list[str]:
        """This case's own tracker requests after the first mark."""
        return [u for p in range(1, len(self.marks) + 1) for u in self.phase(p, case_id)]


def sentinel(case_id: str):
    """A predicate of the request that ends the page of ``case_id`` (not another page's, still loading)."""
    return lambda request: urlsplit(request.url).path in ("/sentinel", "/done") and _case(request.url) == case_id


def _case(url: str) -> str | None:
    found = parse_qs(urlsplit(url).query).get("c")
    return found[0] if found else None


def _stub(route) -> None:
    url = route.request.url
    host = urlsplit(url).hostname or ""
    if host in ("127.0.0.1", "localhost"):
        route.continue_()
        return
    kind = route.request.resource_type
    if "gtm.js?id=GTM-GUARD" in url:
        route.fulfill(status=200, content_type="text/javascript", body=TAG_MANAGER)
    elif kind == "script":
        route.fulfill(status=200, content_type="text/javascript", body=STUB_JS % (host, host))
    elif kind == "image":
        route.fulfill(status=200, content_type="image/gif", body=GIF)
    elif kind in ("document", "sub_frame"):
        route.fulfill(status=200, content_type="text/html", body=f"<!doctype html><title>{host}</title><p>{host}")
    elif kind == "stylesheet":
        route.fulfill(status=200, content_type="text/css", body="p { color: inherit }")
    else:
        route.fulfill(status=204, body="")


class Runner:
    """One browser, one base URL of case pages. Each visitor is a new page in a context whose cookies were
    cleared (one context with JavaScript, one without: a new context per case would cost more than the case)."""

    def __init__(self, browser, base: str, wait_ms: int = SETTLE_MS) -> None:
        self.browser = browser
        self.base = base
        self.wait_ms = wait_ms
        self._contexts: dict[bool, object] = {}
        self._visits: dict[bool, Visit] = {}  # each context's current visitor

    def close(self) -> None:
        for context in self._contexts.values():
            context.close()  # type: ignore[attr-defined]
        self._contexts.clear()

    def visitor(self, js: bool = True):
        """A fresh visitor: (page, visit), the visit recording the tracker requests from now on. The page is
        reused (a navigation starts it afresh), its cookies cleared."""
        context = self._contexts.get(js)
        if context is None:
            context = self._contexts[js] = self.browser.new_context(java_script_enabled=js)
            context.route("**/*", _stub)
            context.on("request", lambda request: self._visits[js].saw(request))
            page = context.new_page()
            page.set_default_timeout(self.wait_ms)
            page.on("pageerror", lambda e: page.errors.append(str(e)))  # type: ignore[attr-defined]
        page = context.pages[0]
        page.goto("about:blank")  # the last visitor's page goes, and what it still reports goes to its visit
        page.errors = []  # type: ignore[attr-defined]
        context.clear_cookies()
        visit = self._visits[js] = Visit(begun=time.time() * 1000)
        return page, visit

    def load(self, page, path: str, case_id: str, strict: bool = True) -> bool:
        """Go to ``path`` and wait for its sentinel (JavaScript) or its refresh to /done (without); False when
        it did not come (``strict``: raise instead)."""
        try:
            with page.expect_request(sentinel(case_id), timeout=self.wait_ms):
                page.goto(self.base + path.lstrip("/"), wait_until="commit")
        except Exception:
            if strict:
                raise
            return False
        return True

    def before(self, case: Case, js: bool = True, strict: bool = True):
        """An undecided visitor loads the case: (page, visit) once the sentinel came."""
        page, visit = self.visitor(js)
        self.load(page, f"case/{case.id}" + ("" if js else "?nojs=1"), case.id, strict)
        return page, visit

    def after(self, case: Case, page, visit: Visit, wait: bool = True) -> list[str]:
        """Accept all on the case page (then reload where only the next page brings it back): the case's own
        tracker requests that followed (``wait=False``: only click and let the choice be saved)."""
        visit.mark(page)
        page.get_by_role("button", name="Accept all").click()
        page.locator(".consent-status").wait_for()  # the choice is saved (and the next visitor is not this one)
        if not wait:
            return []
        if case.reload:
            page.reload(wait_until="commit")
        if case.leaves:
            page.wait_for_url(lambda url: url.startswith("https://"))
        return self.wait_for(page, lambda: visit.after_consent(case.id))

    def wait_for(self, page, found):
        """Polls ``found()`` (requests are recorded while Playwright dispatches events) until it is truthy."""
        deadline = time.monotonic() + self.wait_ms / 1000
        while not (result := found()) and time.monotonic() < deadline:
            page.wait_for_timeout(20)
        return result
