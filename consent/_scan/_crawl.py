"""The crawl: up to N pages of one site, breadth-first from the start URLs, each page scanned in turn."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

from .._config import ConsentConfig
from . import _inventory, _rules, _toml
from ._banner import Words, load_words
from ._browser import DEFAULT_BROWSER, Session, Timing
from ._classify import Classifier, Site
from ._model import PageResult, Report
from ._page import scan_page

# Links to these are files, not pages.
SKIP_SUFFIXES = (
    ".pdf", ".zip", ".gz", ".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".avif", ".ico", ".mp3", ".mp4",
    ".webm", ".mov", ".css", ".js", ".json", ".xml", ".rss", ".atom", ".txt", ".csv", ".woff", ".woff2",
)  # fmt: skip


@dataclass
class ScanOptions:
    """What to scan and how. ``urls``: start pages of one site (the first one names the site)."""

    urls: Sequence[str]
    pages: int = 10
    same_host: bool = False
    config: ConsentConfig | None = None
    config_path: str = ""
    browser: str = DEFAULT_BROWSER
    offline: bool = False  # answer other hosts with stand-ins (see _stubs)
    timing: Timing = field(default_factory=Timing)
    #: Called before each page: (pages done, pages planned, URL), and once more at the end with URL "".
    progress: Callable[[int, int, str], None] | None = None


def normalise(url: str) -> str:
    """The URL without its fragment, with a path (``http://host`` -> ``http://host/``)."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def is_page(url: str, skip_prefix: str) -> bool:
    """Worth a visit: not a file, and not one of the middleware's own pages (settings under its prefix)."""
    path = urlsplit(url).path
    if path == skip_prefix or path.startswith(skip_prefix + "/"):
        return False
    return not path.lower().endswith(SKIP_SUFFIXES)


def scan(options: ScanOptions) -> Report:
    """Crawl and scan; the report carries every page, the findings, the inventory and the TOML block.

    Raises `ScanError` when the browser cannot run, ValueError for start URLs outside one site."""
    if not options.urls:
        raise ValueError("no start URL")
    if options.pages < 1:
        raise ValueError("--pages must be at least 1")
    starts = [normalise(u) for u in options.urls]
    site = Site(starts[0], options.same_host)
    for url in starts:
        if not site.crawls(url):
            raise ValueError(f"{url} is not on the site of {starts[0]} (give start pages of one site)")
    classifier = Classifier(options.config)
    words = load_words(options.config)
    report = Report(
        start=starts,
        config=options.config_path,
        tracker_table=classifier.table_version,
        started=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    began = time.monotonic()
    session = Session(classifier, site, options.browser, options.offline, options.timing)
    report.browser = session.version
    try:
        _crawl(session, starts, site, options, words, report.pages)
    finally:
        session.close()
    report.seconds = time.monotonic() - began
    report.findings = _rules.findings(report.pages, classifier)
    report.cookies = _inventory.cookies(report.pages)
    report.hosts = _inventory.hosts(report.pages)
    report.declared = _inventory.declared(report.pages, classifier)
    report.undeclared_toml = _toml.undeclared(report.cookies, classifier)
    return report


def _crawl(
    session: Session, starts: list[str], site: Site, options: ScanOptions, words: Words, pages: list[PageResult]
) -> None:
    frontier = deque((url, 0) for url in starts)
    queued = set(starts)
    languages: set[str] = set()
    skip_prefix = options.config.prefix if options.config else "/consent"  # the middleware's default

    def wants_screenshot(lang: str) -> bool:
        key = lang.lower()
        if key in languages:
            return False
        languages.add(key)
        return True

    while frontier and len(pages) < options.pages:
        url, depth = frontier.popleft()
        if options.progress:
            options.progress(len(pages), min(options.pages, len(pages) + 1 + len(frontier)), url)
        page = scan_page(session, url, words, depth, wants_screenshot)
        pages.append(page)
        for link in page.links:
            link = normalise(link)
            if link not in queued and site.crawls(link) and is_page(link, skip_prefix):
                queued.add(link)
                frontier.append((link, depth + 1))
    if options.progress:
        options.progress(len(pages), len(pages), "")
