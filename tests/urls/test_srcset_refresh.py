"""srcset_urls and refresh_url(s): the URLs inside srcset and meta refresh values."""

from __future__ import annotations

import pytest

from consent._browser.attrurls import refresh_url, refresh_urls, srcset_urls


@pytest.mark.parametrize(
    ("value", "urls"),
    [
        ("a.png", ["a.png"]),
        ("a.png 1x, b.png 2x", ["a.png", "b.png"]),
        ("a.png,b.png", ["a.png,b.png"]),  # a comma inside a URL does not split
        ("a.png, b.png", ["a.png", "b.png"]),
        ("a.png,, ,b.png", ["a.png", "b.png"]),  # trailing commas of a URL are removed
        ("  ,,  a.png  ", ["a.png"]),
        ("a.png 100w, b.png 200w", ["a.png", "b.png"]),
        ("a.png (x, y) 1x, b.png", ["a.png", "b.png"]),  # a comma in parentheses does not end the candidate
        ("a.png 1x (unclosed, b.png", ["a.png"]),
        ("data:image/png;base64,AAA= 1x, https://www.facebook.com/tr 2x", ["data:image/png;base64,AAA=",
                                                                          "https://www.facebook.com/tr"]),
        ("a.png\t1x,\nb.png\f2x,\rc.png", ["a.png", "b.png", "c.png"]),
        ("a.png bogus, b.png", ["a.png", "b.png"]),  # an invalid descriptor: listed anyway (over-gating)
        ("", []),
        (" , , ", []),
    ],
)  # fmt: skip
def test_srcset_candidates_split_as_the_html_standard_says(value, urls):
    assert srcset_urls(value) == urls


def test_a_huge_srcset_is_split_in_one_pass():
    value = ", ".join(f"https://cdn.example.org/{i}.png {i}w" for i in range(100_000))
    assert len(srcset_urls(value)) == 100_000
    assert srcset_urls("a (" + "(" * 500_000) == ["a"]
    assert srcset_urls("," * 1_000_000 + "x") == ["x"]


@pytest.mark.parametrize(
    ("content", "url"),
    [
        ("0; url=https://www.facebook.com/tr", "https://www.facebook.com/tr"),
        ("0;URL = 'https://www.facebook.com/tr'", "https://www.facebook.com/tr"),
        ('5, uRl="https://a.example/x" trailing', "https://a.example/x"),
        ("0 https://a.example/", "https://a.example/"),
        ("0;https://a.example/", "https://a.example/"),
        (".5; url=x", "x"),
        ("1.5.7 ; url=x", "x"),
        ("0; uri=x", "uri=x"),  # not "url": the whole rest is the URL
        ("0; url x", "url x"),
        ("  3  ", None),  # a reload of the page itself
        ("0;", None),
        ("", None),
        ("x; url=https://a.example/", None),  # no time: not a refresh
        ("-1; url=https://a.example/", None),
        ("0x; url=https://a.example/", None),
        ("0; url='https://a.example/", "https://a.example/"),  # an unclosed quote runs to the end
    ],
)
def test_refresh_content_parses_as_the_html_standard_says(content, url):
    assert refresh_url(content) == url


def test_the_legacy_reading_is_kept_where_it_differs():
    # WebKit's old parser (inherited by Blink) ran a quoted URL to the *last* matching quote and accepted any
    # time text: gate on every reading.
    content = "0; url='https://first.example'@www.facebook.com/'"
    assert refresh_urls(content) == ["https://first.example", "https://first.example'@www.facebook.com/"]
    assert refresh_urls("+1;url=https://www.facebook.com/") == ["https://www.facebook.com/"]
    assert refresh_urls("0; url=https://a.example/") == ["https://a.example/"]
    assert refresh_urls("5") == []
