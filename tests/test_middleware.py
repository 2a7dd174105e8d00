"""The ASGI shell, message by message: which responses are rewritten, and how their headers change.

The TestClient hides things that matter here (it drops HEAD bodies, merges chunks), so these tests drive
the middleware with a scripted app and record every message it sends.
"""

from __future__ import annotations

import gzip

import anyio
import pytest

from consent import ConsentConfig, ConsentMiddleware

SECRET = "s" * 40
DOC = b"<!DOCTYPE html><html><head><title>t</title></head><body><p>Hello</p></body></html>"


def scripted(*messages, check=None):
    """An ASGI app that records its scope and sends exactly ``messages``."""

    async def app(scope, receive, send):
        if check is not None:
            check(scope)
        for message in messages:
            await send(message)

    return app


def start(status=200, headers=((b"content-type", b"text/html; charset=utf-8"),)):
    return {"type": "http.response.start", "status": status, "headers": [tuple(h) for h in headers]}


def body(data=b"", more=False, omit_keys=False):
    if omit_keys:
        return {"type": "http.response.body"}
    return {"type": "http.response.body", "body": data, "more_body": more}


def run(app, *, method="GET", path="/", headers=(), scope_type="http", **config):
    mw = ConsentMiddleware(app, config=ConsentConfig(secret_key=SECRET, **config))
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": scope_type,
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), *headers],
        "server": ("testserver", 80),
    }
    anyio.run(mw, scope, receive, send)
    return sent


def hdrs(message):
    return {k.decode().lower(): v.decode() for k, v in message["headers"]}


def all_body(sent):
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_full_document_gets_the_banner_and_an_exact_content_length():
    sent = run(
        scripted(start(headers=[(b"content-type", b"text/html"), (b"content-length", b"%d" % len(DOC))]), body(DOC))
    )
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    out = all_body(sent)
    assert b'id="consent-banner"' in out
    assert out.index(b'id="consent-banner"') > out.index(b"<body>")
    assert hdrs(sent[0])["content-length"] == str(len(out))


def test_banner_html_is_small():
    out = all_body(run(scripted(start(), body(DOC))))
    banner = out[out.index(b"<link") : out.index(b"<p>Hello")]
    assert len(gzip.compress(banner, 9)) < 2048


def test_start_message_is_sent_exactly_once_with_streamed_chunks():
    chunks = [DOC[i : i + 7] for i in range(0, len(DOC), 7)]
    messages = [body(c, more=True) for c in chunks] + [body(b"")]
    sent = run(
        scripted(start(headers=[(b"content-type", b"text/html"), (b"content-length", b"%d" % len(DOC))]), *messages)
    )
    starts = [m for m in sent if m["type"] == "http.response.start"]
    assert len(starts) == 1
    assert "content-length" not in hdrs(starts[0])  # can't be known while streaming
    assert all_body(sent) == all_body(run(scripted(start(), body(DOC))))
    assert sent[-1]["more_body"] is False


def test_one_byte_chunks_give_the_same_page():
    messages = [body(DOC[i : i + 1], more=True) for i in range(len(DOC))] + [body(b"")]
    assert all_body(run(scripted(start(), *messages))) == all_body(run(scripted(start(), body(DOC))))


def test_body_keys_may_be_omitted():
    # ASGI makes "body" and "more_body" optional (Starlette PR #935).
    sent = run(scripted(start(), body(DOC, more=True), body(omit_keys=True)))
    assert b'id="consent-banner"' in all_body(sent)


def test_consent_dependent_html_is_private_and_varies_on_cookie_merging_app_headers():
    headers = [
        (b"Content-Type", b"text/html"),  # not lower-cased by some apps: still found
        (b"Cache-Control", b"public, max-age=60, s-maxage=600"),
        (b"Vary", b"Accept-Encoding"),
        (b"ETag", b'"abc"'),
        (b"Last-Modified", b"Wed, 21 Oct 2015 07:28:00 GMT"),
    ]
    sent = run(scripted(start(headers=headers), body(DOC)), cache_mode="private")
    h = hdrs(sent[0])
    assert h["cache-control"] == "private, max-age=60"
    assert h["vary"] == "Accept-Encoding, Cookie, Accept-Language"
    assert "etag" not in h and "last-modified" not in h


def test_vary_cookie_is_not_duplicated():
    sent = run(scripted(start(headers=[(b"content-type", b"text/html"), (b"vary", b"cookie")]), body(DOC)))
    assert hdrs(sent[0])["vary"] == "cookie, Accept-Language"


@pytest.mark.parametrize(
    "content_type", [b"application/json", b"text/plain", b"text/event-stream", b"image/png", b"text/css", None]
)
def test_non_html_passes_through_byte_for_byte(content_type):
    headers = [(b"content-type", content_type)] if content_type else []
    headers.append((b"content-length", b"%d" % len(DOC)))
    messages = (start(headers=headers), body(DOC))
    assert run(scripted(*messages)) == [start(headers=headers), body(DOC)]


def test_fragments_are_not_changed_and_not_marked_private():
    fragment = b"<div class=partial><p>htmx swap</p></div>"
    headers = [(b"content-type", b"text/html"), (b"content-length", b"%d" % len(fragment)), (b"etag", b'"x"')]
    sent = run(scripted(start(headers=headers), body(fragment)))
    assert all_body(sent) == fragment
    assert hdrs(sent[0]) == {"content-type": "text/html", "content-length": str(len(fragment)), "etag": '"x"'}


@pytest.mark.parametrize("status", [204, 304, 206])
def test_bodiless_and_partial_responses_pass_through(status):
    messages = (start(status=status, headers=[(b"content-type", b"text/html")]), body(b""))
    assert run(scripted(*messages)) == list(messages)


def test_head_request_gets_headers_like_get_and_no_body():
    headers = [(b"content-type", b"text/html"), (b"content-length", b"%d" % len(DOC)), (b"etag", b'"x"')]
    sent = run(scripted(start(headers=headers), body(b"")), method="HEAD")
    h = hdrs(sent[0])
    assert "content-length" not in h and "etag" not in h
    assert h["vary"] == "Cookie, Accept-Language" and h["cache-control"] == "private"  # as a streamed GET
    assert all_body(sent) == b""


def test_head_request_never_gains_a_body_even_if_the_app_sends_one():
    # Starlette's Response sends the full body on HEAD and lets the server drop it: we don't rewrite it.
    sent = run(scripted(start(), body(DOC)), method="HEAD")
    assert all_body(sent) == DOC


@pytest.mark.parametrize("encoding", [b"gzip", b"br", b"zstd", b"x-unknown"])
def test_encoded_bodies_pass_through_untouched(encoding):
    data = gzip.compress(DOC)
    headers = [(b"content-type", b"text/html"), (b"content-encoding", encoding)]
    assert run(scripted(start(headers=headers), body(data))) == [start(headers=headers), body(data)]


def test_latin1_page_gets_the_banner_as_ascii_safe_markup():
    page = "<html><body><p>Caf\xe9</p></body></html>".encode("latin-1")
    headers = [(b"content-type", b"text/html; charset=ISO-8859-1")]
    out = all_body(run(scripted(start(headers=headers), body(page)), cookie_name="consent"))
    assert "<p>Caf\xe9</p>".encode("latin-1") in out
    out.decode("latin-1")  # still valid in its own charset
    assert b'id="consent-banner"' in out


def test_non_ascii_compatible_charsets_are_left_alone():
    page = DOC.decode().encode("utf-16")
    headers = [(b"content-type", b"text/html; charset=utf-16")]
    assert all_body(run(scripted(start(headers=headers), body(page)))) == page


def test_csp_nonce_is_put_on_the_injected_script_and_stylesheet():
    headers = [
        (b"content-type", b"text/html"),
        (b"content-security-policy", b"default-src 'self'; script-src 'self' 'nonce-r4nd0m'; style-src 'self'"),
    ]
    out = all_body(run(scripted(start(headers=headers), body(DOC))))
    assert b'defer nonce="r4nd0m"></script>' in out
    assert b"style=" not in out and b"<style" not in out  # nothing inline: a strict CSP needs no unsafe-inline


def test_html_sent_as_a_file_is_rewritten_like_any_body(tmp_path):
    # Fail closed: pathsend (Starlette's FileResponse under a server that offers it) is read and rewritten.
    page = tmp_path / "page.html"
    page.write_bytes(DOC)
    headers = [(b"content-type", b"text/html"), (b"content-length", b"%d" % len(DOC))]
    sent = run(scripted(start(headers=headers), {"type": "http.response.pathsend", "path": str(page)}))
    assert [m["type"] for m in sent][0] == "http.response.start" and "content-length" not in hdrs(sent[0])
    assert {m["type"] for m in sent[1:]} == {"http.response.body"}
    assert b'id="consent-banner"' in all_body(sent)


def test_trailers_follow_the_rewritten_body():
    messages = (start(), body(DOC), {"type": "http.response.trailers", "headers": [], "more_trailers": False})
    sent = run(scripted(*messages))
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body", "http.response.trailers"]


def test_excluded_paths_are_not_rewritten_but_see_the_consent_state():
    seen = []
    app = scripted(start(), body(DOC), check=lambda scope: seen.append(scope["consent"]))
    assert all_body(run(app, path="/admin/page", exclude_paths=["/admin"])) == DOC
    assert seen and seen[0].decided is False


def test_scope_carries_an_undecided_state_for_a_new_visitor():
    seen = []
    run(scripted(start(), body(DOC), check=lambda scope: seen.append(scope["consent"])))
    state = seen[0]
    assert state.decided is False
    assert state.categories == {"necessary": True, "analytics": False, "marketing": False}
    assert state.allows("necessary") and not state.allows("analytics")


def test_opt_out_mode_grants_by_default_until_the_visitor_opts_out():
    seen = []
    run(scripted(start(), body(DOC), check=lambda scope: seen.append(scope["consent"])), mode="opt-out")
    assert seen[0].categories == {"necessary": True, "analytics": True, "marketing": True}


def test_websocket_and_lifespan_scopes_pass_through():
    calls = []

    async def app(scope, receive, send):
        calls.append(scope["type"])
        await send({"type": f"{scope['type']}.marker"})

    for scope_type in ("websocket", "lifespan"):
        sent = run(app, scope_type=scope_type)
        assert sent == [{"type": f"{scope_type}.marker"}]
    assert calls == ["websocket", "lifespan"]


def test_middleware_refuses_a_missing_config():
    with pytest.raises(TypeError):
        ConsentMiddleware(scripted(), config=None)  # type: ignore[arg-type]
