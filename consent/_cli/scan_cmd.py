"""``consent scan URL``: crawl a site in headless Chromium and report what it does before and after a choice."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ._load import load_or_report


def register(sub: Any) -> None:
    from .._scan import DEFAULT_BROWSER

    scan = sub.add_parser(
        "scan",
        help="prove in a real browser that nothing tracks before consent",
        description="Crawl up to N pages of a site (same-site links, breadth-first) in headless Chromium. For "
        "each page, in fresh browser contexts: what happens before any choice (every request to another host, "
        "every cookie, localStorage), after clicking Accept all, and after Reject all (and whether the refused "
        "cookies were cleared); and whether the banner is in the page's language, offers Reject as prominently "
        "as Accept and is reachable by keyboard. Anything that needs consent before a choice is a violation.",
        epilog="Needs the [scan] extra (pip install 'asgi-consent[scan]') and an installed Chromium; it never "
        "downloads a browser. Exit status: 0, or 1 with --fail-on when it applies, 2 when the scan cannot run.",
    )
    scan.add_argument("urls", nargs="+", metavar="URL", help="start page(s) of one site")
    scan.add_argument("--pages", type=int, default=10, metavar="N", help="scan at most N pages (default: 10)")
    scan.add_argument(
        "--same-host", action="store_true", help="follow links to the start host only (default: its subdomains too)"
    )
    scan.add_argument(
        "--config", metavar="FILE", help="compare with this consent.toml (declared cookies, categories, mode)"
    )
    scan.add_argument("--json", metavar="FILE", help="write the report as JSON")
    scan.add_argument("--html", metavar="FILE", help="write a self-contained HTML report, with banner screenshots")
    scan.add_argument("--toml", metavar="FILE", help="write [[cookies]] blocks for the undeclared cookies")
    scan.add_argument(
        "--fail-on",
        choices=("violations", "undeclared"),
        help="exit 1 on violations (undeclared: also on cookies the configuration does not declare)",
    )
    scan.add_argument(
        "--browser", default=DEFAULT_BROWSER, metavar="PATH", help=f"the Chromium to drive (default: {DEFAULT_BROWSER})"
    )
    scan.add_argument(
        "--offline",
        action="store_true",
        help="answer every other host on this machine with stand-ins that act like the real tags (set their "
        "cookies, send a beacon): no network needed, nothing sent to real trackers (for CI)",
    )
    scan.add_argument(
        "--wait", type=int, default=500, metavar="MS", help="let each page settle this long after load (default: 500)"
    )
    scan.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no table: only the verdict")
    scan.set_defaults(run=run_scan)


def run_scan(args: argparse.Namespace) -> int:
    from .._scan import ScanError, ScanOptions, Timing, as_json, scan
    from .._scan._html_report import render as render_html
    from .._scan._terminal import Progress, failed
    from .._scan._terminal import render as render_text

    config = None
    if args.config:
        loaded = load_or_report(args.config)
        if loaded is None:
            return 2
        config = loaded.config
    if args.wait < 0:
        print("error: --wait must be a number of milliseconds, 0 or more", file=sys.stderr)
        return 2
    options = ScanOptions(
        urls=args.urls,
        pages=args.pages,
        same_host=args.same_host,
        config=config,
        config_path=args.config or "",
        browser=args.browser,
        offline=args.offline,
        timing=Timing(wait=args.wait),
        progress=None if args.quiet else Progress(sys.stderr),
    )
    try:
        report = scan(options)
    except (ScanError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if all(page.error for page in report.pages):
        print(f"error: no page could be scanned: {report.pages[0].error}", file=sys.stderr)
        return 2
    outputs = []
    if args.json:
        outputs.append(_write(args.json, json.dumps(as_json(report), indent=2, ensure_ascii=False) + "\n"))
    if args.html:
        outputs.append(_write(args.html, render_html(report)))
    if args.toml:
        outputs.append(_write(args.toml, report.undeclared_toml or "# every cookie seen is declared\n"))
    text = render_text(report, args.fail_on or "")
    print(text.rstrip().splitlines()[-1] if args.quiet else text, end="" if not args.quiet else "\n")
    for line in outputs:
        print(line, file=sys.stderr)
    return 1 if args.fail_on and failed(report, args.fail_on) else 0


def _write(path: str, text: str) -> str:
    data = text.encode("utf-8")
    Path(path).write_bytes(data)
    return f"wrote {path} ({len(data):,} bytes)"
