"""`fetch_host` against ada-url (a WHATWG URL parser, test dependency only) on thousands of generated
spellings, and the IDNA mapping against ada-url's UTS #46 tables code point by code point.

Where the two differ, the difference must be one of the documented ones, each of which can only over-gate:
- the standard refuses the host and our IDNA mapping is lenient (we name a host, the standard none);
- Chromium's readings, which we follow (checked in test_browser_hosts.py): a space in a host escaped as
  ``%20``, ``*`` escaped as ``%2A``, IPv4 numbers in an IPv6 address's dotted tail;
- a host the standard names while our mapping gives another *non-ASCII* (``xn--``) host: only for code
  points newer than this Python's Unicode database (no ASCII host can hide behind that).
"""

from __future__ import annotations

import unicodedata
from collections import Counter

import pytest

from consent._browser.charrefs import attr_text
from consent._browser.hosts import parse_host
from consent._browser.urls import BaseURL, fetch_host, fetch_hosts
from tests.urls import spellings

ada_url = pytest.importorskip("ada_url")

NETWORK = ("http:", "https:", "ws:", "wss:", "ftp:")


def reference_host(value: str, document: str) -> str | None:
    """The host ada-url gives ``value`` in ``document`` (None: failure, another scheme, or first party)."""
    try:
        url = ada_url.URL(value, base=document)
    except ValueError:
        return None
    if url.protocol not in NETWORK or url.hostname == "first.example":
        return None
    host = url.hostname
    return (host if host.startswith("[") else host.rstrip(".")) or None


def chromium_star(host: str | None) -> str | None:
    """Our host with Chromium's escaping of "*" undone, to compare with the standard's."""
    return None if host is None else host.replace("%2A", "*")


def classify(value: str, ours: str | None, ref: str | None) -> str:
    if ours == ref:
        return "equal"
    if ref is None:
        return "over-gating: the standard refuses the host, our mapping is lenient"
    if ours is not None and ("%20" in ours or "%2a" in ours.lower() or ours.startswith("[")):
        return "Chromium's reading (space, '*', IPv4 in IPv6)"
    return "LEAK"


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_fetch_host_matches_the_whatwg_parser_on_generated_spellings(scheme):
    document = f"{scheme}://first.example/dir/page.html"
    seen: Counter[str] = Counter()
    for case in spellings.generate(4000, seed=91):
        value = attr_text(case.markup.encode())
        ours, ref = fetch_host(value, BaseURL.document(scheme)), reference_host(value, document)
        kind = classify(value, ours, ref)
        assert kind != "LEAK", f"{value!r}: the standard says {ref}, fetch_host says {ours}"
        seen[kind] += 1
        if ref is not None:
            assert ref in fetch_hosts(value) or kind != "equal"  # the page's scheme not known: still named
    assert seen["equal"] > 3500, seen
    assert sum(seen.values()) - seen["equal"] < 300, seen


def test_base_href_resolution_matches_the_whatwg_parser():
    hrefs = ["https://www.facebook.com/a/", "//connect.facebook.net/", "https:\\\\static.hotjar.com", "/x/",
             "https:cdn.example.org/", "http:cdn.example.org/", "foo://www.facebook.com/", "mailto:x"]  # fmt: skip
    relative = ["a.gif", "/a.gif", "?q", "//img.example.net/", "\\\\img.example.net", "https:a.gif", "http:a"]
    for scheme in ("http", "https"):
        document = f"{scheme}://first.example/dir/page.html"
        for href in hrefs:
            base = BaseURL.parse(href, BaseURL.document(scheme))
            resolved = ada_url.URL(href, base=document).href
            for rel in relative:
                assert fetch_host(rel, base) == reference_host(rel, resolved), (scheme, href, rel)


def test_every_code_point_the_standard_maps_to_ascii_maps_the_same_here():
    mapped = spellings.ascii_mapped_code_points()
    assert len(mapped) > 1600  # fullwidth forms, mathematical letters, ignorables, Unicode 16 letters…
    wrong = {}
    for cp, text in mapped.items():
        host = f"a{chr(cp)}b.example"
        ref = reference_host(f"http://{host}/", "http://first.example/")
        if ref is not None and chromium_star(parse_host(host)) != ref:
            wrong[hex(cp)] = (ref, parse_host(host), text)
    assert not wrong


def test_no_code_point_loses_a_host_the_standard_keeps():
    # The first two planes, the ideographic planes' start and the tag block: where the standard gives a host,
    # we give one too, and an ASCII one is the same (a non-ASCII one may differ for newer code points only).
    points = [*range(0x80, 0x20000), *range(0x20000, 0x20100), *range(0xE0000, 0xE1000)]
    differ = []
    for cp in points:
        if 0xD800 <= cp <= 0xDFFF:
            continue
        host = f"a{chr(cp)}b.example"
        ref = reference_host(f"http://{host}/", "http://first.example/")
        if ref is None:
            continue
        ours = chromium_star(parse_host(host))
        assert ours is not None, hex(cp)
        if ours != ref:
            assert "xn--" in ref and "xn--" in ours, (hex(cp), ref, ours)
            differ.append(cp)
    assert all(unicodedata.category(chr(cp)) == "Cn" for cp in differ)  # unknown to this Python's Unicode
