"""The two scanner back ends give identical bytes: on generated markup soups (every chunking), and on the real
pages of the corpus (a bounded share here; CI runs all of it with ``python -m tests.engine.differential``)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.engine import differential as d

ENGINES = d.engines()
pytestmark = pytest.mark.skipif(len(ENGINES) < 2, reason="the compiled scanner is not built: nothing to compare")

# Pieces that stress every state of the tokenizer, and every rule of the gate.
BITS = [
    b"<html lang=de>",
    b"<head>",
    b"<body>",
    b"</body>",
    b"</html>",
    b"<!doctype html>",
    b"<p>",
    b"</p>",
    b"<!--",
    b"-->",
    b"--!>",
    b"<!-->",
    b"<!",
    b"<?x",
    b"</",
    b"</ >",
    b"<![CDATA[",
    b"]]>",
    b"<script>",
    b"</script>",
    b"<script src=//www.google-analytics.com/a.js>",
    b"<!--<script>",
    b"</SCRIPT >",
    b"gtag('config','G-1')",
    b"fbq('init','1')",
    b"<style>",
    b"</style>",
    b"url(//www.facebook.com/tr)",
    b"<title>",
    b"</title>",
    b"<textarea>",
    b"<xmp>",
    b"<plaintext>",
    b"<noscript>",
    b"</noscript>",
    b"<template>",
    b"</template>",
    b"<svg>",
    b"</svg>",
    b"<math>",
    b"<mi>",
    b"<foreignObject>",
    b"<desc>",
    b'<a title="',
    b'">',
    b"'",
    b'"',
    b"=",
    b">",
    b"<",
    b"/",
    b" ",
    b"\n",
    b"x",
    b"\xc4\xb0",
    b"&#47;",
    b"&amp;",
    b'<img src="https://www.facebook.com/tr?id=1">',
    b"<img srcset='/a.jpg 1x, //connect.facebook.net/x 2x'>",
    b'<iframe src="https://www.youtube.com/embed/x">',
    b'<iframe srcdoc="&lt;img src=//www.facebook.com/tr&gt;">',
    b'<script type="text/plain" data-consent="analytics" src="/a.js">',
    b"<img data-consent=marketing data-src=/i>",
    b"<div style='background:url(//www.facebook.com/tr)'>",
    b"<base href=https://www.facebook.com/>",
    b"<meta http-equiv=refresh content='0;url=//www.facebook.com/tr'>",
    b"<link rel=stylesheet href=//x.test/a.css>",
    b"<video poster=//www.facebook.com/tr>",
    b"<object data=//www.facebook.com/tr>",
    b"<a ping=//www.facebook.com/tr>",
    b"<img src=https&#x3a;//www.facebook&#46;com/tr>",
    b"<img src=//www.facebook.com/tr alt='<b>'>",
]


@settings(max_examples=250, deadline=None)
@given(
    parts=st.lists(st.sampled_from(BITS), max_size=50),
    chunk=st.sampled_from([None, 4096, 61, 7, 3, 1]),
)
def test_generated_markup_rewrites_identically_on_both_back_ends_in_any_chunking(parts, chunk):
    page = b"".join(parts)
    assert list(d.differences(ENGINES, page, [chunk])) == []


def _pages(count: int) -> list:
    folder = d.corpus_dir()
    if folder is None:
        return [pytest.param(None, marks=pytest.mark.skip(reason="no corpus: set CONSENT_CORPUS or see ../shared"))]
    pages = sorted(folder.glob("*.htm*"))
    step = max(1, len(pages) // count)
    return [pytest.param(p, id=p.name) for p in pages[::step]]


@pytest.mark.parametrize("path", _pages(170))
def test_corpus_pages_rewrite_identically_whole_and_in_4k_chunks(path):
    assert list(d.differences(ENGINES, path.read_bytes(), [None, 4096])) == []


@pytest.mark.parametrize("path", _pages(12))
def test_corpus_pages_rewrite_identically_in_tiny_chunks(path):
    page = path.read_bytes()[:48_000]  # the full pages in every chunking: CI's `python -m tests.engine.differential`
    assert list(d.differences(ENGINES, page, [61, 7, 1])) == []
