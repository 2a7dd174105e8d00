"""Calling the site's ``on_decision`` hook so that it can never hold a visitor.

The hook runs after the response is sent, with a timeout. Sync hooks run in a small thread pool of their own,
not in the app's (a hook stuck on a dead database would otherwise take the threads the app's own sync
endpoints need); at most ``MAX_RUNNING`` calls run at once, and a call that finds them all busy is skipped
and logged instead of queued (a queue behind a hung hook only grows).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .._state import ConsentDecision

logger = logging.getLogger("consent")
MAX_RUNNING = 8


class HookRunner:
    def __init__(self, hook: Callable[..., Any], timeout: float, max_running: int = MAX_RUNNING) -> None:
        self.hook = hook
        self.timeout = timeout
        self.max_running = max_running
        self.is_async = inspect.iscoroutinefunction(hook) or inspect.iscoroutinefunction(type(hook).__call__)
        self._threads = ThreadPoolExecutor(max_workers=max_running, thread_name_prefix="consent-hook")
        self._running = 0
        self._lock = threading.Lock()

    @property
    def running(self) -> int:
        """Calls started and not finished (a hung sync hook counts until its thread returns)."""
        return self._running

    async def __call__(self, decision: ConsentDecision) -> None:
        """Call the hook for ``decision``; never raises, never waits longer than the timeout."""
        with self._lock:
            if self._running >= self.max_running:
                logger.error(
                    "on_decision skipped for consent id %s: %d calls are still running (does the hook hang?)",
                    decision.consent_id,
                    self._running,
                )
                return
            self._running += 1
        try:
            await asyncio.wait_for(self._call(decision), self.timeout)
        except TimeoutError:
            logger.error(
                "on_decision timed out after %.1f s for consent id %s (the visitor's choice stands)",
                self.timeout,
                decision.consent_id,
            )
        except Exception:
            # The visitor's choice stands (it is in their cookie, and in the consent log if there is one);
            # a failing hook is the site's problem, reported loudly, not the visitor's.
            logger.exception("on_decision hook failed for consent id %s", decision.consent_id)

    async def _call(self, decision: ConsentDecision) -> None:
        if self.is_async:
            try:
                await self.hook(decision)
            finally:
                self._done()
            return
        result = await asyncio.wrap_future(self._threads.submit(self._call_sync, decision))
        if inspect.isawaitable(result):  # a sync callable that returned a coroutine after all
            await result

    def _call_sync(self, decision: ConsentDecision) -> Any:
        try:
            return self.hook(decision)
        finally:
            self._done()  # only when the thread is free again, however long the caller waited

    def _done(self) -> None:
        with self._lock:
            self._running -= 1
