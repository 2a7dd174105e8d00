"""What the browser gate suite found Chromium loading from markup the gate had made inert, and the fixes:

- an ``@import`` at the top of a ``<style type="text/plain">``: Chromium's preload scanner fetches it
  whatever the type says (it stops at the first rule, so an inert style starts with one);
- an SVG ``<script href>``: fetched whatever its type says (the href is renamed like any URL);
- an iframe whose ``srcdoc`` holds a tracker: the iframe itself carried no ``data-consent``, so the client
  script never put the author's srcdoc back after Accept.
"""

from __future__ import annotations

from consent._html.fetch import INERT_CSS

from .helpers import BLOCKING, rewrite

IMPORT = b'<style>@import "https://static.hotjar.com/x.css";</style>'


def test_an_inert_style_starts_with_a_rule_so_no_preload_scanner_reads_its_import():
    out = rewrite(b"<p>" + IMPORT, blocking=BLOCKING)
    assert b'type="text/plain"' in out
    assert b">" + INERT_CSS + b'@import "https://static.hotjar.com/x.css";</style>' in out
    # Allowed: exactly as written.
    assert rewrite(b"<p>" + IMPORT, ["analytics"], blocking=BLOCKING) == b"<p>" + IMPORT


def test_an_authors_own_inert_style_gets_the_rule_too_and_chunking_does_not_matter():
    doc = b'<p><style type="text/plain" data-consent="analytics">@import "/own.css";</style>'
    whole = rewrite(doc, blocking=BLOCKING)
    assert whole == doc.replace(b'">@import', b'">' + INERT_CSS + b"@import")
    assert rewrite(doc, blocking=BLOCKING, chunks=[1] * len(doc)) == whole
    assert rewrite(doc, ["analytics"], blocking=BLOCKING) == doc.replace(b' type="text/plain"', b"")


def test_an_svg_scripts_href_is_renamed_not_only_its_type():
    doc = b'<svg><script href="https://connect.facebook.net/x.js"></script></svg>'
    out = rewrite(doc, blocking=BLOCKING)
    assert b' href="' not in out and b'data-href="https://connect.facebook.net/x.js"' in out
    marked = b'<svg><script type="text/plain" data-consent="marketing" data-href="/own.js"></script></svg>'
    assert b' href="/own.js"' in rewrite(marked, ["marketing"], blocking=BLOCKING)


def test_an_iframe_whose_srcdoc_holds_a_tracker_needs_its_category_first_time_and_from_the_memo():
    doc = b"<iframe srcdoc=\"&lt;img src='https://www.google-analytics.com/p.gif'&gt;\"></iframe>"
    first = rewrite(doc, blocking=BLOCKING)
    assert first.startswith(b'<iframe data-consent="analytics" data-consent-auto="srcdoc"')
    assert b"data-srcdoc=" in first
    assert rewrite(doc, blocking=BLOCKING) == first  # the engine remembers the decisions inside: the same
    other = b"<p><iframe srcdoc=\"&lt;p&gt;&lt;img src='https://www.google-analytics.com/p.gif'&gt;\"></iframe>"
    assert b'data-consent="analytics"' in rewrite(other, blocking=BLOCKING)[:60]  # the <img> from the memo
    assert rewrite(doc, ["analytics"], blocking=BLOCKING) == doc
