"""Page responses through the core's own response state machine (`consent._middleware._Responder`): the same
plan, rewriter and header rules as under ASGI, fed the start message and the body of a Django response.

The responder only awaits the ``send`` it is given, and ours just collects, so each message is driven to the
end synchronously (no event loop, a fraction of a microsecond) under WSGI and ASGI alike. A streamed response
(``StreamingHttpResponse``, ``FileResponse``) stays streamed: its iterator, sync or async, is wrapped and
rewritten one chunk at a time, in bounded memory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Coroutine, Iterator, MutableMapping
from typing import Any

from django.http import HttpResponseBase

from .._core import Core
from .._middleware import _Responder
from .._state import ConsentState
from ._bridge import ResponseHeaders

Message = MutableMapping[str, Any]


def drive(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine that never suspends to its end."""
    try:
        coroutine.send(None)
    except StopIteration:
        return
    coroutine.close()
    raise RuntimeError("consent.django: the response rewriter waited on something; it must not")


class Feed:
    """One response's messages in, the messages the core sends on out."""

    __slots__ = ("responder", "out")

    def __init__(self, core: Core, scope: dict[str, Any], state: ConsentState) -> None:
        out: list[Message] = []

        async def collect(message: Message) -> None:  # no reference back to self: no cycle for the GC
            out.append(message)

        self.out = out
        self.responder = _Responder(core, scope, state, collect)

    def __call__(self, message: Message) -> list[Message]:
        drive(self.responder.send(message))
        sent = self.out[:]
        self.out.clear()
        return sent

    def body(self, chunk: bytes, more: bool = True) -> bytes:
        out = self({"type": "http.response.body", "body": chunk, "more_body": more})
        return b"".join(m.get("body", b"") for m in out if m["type"] == "http.response.body")


def rewrite(core: Core, scope: dict[str, Any], state: ConsentState, response: HttpResponseBase) -> None:
    """Rewrite ``response`` in place as `ConsentMiddleware` would rewrite it under ASGI: cookies of refused
    categories dropped; an HTML page gets the banner (or the reopen link), its trackers gated, its caching
    headers made safe."""
    headers = ResponseHeaders(response)
    feed = Feed(core, scope, state)
    out = feed(headers.start())
    if out:  # passed on at once: not a page we rewrite (its cookies may still have been filtered)
        headers.apply(out[0]["headers"])
        return
    if not response.streaming:
        out = feed({"type": "http.response.body", "body": response.content, "more_body": False})
        headers.apply(out[0]["headers"])
        response.content = b"".join(m.get("body", b"") for m in out[1:])
        return
    # The headers go before the first chunk: an empty one makes the core release them, for a streamed body.
    out = feed({"type": "http.response.body", "body": b"", "more_body": True})
    content: Any = response.streaming_content  # read before it is replaced (FileResponse: its file's blocks)
    if response.is_async:
        response.streaming_content = _rewrite_async(feed, content)
    else:
        response.streaming_content = _rewrite_sync(feed, content)  # FileResponse: no wsgi.file_wrapper now
    headers.apply(out[0]["headers"])


def _rewrite_sync(feed: Feed, chunks: Iterator[bytes]) -> Iterator[bytes]:
    for chunk in chunks:
        if out := feed.body(chunk):
            yield out
    yield feed.body(b"", more=False)


async def _rewrite_async(feed: Feed, chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    async for chunk in chunks:
        if out := feed.body(chunk):
            yield out
    yield feed.body(b"", more=False)
