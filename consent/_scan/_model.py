"""What the scanner saw: plain dataclasses, turned into JSON by `as_json`.

A page has up to three phases (``before`` any choice, after ``accept``, after ``reject``); each phase lists
the requests to other hosts, the cookies in the browser's jar and the ``localStorage`` keys. Providers and
categories are filled in when the observation is made (see `_classify`), violations afterwards (`_rules`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

PHASES = ("before", "accept", "reject")
PHASE_TITLES = {"before": "Before any choice", "accept": "After Accept all", "reject": "After Reject all"}


@dataclass
class RequestSeen:
    """One request to a host other than the site's."""

    url: str
    host: str
    type: str  # Playwright's resource type: script, image, fetch, ping, sub_frame…
    initiator: str = ""  # the script that made it ("inline script" for one in the page), when Chromium says
    provider: str = ""  # the tracker table's name for the host, "" when unknown
    category: str = ""  # the site's category for it ("" when unknown)


@dataclass
class CookieSeen:
    """One cookie in the browser's jar at the end of a phase."""

    name: str
    domain: str
    path: str
    first_party: bool
    expires: float | None  # seconds since the epoch; None for a session cookie
    set_by: str = "unknown"  # "http" (Set-Cookie), "javascript" or "unknown"
    source: str = ""  # the response (http) or the script (javascript) that set it
    provider: str = ""
    category: str = ""
    declared: bool = False  # matches a [[cookies]] declaration of the configuration
    http_only: bool = False
    secure: bool = False
    same_site: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.name, self.domain.lstrip("."), self.path)


@dataclass
class StorageSeen:
    """One ``localStorage`` key of the page's origin."""

    key: str
    origin: str
    provider: str = ""
    category: str = ""


@dataclass
class Phase:
    name: str
    requests: list[RequestSeen] = field(default_factory=list)
    cookies: list[CookieSeen] = field(default_factory=list)
    storage: list[StorageSeen] = field(default_factory=list)
    banner_after_reload: bool | None = None  # the banner came back on the next page view (choice not kept)
    planted: list[str] = field(default_factory=list)  # reject: the optional cookies Accept had left
    cleared: list[str] = field(default_factory=list)  # reject: planted cookies gone after
    kept: list[str] = field(default_factory=list)  # reject: refused first-party cookies still there
    error: str = ""


@dataclass
class Button:
    """A banner button as the visitor sees it."""

    text: str
    tag: str  # "button", "a", "input"…
    width: float
    height: float
    font_size: str = ""
    font_weight: str = ""
    contrast: float | None = None  # text against its background


@dataclass
class Banner:
    found: bool = False
    where: str = ""  # how it was recognised, e.g. 'div#consent-banner[role=dialog]'
    page_lang: str = ""  # <html lang>
    banner_lang: str = ""  # the banner's own lang (or inherited)
    wording_lang: str = ""  # the language whose catalog words the buttons use, when recognised
    language_ok: bool | None = None
    accept: Button | None = None
    reject: Button | None = None
    prominence_ok: bool | None = None
    prominence_problem: str = ""
    keyboard_tabs: dict[str, int | None] = field(default_factory=dict)  # presses of Tab to reach each button
    keyboard_ok: bool | None = None
    screenshot: bytes | None = None  # PNG of the banner (first page of each language only)


@dataclass
class PageResult:
    url: str
    status: int | None = None
    title: str = ""
    lang: str = ""
    depth: int = 0
    phases: dict[str, Phase] = field(default_factory=dict)
    banner: Banner = field(default_factory=Banner)
    links: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""


@dataclass
class Finding:
    """A violation (``severity="violation"``) or something to review (``"notice"``)."""

    severity: str
    kind: str  # tracker-request, cookie, storage, not-cleared, after-reject, banner, undeclared, third-party
    page: str
    phase: str
    subject: str  # the URL, cookie name or storage key
    message: str  # the whole sentence
    provider: str = ""
    category: str = ""
    source: str = ""
    what: str = ""  # the sentence without the phase and the source, for tables that show those apart

    def __post_init__(self) -> None:
        self.what = self.what or self.message


@dataclass
class InventoryCookie:
    """A cookie over the whole scan: where it was seen and what it is."""

    name: str
    domain: str
    first_party: bool
    category: str
    provider: str
    declared: bool
    phases: list[str]
    pages: int
    set_by: str = "unknown"
    source: str = ""
    path: str = "/"
    expires_in: float | None = None  # seconds from when it was seen; None for a session cookie


@dataclass
class InventoryHost:
    """A third-party host over the whole scan."""

    host: str
    provider: str
    category: str
    phases: list[str]
    requests: int


@dataclass
class Report:
    start: list[str]
    pages: list[PageResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    cookies: list[InventoryCookie] = field(default_factory=list)
    hosts: list[InventoryHost] = field(default_factory=list)
    undeclared_toml: str = ""  # [[cookies]] blocks for cookies seen but not declared
    config: str = ""  # the configuration file compared with, if any
    # Each declared cookie: seen after Accept, and cleared after Reject (None: never there to clear).
    declared: dict[str, dict[str, bool | None]] = field(default_factory=dict)
    browser: str = ""
    tracker_table: str = ""
    started: str = ""
    seconds: float = 0.0

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "violation"]

    @property
    def notices(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "notice"]


def as_json(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data (screenshots left out: the HTML report carries them)."""

    def clean(value: Any) -> Any:
        if isinstance(value, bytes):
            return None
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if k != "screenshot"}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    data = clean(dataclasses.asdict(report))
    data["summary"] = {
        "pages": len(report.pages),
        "violations": len(report.violations),
        "notices": len(report.notices),
        "seconds": round(report.seconds, 2),
    }
    return {"format": "asgi-consent scan report", "version": 1, **data}
