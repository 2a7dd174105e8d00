"""From what the browser saw to findings: violations (anything that needs consent happening without it, a
banner that makes refusing harder than accepting) and notices (things to review).

Rules, in order of the phases:

- before any choice, a request to a known tracker, a cookie or a ``localStorage`` key of a category other
  than ``necessary`` is a violation (notices instead in opt-out mode, and for Google's cookieless pings when
  the configuration turns on Consent Mode "advanced");
- the banner must be in the page's language, offer Reject as prominently as Accept (same size within 2 px,
  same font, both buttons, no weaker contrast) and be reachable by keyboard;
- after "Reject all", the same requests, cookies and keys are violations; a refused first-party cookie the
  site left in place ("not cleared"), and a banner that comes back on the next page (refusal not kept), too.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ._classify import Classifier
from ._model import Finding, PageResult, Phase

VIOLATION, NOTICE = "violation", "notice"


def findings(pages: list[PageResult], classifier: Classifier) -> list[Finding]:
    out: list[Finding] = []
    for page in pages:
        if page.error:
            out.append(Finding(NOTICE, "error", page.url, "", page.url, f"not scanned: {page.error}"))
        before = page.phases.get("before")
        if before is not None:
            out += _phase(page.url, before, classifier, refused=False)
        out += _banner(page)
        reject = page.phases.get("reject")
        if reject is not None:
            out += _phase(page.url, reject, classifier, refused=True)
            out += _cleared(page.url, reject)
    if pages and not any(p.banner.found for p in pages):
        out.append(Finding(NOTICE, "banner", pages[0].url, "before", "banner", "no consent banner found on any page"))
    # Violations first, then by page and kind, so reports read from the worst down.
    out.sort(key=lambda f: (f.severity != VIOLATION, pages_order(pages, f.page), f.phase != "before", f.kind))
    return out


def pages_order(pages: list[PageResult], url: str) -> int:
    return next((i for i, p in enumerate(pages) if p.url == url), len(pages))


def _phase(url: str, phase: Phase, classifier: Classifier, refused: bool) -> list[Finding]:
    out: list[Finding] = []
    when = "after Reject all" if refused else "before any choice"
    opt_out = not refused and classifier.config is not None and classifier.config.mode == "opt-out"
    optional = VIOLATION if not opt_out else NOTICE
    note = " (allowed in opt-out mode)" if opt_out else ""

    def add(kind: str, subject: str, what: str, provider: str, category: str, source: str, by: str = "") -> None:
        severity = optional
        if kind == "tracker-request" and not refused and not opt_out and classifier.google_exempt(provider):
            severity, what = NOTICE, what + " (Consent Mode advanced: a cookieless ping, by configuration)"
        by = by or (f", made by {source}" if source else "")
        message = f"{what} ({provider}, {category}) {when}{by}{note}"
        out.append(Finding(severity, kind, url, phase.name, subject, message, provider, category, source, what))

    hosts: set[str] = set()
    for request in phase.requests:
        if classifier.optional(request.category):
            what = f"{request.type} request to {request.host}"
            add("tracker-request", request.url, what, request.provider, request.category, request.initiator)
        elif not request.provider and request.host not in hosts and not refused:
            hosts.add(request.host)
            what = f"request to {request.host}, a host the tracker table does not know: check what it does"
            out.append(Finding(NOTICE, "third-party", url, phase.name, request.host, what, source=request.initiator))
    for cookie in phase.cookies:
        if refused and cookie.name in phase.planted and cookie.set_by == "unknown":
            continue  # the one Accept left, not set again: _cleared says whether it should have gone
        if classifier.optional(cookie.category):
            source = f" by {cookie.source}" if cookie.source else ""
            by = {
                "javascript": f", written from JavaScript{source}",
                "http": f", set by Set-Cookie from {cookie.source}",
            }
            what = f"cookie {cookie.name} on {cookie.domain}"
            add("cookie", cookie.name, what, cookie.provider, cookie.category, cookie.source, by.get(cookie.set_by, ""))
        elif not cookie.category and not refused:
            party = "first-party" if cookie.first_party else "third-party"
            what = (
                f"{party} cookie {cookie.name} on {cookie.domain}: neither declared nor in the tracker table;"
                " declare it (see the [[cookies]] block)"
            )
            out.append(Finding(NOTICE, "undeclared", url, phase.name, cookie.name, what, source=cookie.source))
    for item in phase.storage:
        if classifier.optional(item.category):
            add(
                "storage",
                item.key,
                f"localStorage key {item.key} on {item.origin}",
                item.provider,
                item.category,
                "",
            )
    return out


def _banner(page: PageResult) -> list[Finding]:
    banner = page.banner
    if not banner.found:
        return []
    out: list[Finding] = []

    def problem(message: str, severity: str = VIOLATION) -> None:
        out.append(Finding(severity, "banner", page.url, "before", banner.where, message))

    if banner.language_ok is False:
        wording = banner.wording_lang or banner.banner_lang
        problem(f"the banner is in {wording or 'another language'}, the page in {banner.page_lang}")
    if banner.prominence_ok is False:
        problem(f"Reject is not as prominent as Accept: {banner.prominence_problem}")
    if banner.keyboard_ok is False:
        missing = [k for k, v in banner.keyboard_tabs.items() if v is None]
        problem(f"{' and '.join(missing)} not reached with the Tab key from the top of the page")
    accept = page.phases.get("accept")
    if accept is not None and accept.banner_after_reload:
        problem("after Accept all the banner came back on the next page view: the choice was not kept", NOTICE)
    reject = page.phases.get("reject")
    if reject is not None and reject.banner_after_reload:
        problem("after Reject all the banner came back on the next page view: the refusal was not kept")
    if reject is not None and reject.error:
        problem(reject.error, NOTICE)
    return out


def _cleared(url: str, phase: Phase) -> list[Finding]:
    out = []
    by_name = {c.name: c for c in phase.cookies}
    for cookie in phase.cookies:
        if cookie.name in phase.planted and not cookie.first_party and cookie.set_by == "unknown":
            out.append(
                Finding(
                    NOTICE,
                    "not-cleared",
                    url,
                    "reject",
                    cookie.name,
                    f"third-party cookie {cookie.name} on {cookie.domain} ({cookie.provider}) stays after Reject all:"
                    " only its provider can delete it",
                    cookie.provider,
                    cookie.category,
                )
            )
    for name in phase.kept:
        left = by_name.get(name)
        if left is not None and left.set_by != "unknown":
            continue  # set again during the phase: already a cookie violation with its source
        provider = left.provider if left else ""
        category = left.category if left else ""
        out.append(
            Finding(
                VIOLATION,
                "not-cleared",
                url,
                "reject",
                name,
                f"cookie {name} ({provider}, {category}) was not cleared after Reject all",
                provider,
                category,
            )
        )
    return out


def group_key(finding: Finding) -> tuple[str, ...]:
    """Findings that are the same thing on several pages: by kind, subject (a URL by host and path)."""
    subject = finding.subject
    if finding.kind in ("tracker-request", "third-party") and "//" in subject:
        parts = urlsplit(subject)
        subject = f"{parts.hostname}{parts.path}"
    return (finding.severity, finding.phase, finding.kind, subject, finding.what)
