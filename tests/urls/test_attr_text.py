"""attr_text: attribute bytes as the browser reads them (decoding, newlines, character references)."""

from __future__ import annotations

import html

import pytest

from consent._browser.charrefs import attr_text


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"https&#x3a;//www.facebook.com/", "https://www.facebook.com/"),
        (b"https&colon;//x", "https://x"),
        (b"https:&#47;&#47;x", "https://x"),
        (b"&#x68;ttps://x", "https://x"),
        (b"www.facebook&#46;com", "www.facebook.com"),
        (b"&#X68;&#116&#x74;ps", "https"),  # upper-case X, no semicolon before a non-digit
        (b"&#0000000000000000104;", "h"),  # leading zeros are no overflow
        (b"&Tab;&NewLine;&sol;&period;&bsol;&commat;", "\t\n/.\\@"),
        (b"a&amp;b", "a&b"),
        (b"a&ampb", "a&ampb"),  # legacy name, no ";", then alphanumeric: left as written
        (b"a&amp=b", "a&amp=b"),  # then "=": left as written
        (b"a&amp/b", "a&/b"),  # then anything else: decoded
        (b"&notit;", "&notit;"),  # the longest known prefix "not" lacks ";" and "i" follows
        (b"&not;it", "\u00acit"),
        (b"&nosuch;", "&nosuch;"),
        (b"&", "&"),
        (b"&#", "&#"),
        (b"&#x;", "&#x;"),
        (b"&#xZ", "&#xZ"),
        (b"&#0;", "\ufffd"),
        (b"&#xD800;", "\ufffd"),
        (b"&#x110000;", "\ufffd"),
        (b"&#99999999999999999999999;", "\ufffd"),
        (b"&#x80;&#x9F;&#x81;", "\u20ac\u0178\x81"),  # the windows-1252 table; 0x81 has no entry
        (b"&#13;x", "\rx"),  # a reference to CR stays CR
        (b"a\r\nb\rc", "a\nb\nc"),  # the input stream's newline normalisation
        (b"a\x00b", "a\ufffdb"),
        (b"caf\xc3\xa9 \xff", "caf\u00e9 \ufffd"),
        (b"&CounterClockwiseContourIntegral;", "\u2233"),
    ],
)
def test_attribute_values_decode_as_in_a_browser(raw, text):
    assert attr_text(raw) == text


def test_html_unescape_lacks_the_attribute_exception():
    # Why attr_text exists: the standard library decodes these as in text, not as in an attribute value.
    assert html.unescape("a&amp=b&notit;") == "a&=b\u00acit;"
    assert attr_text(b"a&amp=b&notit;") == "a&amp=b&notit;"


@pytest.mark.parametrize(
    ("raw", "encoding", "text"),
    [
        (b"\x80\x81\x9d", "windows-1252", "\u20ac\x81\x9d"),
        (b"\x80", "latin-1", "\u20ac"),  # the Encoding standard reads latin-1 and ascii labels as windows-1252
        (b"\x80", "ascii", "\u20ac"),
        (b"\x81\x40", "shift_jis", "\u3000"),
        (b"\xe9", "no-such-encoding", "\ufffd"),  # an unknown label: UTF-8
        (b"\xef\xbb\xbfx", "utf-8-sig", "\ufeffx"),  # inside an attribute a BOM is a character
    ],
)
def test_the_page_encoding_is_used(raw, encoding, text):
    assert attr_text(raw, encoding) == text


def test_huge_values_are_decoded_in_one_pass():
    raw = b"&#x68;" * 200_000 + b"&" + b"a" * 500_000 + b"&#" + b"9" * 100_000
    text = attr_text(raw)
    assert text.startswith("h" * 200_000) and text.endswith("\ufffd") and len(text) == 200_000 + 500_001 + 1
