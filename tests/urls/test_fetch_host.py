"""fetch_host, fetch_hosts and BaseURL: the host a fetch URL makes the browser connect to."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consent._browser.charrefs import attr_text
from consent._browser.urls import BaseURL, fetch_host, fetch_hosts

FB = "www.facebook.com"
HTTP, HTTPS = BaseURL.document("http"), BaseURL.document("https")


@pytest.mark.parametrize(
    "markup",
    [
        # Issue 9, item 1: each form Chromium loaded from the tracker although the old gate missed it.
        "https&#x3a;//www.facebook.com/tr",
        "https&colon;//www.facebook.com/tr",
        "https:&#47;&#47;www.facebook.com/tr",
        "&#x68;ttps://www.facebook.com/tr",
        "https://www.facebook&#46;com/tr",
        "https:\\\\www.facebook.com/tr",
        "/\\www.facebook.com/tr",
        "\\\\www.facebook.com/tr",
        "https://www.face\tbook.com/tr",
        "https://www.face&#10;book.com/tr",
        "ht\ntps://www.facebook.com/tr",
        "https://www%2Efacebook%2ecom/tr",
        "https://www\u3002facebook\uff0ecom\uff61/tr",
        "https://ｗｗｗ.ｆａｃｅｂｏｏｋ.ｃｏｍ/tr",
        "https://www.f\u00adace\u200bbook.com/tr",
        "https://%77ww.facebook.com/tr",
        "https://www.facebook.com./tr",
        "HTTPS://WWW.FACEBOOK.COM:443/tr",
        "https://user:pass@www.facebook.com/tr",
        "https://a@b@www.facebook.com/tr",
        "//www.facebook.com/tr",
        "  \x01https://www.facebook.com/tr\x00 ",
        "https:///www.facebook.com/tr",
        "https:\\/www.facebook.com",
        "https://www.facebook.com?x",
        "https://www.facebook.com#x",
    ],
)
def test_every_form_of_issue_9_names_the_tracker(markup):
    url = attr_text(markup.encode())
    assert fetch_host(url) == FB and fetch_host(url, HTTP) == FB and fetch_host(url, HTTPS) == FB


@pytest.mark.parametrize("url", ["https:/www.facebook.com/tr", "https:www.facebook.com/tr"])
def test_one_slash_or_none_is_a_host_unless_the_page_has_that_scheme(url):
    assert fetch_host(url, HTTP) == FB  # another scheme: the authority follows whatever the slashes
    assert fetch_host(url, HTTPS) is None  # the same scheme: a relative path on the page's own host
    assert fetch_host(url) == FB and fetch_hosts(url) == (FB,)  # the page's scheme unknown: gate


@pytest.mark.parametrize(
    "url",
    ["img.gif", "/img.gif", "?q", "#f", "", " ", "./x/../y", "http:img.gif", "1https://www.facebook.com/",
     "ht tps://www.facebook.com/", "https;//www.facebook.com/", "https//www.facebook.com/"],
)  # fmt: skip
def test_relative_urls_are_first_party(url):
    assert fetch_host(url, HTTP) is None


@pytest.mark.parametrize(
    "url",
    ["data:image/gif;base64,R0lGOD", "javascript:alert(1)", "javascript://www.facebook.com/%0aalert(1)",
     "about:blank", "blob:https://www.facebook.com/1-2", "mailto:x@www.facebook.com", "file://www.facebook.com/x",
     "foo://www.facebook.com/", "view-source:https://www.facebook.com/"],
)  # fmt: skip
def test_schemes_that_fetch_nothing_from_the_network_give_none(url):
    assert fetch_host(url) is None


@pytest.mark.parametrize(
    "url",
    ["http://", "http:///", "http://user@/", "http://:80/", "http://[", "http://[::1", "http://[]/", "http://[x]/",
     "http://a[b]c/", "http://]/", "https://www.facebook.com:99999/", "https://www.facebook.com:8a/",
     "https://www.facebook.com:-1/", "http://a b.example%/", "http://a<b/", "http://a^b/", "http://a|b/",
     "http://%zz/", "http://%00/", "http://\u00ad/", "http://1.2.3.08/", "http://1.2.3.4.5/", "http://256.0.0.1/",
     "http://0x100000000/", "http://" + "9" * 5000 + "/", "https://[1::2::3]/", "http://[::1]x/"],
)  # fmt: skip
def test_invalid_urls_give_none_and_never_raise(url):
    assert fetch_host(url) is None


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://2130706434/", "127.0.0.2"),
        ("http://0x7f000002/", "127.0.0.2"),
        ("http://0177.0.0.02/", "127.0.0.2"),
        ("http://127.2/", "127.0.0.2"),
        ("http://127.0.2/", "127.0.0.2"),
        ("http://0X7F.0.0.2./", "127.0.0.2"),
        ("http://１２７.０.０.２/", "127.0.0.2"),
        ("http://0x/", "0.0.0.0"),
        ("http://[::1]:8080/", "[::1]"),
        ("http://[0:0:0:0:0:0:0:1]/", "[::1]"),
        ("http://[::ffff:127.0.0.2]/", "[::ffff:7f00:2]"),
        ("http://[1:0:0:2:0:0:0:3]/", "[1:0:0:2::3]"),
        ("http://[::127.0.0.010]/", "[::7f00:8]"),  # Chromium reads the IPv4 tail's parts as IPv4 numbers
        ("http://www.facebook.com :80/", "www.facebook.com%20"),  # Chromium escapes a space in a host
        ("http://a*b.example/", "a%2Ab.example"),
        ("http://xn--bcher-kva.example/", "xn--bcher-kva.example"),
        ("http://bücher.example/", "xn--bcher-kva.example"),
        ("http://faß.example/", "xn--fa-hia.example"),  # non-transitional, as browsers now are
        ("http://www.faceboo\u212a.com/", FB),  # KELVIN SIGN folds to k
        ("http://www.facebook.co\U0001ccdc/", "www.facebook.cog"),  # Unicode 16 OUTLINED LATIN CAPITAL G
        ("http://％７７ww.facebook.com/", FB),  # Chromium decodes a fullwidth percent escape
        ("http://www.facebook.com../", "www.facebook.com"),
        ("ws://www.facebook.com/", FB),  # no image loads from ws: listed anyway (over-gating only)
    ],
)
def test_hosts_are_normalised_as_the_browser_does(url, host):
    assert fetch_host(url) == host


def test_a_base_href_on_a_tracker_makes_relative_urls_third_party():
    base = BaseURL.parse(attr_text(b"https&#x3a;//www.facebook&#46;com/dir/"))
    assert base.hosts == (FB,)
    assert fetch_host("img.gif", base) == FB and fetch_host("/x", base) == FB and fetch_host("?q", base) == FB
    assert fetch_host("//cdn.example.org/x", base) == "cdn.example.org"
    assert fetch_host("data:x", base) is None


def test_a_scheme_relative_base_keeps_both_readings_of_a_one_slash_url():
    base = BaseURL.parse("//connect.facebook.net/")
    assert fetch_host("a.gif", base) == "connect.facebook.net"
    # In an http page "https:cdn.example.org" names cdn.example.org; in an https one it is a path on the base.
    assert fetch_hosts("https:cdn.example.org", base) == ("cdn.example.org", "connect.facebook.net")
    assert fetch_hosts("https:cdn.example.org", BaseURL.parse("//connect.facebook.net/", HTTPS)) == (
        "connect.facebook.net",
    )


@pytest.mark.parametrize("href", ["http://[", "javascript:alert(1)", "data:text/html,x"])
def test_a_refused_base_leaves_the_page_its_own_url(href):
    base = BaseURL.parse(href, HTTP)
    assert base.hosts == () and fetch_host("img.gif", base) is None
    assert fetch_host("http:cdn.example.org", base) == "cdn.example.org"  # Chromium's preload scanner


def test_a_base_with_an_opaque_path_resolves_nothing():
    base = BaseURL.parse("mailto:x", HTTP)
    assert fetch_host("img.gif", base) is None and fetch_host("//www.facebook.com/", base) is None
    assert fetch_host("https://www.facebook.com/", base) == FB


def test_base_urls_compare_and_hash_as_memo_keys():
    assert BaseURL.parse("https://www.facebook.com/a/") == BaseURL.parse("https://www.facebook.com/b/")
    assert len({BaseURL(), BaseURL.document(), HTTP, HTTPS}) == 3
    with pytest.raises(ValueError, match="http or https"):
        BaseURL.document("ftp")


@pytest.mark.parametrize(
    "url",
    [
        "https://" + "a" * 1_000_000 + ".facebook.com/",
        "https://" + "ä" * 100_000 + ".facebook.com/",  # one huge non-ASCII label: a digest, not punycode
        "https://" + "\\" * 1_000_000 + "www.facebook.com",
        "https://" + "@" * 1_000_000 + "www.facebook.com",
        "https://[" + ":" * 1_000_000,
        "https://" + "%2E" * 300_000 + "facebook.com",
        "https://www.facebook.com:" + "0" * 1_000_000 + "443/",
        " " * 1_000_000 + "https://www.facebook.com",
        "https://" + "1." * 500_000,
    ],
    ids=["long-label", "long-idn-label", "backslashes", "ats", "colons", "dots", "port-zeros", "spaces", "ipv4ish"],
)
def test_huge_urls_are_answered_without_raising(url):
    host = fetch_host(url)
    assert host is None or host.endswith("facebook.com")


def test_a_huge_non_ascii_label_keeps_the_other_labels():
    host = fetch_host("https://" + "\u4e00" * 5000 + ".facebook.com/")
    assert host is not None and host.startswith("xn--") and host.endswith(".facebook.com")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("h t p s : / \\ @ [ ] % 2 E . a b 0 x \t \u3002 ｆ \u00ad 1 # ? &".split(" ")),
               max_size=40))  # fmt: skip
def test_arbitrary_input_never_raises(text):
    for base in (None, HTTP, HTTPS, BaseURL.parse(text)):
        hosts = fetch_hosts(text, base)
        assert all(h == h.lower() and h.isascii() and not h.endswith(".") for h in hosts)
        assert fetch_host(text, base) == (hosts[0] if hosts else None)
