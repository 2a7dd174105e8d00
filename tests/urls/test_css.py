"""css_urls: every URL a stylesheet or a style attribute makes the browser fetch, as CSS tokenizes it."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consent._browser.css import css_urls
from tests.engine import differential

T = "https://www.facebook.com/tr"


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        (f"a{{background:url({T})}}", [T]),
        (f"a{{background:url(  {T}  )}}", [T]),
        (f"a{{background:URL({T})}}", [T]),
        (f"a{{background:uRl('{T}')}}", [T]),
        (f'a{{background:url( "{T}" )}}', [T]),
        (f"u\\72l({T})", [T]),  # an escape inside the function name
        (f"\\75 rl({T})", [T]),
        (f"\\000075RL({T})", [T]),
        ("url(https://www\\2e facebook\\2e com/tr)", [T]),  # escapes inside the URL
        ("url(https://www.facebook.com/t\\)r)", ["https://www.facebook.com/t)r"]),
        ('url("https://www.facebook.com/t\\"r")', ['https://www.facebook.com/t"r']),
        ('url("https://www.face\\\nbook.com/tr")', [T]),  # an escaped newline continues a string
        (f'@import "{T}";', [T]),
        (f"@import '{T}' screen;", [T]),
        (f"@IMPORT url({T});", [T]),
        (f"@im\\70 ort /* c */ '{T}';", [T]),
        (f'a{{background-image:image-set("{T}" 1x, url(b.png) 2x)}}', [T, "b.png"]),
        (f"a{{background-image:-webkit-image-set('{T}' 1x)}}", [T]),
        (f'a{{b:image-set("{T}" type("image/png"))}}', [T]),  # the type() string is no URL
        (f"@font-face{{font-family:x;src:url({T}) format('woff2'), local('Arial')}}", [T]),
        (f"a{{b:url({T}", [T]),  # the end of the input closes the url
        (f'@import "{T}', [T]),  # an unterminated string at the end is still a string
        (f"a{{mask:url({T}#m)}} b{{cursor:url(c.cur),auto}}", [f"{T}#m", "c.cur"]),
        (f"a{{b:url({T})}}\r\nc{{d:url(x\\\r\n)}}", [T]),  # CRLF is a newline: the escape is invalid
        ("a{b:url(a b)}", []),  # a bad url fetches nothing
        ("a{b:url(a'b)}", []),
        ("a{b:url(a(b)}", []),
        ("a{b:url(a\\\nb)}", []),
        (f"/* url({T}) */", []),
        (f'a{{content:"url({T})"}}', []),
        (f"a{{content:'@import \"{T}\"'}}", []),
        (f"a{{b:1url({T})}}", []),  # a dimension, then a parenthesis
        (f"a{{b:xurl({T})}}", []),
        (f"a{{b:--url({T})}}", []),
        (f"a{{b:#url({T})}}", []),
        (f"a{{b:@url({T})}}", []),
        (f"a{{b:url ({T})}}", []),  # "url" then whitespace: no function
        (f'@import\n"{T}', [T]),
        (f'@import "bad\n{T}";', []),  # a newline ends a string as a bad string
        (f"u/**/rl({T})", []),
        (f"a{{b:local('{T}')}}", []),
        ("", []),
    ],
)
def test_urls_are_found_as_the_css_tokenizer_sees_them(text, urls):
    assert css_urls(text) == urls


def test_text_without_any_url_is_answered_at_once():
    assert css_urls("a{color:red;margin:0 auto}" * 10_000) == []


@pytest.mark.parametrize(
    "text",
    [
        "a{b:url(x)}" * 100_000,
        "url(" + "a" * 1_000_000,
        "url(" + "a " * 500_000,
        "/*" + "url(x)" * 100_000,
        '"' + "\\" * 1_000_000,
        "\\" * 1_000_000,
        "@import" * 100_000,
        "image-set(" * 100_000 + '"x"',
        "-" * 1_000_000,
    ],
    ids=["many", "long-url", "long-bad-url", "open-comment", "backslashes-in-string", "backslashes", "imports",
         "nested-sets", "dashes"],
)  # fmt: skip
def test_a_megabyte_of_style_is_tokenized_without_raising(text):
    assert isinstance(css_urls(text), list)


# -- skipping quiet runs changes nothing ------------------------------------------------------------------------

# Pieces that start, end or split tokens: functions and look-alikes, numbers with exponents and signs, hashes,
# at-keywords, escapes, strings, comments, CDO/CDC, non-ASCII name characters.
_PIECES = ["url(", "URL(", "u\\72l(", "\\75 rl(", "image-set(", "src(", "(", ")", "@import", "@im\\70 ort", "#",
           "1", "1.5", ".", "e", "E", "+", "-", "--", "-->", "<!--", "x", "a-b", " ", "\n", "\t", "\\", "\\\n",
           '"', "'", "/*", "*/", "/", ";", ":", "{", "}", ",", "%", "é", "€", "\u3000", "//t.example/p",
           "local(", "1url(", "var(--x)"]  # fmt: skip


@settings(max_examples=4000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=24).map("".join))
def test_skipping_quiet_runs_finds_the_same_urls_in_any_css(text):
    assert css_urls(text) == css_urls(text, skip_quiet=False)


_STYLES = re.compile(rb"<style[^>]*>(.*?)</style|style=\"([^\"]*)\"|style='([^']*)'", re.I | re.S)


def test_skipping_quiet_runs_finds_the_same_urls_in_every_style_of_the_corpus():
    folder = differential.corpus_dir()
    if folder is None:
        pytest.skip("no corpus: set CONSENT_CORPUS or see ../shared")
    texts = 0
    for page in sorted(folder.glob("*.htm*")):
        for m in _STYLES.finditer(page.read_bytes()):
            text = next(g for g in m.groups() if g is not None).decode("utf-8", "replace")
            assert css_urls(text) == css_urls(text, skip_quiet=False), page.name
            texts += 1
    assert texts > 1000
