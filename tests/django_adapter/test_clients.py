"""django.test.Client (WSGI-style, sync) and django.test.AsyncClient (Django's ASGI handler, async): the same
scenario as over HTTP, in-process, plus a streamed page that stays streamed and the testing helpers."""

from __future__ import annotations

import asyncio

import pytest

from . import scenario

pytest.importorskip("django", reason="Django is not installed (pip install -e '.[test]')")

from django.test import AsyncClient, Client

from consent.testing import clear_consent, consent_cookie, set_consent

from .project import views


def test_django_test_client_banner_choice_and_request_consent() -> None:
    client = Client()
    page = client.get("/articles/harbour")
    assert page.status_code == 200 and page["Cache-Control"] == "private" and "Cookie" in page["Vary"]
    scenario.new_visitor_page(page.content.decode())
    assert client.get("/api/consent-summary").json()["decided"] is False
    decided = client.post("/consent", scenario.ACCEPT, content_type=scenario.FORM)
    scenario.accepted(decided.status_code, decided["Location"], decided.cookies["consent"].OutputString())
    scenario.decided_page(client.get("/articles/harbour").content.decode())
    assert client.get("/api/consent-summary").json()["categories"] == {
        "necessary": True,
        "analytics": True,
        "marketing": True,
    }


def test_django_test_client_gets_a_streamed_page_chunk_by_chunk() -> None:
    response = Client().get("/stream")
    assert response.streaming and not response.has_header("Content-Length")
    chunks = iter(response.streaming_content)
    first = next(chunks).decode()
    assert views.produced == ["part 1"]  # the view has not been asked for more
    scenario.first_part_streamed(first)
    views.RELEASE.set()
    assert b"".join(chunks).decode().endswith("<p>part 2</p></body></html>")


def test_django_async_client_banner_choice_and_request_consent() -> None:
    async def run() -> None:
        client = AsyncClient()
        page = await client.get("/articles/harbour")
        scenario.new_visitor_page(page.content.decode())
        assert (await client.get("/api/consent-summary")).json()["decided"] is False
        decided = await client.post("/consent", scenario.ACCEPT, content_type=scenario.FORM)
        scenario.accepted(decided.status_code, decided["Location"], decided.cookies["consent"].OutputString())
        scenario.decided_page((await client.get("/articles/harbour")).content.decode())
        assert (await client.get("/api/consent-summary")).json()["decided"] is True

    asyncio.run(run())


def test_django_async_client_gets_a_streamed_page_chunk_by_chunk() -> None:
    async def run() -> None:
        response = await AsyncClient().get("/stream")
        assert response.streaming and response.is_async
        chunks = aiter(response.streaming_content)
        first = (await anext(chunks)).decode()
        assert views.produced == ["part 1"]
        scenario.first_part_streamed(first)
        views.RELEASE.set()
        rest = b"".join([chunk async for chunk in chunks]).decode()
        assert rest.endswith("<p>part 2</p></body></html>")

    asyncio.run(run())


def test_consent_testing_gives_django_clients_a_visitors_choice_from_the_settings() -> None:
    client = Client()
    set_consent(client, categories=["analytics"])  # the configuration of settings.CONSENT
    assert client.get("/api/consent-summary").json()["categories"] == {
        "necessary": True,
        "analytics": True,
        "marketing": False,
    }
    text = client.get("/articles/harbour").content.decode()
    assert scenario.LIVE in text and "Advertisement" not in text
    clear_consent(client)
    assert client.get("/api/consent-summary").json()["decided"] is False

    async def run() -> bool:
        other = AsyncClient()
        set_consent(other, categories="all")
        return bool((await other.get("/api/consent-summary")).json()["categories"]["marketing"])

    assert asyncio.run(run()) is True
    with pytest.raises(ValueError, match="'analytic' is not a category"):
        consent_cookie(categories=["analytic"])
