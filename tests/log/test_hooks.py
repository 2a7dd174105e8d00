"""``on_decision`` never holds a visitor (issue 9, item 3): the answer goes first; the hook runs after it with a
timeout, sync hooks in threads of their own, so a hung hook neither hangs ``POST /consent`` nor starves the
app's thread pool. Each test proves the answer came by an event on the ASGI ``send``, never by sleeping."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest

from consent._log.hooks import MAX_RUNNING

pytestmark = pytest.mark.anyio


def scope(method: str = "POST", path: str = "/consent") -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/x-www-form-urlencoded")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


class Exchange:
    """One request through the app: ``answered`` is set when the last body message has been sent."""

    def __init__(self, app, method: str = "POST", path: str = "/consent", body: bytes = b"action=accept") -> None:
        self.messages: list[dict] = []
        self.answered = asyncio.Event()
        self._body = body
        self.task = asyncio.create_task(app(scope(method, path), self._receive, self._send))

    async def _receive(self) -> dict:
        if self._body is not None:
            body, self._body = self._body, None
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # the client stays connected
        raise AssertionError("unreachable")

    async def _send(self, message: dict) -> None:
        self.messages.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            self.answered.set()

    @property
    def status(self) -> int:
        return self.messages[0]["status"]

    @property
    def headers(self) -> dict[bytes, bytes]:
        return dict(self.messages[0]["headers"])


async def test_a_hanging_async_hook_does_not_hold_the_answer(log_app):
    started, release = asyncio.Event(), asyncio.Event()
    seen = []

    async def hook(decision):
        seen.append(decision)
        started.set()
        await release.wait()

    app = log_app(on_decision=hook, on_decision_timeout=30)
    exchange = Exchange(app)
    await asyncio.wait_for(exchange.answered.wait(), 10)
    assert exchange.status == 303 and exchange.headers[b"set-cookie"].startswith(b"consent=1:")
    await asyncio.wait_for(started.wait(), 10)
    assert not exchange.task.done()  # the hook runs after the answer, and is still running
    release.set()
    await asyncio.wait_for(exchange.task, 10)
    assert seen[0].action == "accept" and seen[0].source == "api"


async def test_a_hook_that_never_returns_is_timed_out_and_logged_with_the_consent_id(log_app, caplog):
    async def hook(decision):
        await asyncio.Event().wait()

    app = log_app(on_decision=hook, on_decision_timeout=0.2)
    with caplog.at_level(logging.ERROR, logger="consent"):
        exchange = Exchange(app)
        await asyncio.wait_for(exchange.task, 10)  # ends: the hook was cancelled at its timeout
    consent_id = exchange.headers[b"set-cookie"].split(b":")[3].split(b".")[0].decode()
    assert f"on_decision timed out after 0.2 s for consent id {consent_id}" in caplog.text


async def test_hung_sync_hooks_do_not_starve_the_apps_thread_pool(log_app, caplog):
    """More hung hooks than Starlette's default thread limiter has tokens (40): the app's own sync endpoint
    still answers, because hooks run in their own pool of MAX_RUNNING threads; calls beyond it are skipped."""
    release = threading.Event()
    entered = []

    def hook(decision):
        entered.append(decision.consent_id)
        release.wait(60)

    app = log_app(on_decision=hook, on_decision_timeout=30)
    try:
        with caplog.at_level(logging.ERROR, logger="consent"):
            posts = [Exchange(app) for _ in range(50)]
            await asyncio.wait_for(asyncio.gather(*(p.answered.wait() for p in posts)), 20)
            assert {p.status for p in posts} == {303}  # every choice answered, cookie set
            page = Exchange(app, "GET", "/sync", b"")
            await asyncio.wait_for(page.answered.wait(), 20)
        assert page.status == 200 and page.messages[1]["body"] == b"still here"
        assert len(entered) == MAX_RUNNING
        assert caplog.text.count("on_decision skipped") == 50 - MAX_RUNNING
    finally:
        release.set()
    await asyncio.wait_for(asyncio.gather(*(p.task for p in posts)), 20)


async def test_a_failing_hook_is_logged_and_the_record_is_still_logged(log_app, tmp_path, caplog):
    def hook(decision):
        raise RuntimeError("crm down")

    app = log_app(on_decision=hook)
    with caplog.at_level(logging.ERROR, logger="consent"):
        exchange = Exchange(app)
        await asyncio.wait_for(exchange.task, 10)
    assert exchange.status == 303 and "crm down" in caplog.text
    from consent._log.sqlite import SqliteStore

    store = SqliteStore(tmp_path / "consent-log.db")
    assert [r.action for r in store.records()] == ["accept"]
    store.close()
