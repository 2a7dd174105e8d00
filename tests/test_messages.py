"""Fail closed on every ASGI message (issue 10, problem 1).

Servers and frameworks send more than ``http.response.start`` and ``http.response.body``: Starlette's
``TemplateResponse`` sends ``http.response.debug`` before the start when the server offers that extension
(its TestClient does), HTTP/2 servers send ``http.response.trailers``, file responses may come as
``http.response.pathsend`` or ``http.response.zerocopy``, and a server may invent its own. None of them may
switch the gate off: wherever such a message comes, the page still gets its banner, its tracker stays inert,
the app's tracking cookie is still dropped, the message itself still reaches the server in its place, and
nothing raises.
"""

from __future__ import annotations

import os
import re

import pytest

from .test_middleware import all_body, body, run, scripted, start

PAGE = (
    b"<!DOCTYPE html><html><head><title>t</title>"
    b'<script async src="https://www.googletagmanager.com/gtag/js?id=G-1"></script></head>'
    b"<body><p>Hello</p></body></html>"
)
HEADERS = [
    (b"content-type", b"text/html; charset=utf-8"),
    (b"set-cookie", b"_ga=GA1.1.111.222; Path=/; Max-Age=63072000"),
    (b"set-cookie", b"sid=abc; Path=/; HttpOnly"),
]

DEBUG = {"type": "http.response.debug", "info": {"template": "page.html", "context": {}}}
TRAILERS = {"type": "http.response.trailers", "headers": [(b"server-timing", b"app;dur=1")], "more_trailers": False}
UNKNOWN = {"type": "http.response.x-vendor-extension", "data": 1}
EXTRAS = {"debug": DEBUG, "trailers": TRAILERS, "unknown": UNKNOWN}


def gated(sent: list[dict]) -> None:
    """What must hold of every response: one start, the app's tracking cookie dropped (its own kept), the
    banner in the page, the tracker inert."""
    starts = [m for m in sent if m["type"] == "http.response.start"]
    assert len(starts) == 1
    cookies = [v for k, v in starts[0]["headers"] if k.lower() == b"set-cookie"]
    assert cookies == [b"sid=abc; Path=/; HttpOnly"]
    page = all_body(sent)
    assert b'id="consent-banner"' in page
    tags = re.findall(rb"<script[^>]*googletagmanager[^>]*>", page)
    assert len(tags) == 1 and b'type="text/plain"' in tags[0] and b'data-consent="analytics"' in tags[0]


def sequences(extra: dict) -> dict[str, list[dict]]:
    """The extra message before the start, after it, between two chunks and after the last one."""
    first, rest = PAGE[:40], PAGE[40:]
    return {
        "before start": [extra, start(headers=HEADERS), body(PAGE)],
        "after start": [start(headers=HEADERS), extra, body(PAGE)],
        "between chunks": [start(headers=HEADERS), body(first, more=True), extra, body(rest)],
        "after the body": [start(headers=HEADERS), body(PAGE), extra],
    }


CASES = [(name, where) for name in EXTRAS for where in sequences(DEBUG)]


@pytest.mark.parametrize(("name", "where"), CASES, ids=[f"{n}-{w.replace(' ', '-')}" for n, w in CASES])
def test_an_extra_message_anywhere_never_switches_the_gate_off(name, where):
    extra = EXTRAS[name]
    messages = sequences(extra)[where]
    sent = run(scripted(*[dict(m) for m in messages]))
    gated(sent)
    kinds = [m["type"] for m in sent]
    assert kinds.count(extra["type"]) == 1, "the message reaches the server exactly once"
    position = kinds.index(extra["type"])
    if where == "before start":
        assert position == 0  # debug info about the response the server has not seen yet
    else:
        assert position > kinds.index("http.response.start"), "nothing overtakes the start"
    if where == "after the body":
        assert position == len(kinds) - 1


def test_many_extra_messages_of_every_kind_together():
    first, rest = PAGE[:40], PAGE[40:]
    messages = [DEBUG, UNKNOWN, start(headers=HEADERS), UNKNOWN, body(first, more=True), DEBUG, body(rest), TRAILERS]
    sent = run(scripted(*[dict(m) for m in messages]))
    gated(sent)
    assert [m["type"] for m in sent if m["type"] != "http.response.body"] == [
        "http.response.debug",
        "http.response.x-vendor-extension",
        "http.response.start",
        "http.response.x-vendor-extension",
        "http.response.debug",
        "http.response.trailers",
    ]


def test_a_page_sent_with_pathsend_is_gated(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(PAGE)
    sent = run(scripted(DEBUG, start(headers=HEADERS), {"type": "http.response.pathsend", "path": str(path)}))
    gated(sent)
    assert "http.response.pathsend" not in [m["type"] for m in sent]  # read and rewritten, not sent as a file


@pytest.mark.parametrize("offset", [None, 0])
def test_a_page_sent_with_zerocopy_in_pieces_then_a_body_is_gated(tmp_path, offset):
    path = tmp_path / "page.html"
    path.write_bytes(PAGE[:60])
    with open(path, "rb") as f:
        pieces = [
            start(headers=HEADERS),
            {"type": "http.response.zerocopy", "file": f.fileno(), "offset": offset, "more_body": True},
            UNKNOWN,
            body(PAGE[60:]),
        ]
        if offset is None:
            del pieces[1]["offset"]
        sent = run(scripted(*pieces))
    gated(sent)
    assert [m["type"] for m in sent].count("http.response.x-vendor-extension") == 1


def test_zerocopy_honours_offset_and_count(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(b"JUNK" + PAGE + b"TAIL")
    fd = os.open(path, os.O_RDONLY)
    try:
        message = {"type": "http.response.zerocopy", "file": fd, "offset": 4, "count": len(PAGE)}
        sent = run(scripted(start(headers=HEADERS), message))
    finally:
        os.close(fd)
    gated(sent)
    page = all_body(sent)
    assert page.startswith(b"<!DOCTYPE html>") and page.endswith(b"</html>")


def test_templateresponse_under_starlettes_testclient_is_gated(tmp_path):
    """The reproduction from the issue: Jinja2Templates sends ``http.response.debug`` first under TestClient."""
    from starlette.applications import Starlette
    from starlette.routing import Route
    from starlette.templating import Jinja2Templates
    from starlette.testclient import TestClient

    from consent import ConsentConfig, ConsentMiddleware

    (tmp_path / "page.html").write_text(PAGE.decode())
    templates = Jinja2Templates(directory=str(tmp_path))

    def page(request):
        response = templates.TemplateResponse(request, "page.html")
        response.set_cookie("_ga", "GA1.1.111.222")
        return response

    app = ConsentMiddleware(Starlette(routes=[Route("/", page)]), config=ConsentConfig(secret_key="s" * 40))
    with TestClient(app) as client:
        response = client.get("/")
    assert response.status_code == 200
    assert 'id="consent-banner"' in response.text
    assert '<script async src="https://www.googletagmanager.com' not in response.text
    assert "_ga" not in response.cookies
    assert response.template.name == "page.html"  # the debug message still reached the client
