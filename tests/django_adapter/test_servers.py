"""Django under manage.py runserver (WSGI), gunicorn (a WSGI server) and uvicorn (ASGI), with
consent.django.ConsentMiddleware in MIDDLEWARE: the same scenario over real HTTP in each."""

from __future__ import annotations

import pytest

from . import scenario

pytest.importorskip("django", reason="Django is not installed (pip install -e '.[test]')")
httpx = pytest.importorskip("httpx")


def test_banner_choice_state_and_streaming_over_http(server: str) -> None:
    with httpx.Client(base_url=server, follow_redirects=False, timeout=30) as client:
        page = client.get("/articles/harbour")
        assert page.status_code == 200 and page.headers["cache-control"] == "private"
        scenario.new_visitor_page(page.text)
        assert client.get("/api/consent-summary").json()["decided"] is False
        assert client.get(page.text.split('<script src="')[1].split('"')[0]).status_code == 200  # the asset
        decided = client.post(
            "/consent", content=scenario.ACCEPT, headers={"content-type": scenario.FORM, "origin": server}
        )
        scenario.accepted(decided.status_code, decided.headers.get("location"), decided.headers["set-cookie"])
        scenario.decided_page(client.get("/articles/harbour").text)
        assert client.get("/api/consent-summary").json() == {
            "decided": True,
            "categories": {"necessary": True, "analytics": True, "marketing": True},
        }
        cross_site = client.post(
            "/consent",
            content="action=reject",
            headers={"content-type": scenario.FORM, "origin": "https://evil.example"},
        )
        assert cross_site.status_code == 403

    with httpx.Client(base_url=server, timeout=30) as fresh:
        # Not gzip: Django's GZipMiddleware holds a stream back until it has compressed enough of it.
        with fresh.stream("GET", "/stream", headers={"accept-encoding": "identity"}) as response:
            assert "content-length" not in response.headers
            chunks = response.iter_text()
            first = ""
            while "part 1" not in first:
                first += next(chunks)
            scenario.first_part_streamed(first)
            assert fresh.get("/release").text == "released"  # only now does the view produce part 2
            rest = "".join(chunks)
        assert rest.endswith("<p>part 2</p></body></html>")
        # A FileResponse of HTML: rewritten, not handed to the server's wsgi.file_wrapper as it is.
        assert 'id="consent-banner"' in fresh.get("/file", headers={"accept-encoding": "identity"}).text
