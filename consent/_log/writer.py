"""Group commit in front of a store, with the spool behind it.

A decision hands its record to `ConsentLog.commit` and waits, at most ``timeout`` seconds, until it is
durable. One flusher task per event loop takes every record waiting and writes them in one transaction, so
concurrent decisions share a commit. When the store fails or is too slow for the time left, the batch is
appended to the spool instead, and the log keeps spooling (so records stay in order) while a replayer
copies the spool into the store; once the spool is drained, records go to the store again.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import weakref
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from .record import ConsentRecord
from .spool import Spool

logger = logging.getLogger("consent.log")

MAX_BATCH = 500  # records in one transaction
REPLAY_CHUNK = 2000  # records per replay transaction
RETRY_MIN, RETRY_MAX = 0.5, 5.0  # seconds between attempts to reach a store that failed
SPOOL_SHARE = 0.25  # of the timeout, kept for the spool when the store is slow
IDLE = 5.0  # seconds without records before a flusher ends (the next record starts one)


@runtime_checkable
class LogStore(Protocol):
    """Anything with ``async write(records)``: commit a batch of `ConsentRecord` durably, or raise.

    A record may come again after a crash (replayed from the spool): store each ``record_id`` once.
    ``record.text`` holds the wording the visitor saw (``digest``, ``body``); keep each body once.
    """

    async def write(self, records: Sequence[ConsentRecord]) -> None: ...


@dataclass
class _Waiting:
    record: ConsentRecord
    done: asyncio.Future[str]
    deadline: float


@dataclass
class _Lane:
    """The flusher of one event loop (one per process under uvicorn; tests may run several loops)."""

    waiting: list[_Waiting] = field(default_factory=list)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None


class ConsentLog:
    """Makes each record durable before its decision is answered, in the store or else in the spool."""

    def __init__(self, store: LogStore, spool: Spool, timeout: float, name: str = "") -> None:
        self.store = store
        self.spool = spool
        self.timeout = timeout
        self.name = name or type(store).__name__
        self._lanes: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Lane] = weakref.WeakKeyDictionary()
        self._spool_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="consent-log-spool")
        # Set when the store fails; cleared (in the spool thread, with the spool empty) once replay caught up.
        self._spooling = spool.pending()
        self._replay_task: asyncio.Task[None] | None = None
        self._replayed = 0  # bytes of our spool file already replayed into the store
        self.written = {"store": 0, "spool": 0, "lost": 0}

    @property
    def spooling(self) -> bool:
        return self._spooling

    async def commit(self, record: ConsentRecord) -> str:
        """Wait until ``record`` is in the store (``"store"``) or the spool (``"spool"``), at most ``timeout``
        seconds (then ``"pending"``: it is still being written). ``"lost"`` if neither would take it."""
        loop = asyncio.get_running_loop()
        lane = self._lane(loop)
        done: asyncio.Future[str] = loop.create_future()
        lane.waiting.append(_Waiting(record, done, time.monotonic() + self.timeout))
        lane.wake.set()
        try:
            return await asyncio.wait_for(asyncio.shield(done), self.timeout)
        except TimeoutError:
            logger.error(
                "consent log: the record of consent id %s is not durable after %.1f s; answering the visitor "
                "anyway (it is still being written)",
                record.consent_id,
                self.timeout,
            )
            return "pending"

    def _lane(self, loop: asyncio.AbstractEventLoop) -> _Lane:
        lane = self._lanes.get(loop)
        if lane is None:
            lane = self._lanes[loop] = _Lane()
        if lane.task is None or lane.task.done():
            lane.task = loop.create_task(self._flusher(lane), name="consent-log-flusher")
        return lane

    # -- the flusher --------------------------------------------------------------------------------------

    async def _flusher(self, lane: _Lane) -> None:
        while True:
            if not lane.waiting:
                try:
                    await asyncio.wait_for(lane.wake.wait(), RETRY_MIN if self._spooling else IDLE)
                except TimeoutError:
                    if not lane.waiting and not self._spooling:
                        return  # idle: the next commit starts a new flusher
                lane.wake.clear()
            while lane.waiting:
                batch = lane.waiting[:MAX_BATCH]
                del lane.waiting[:MAX_BATCH]
                try:
                    where = await self._flush([w.record for w in batch], min(w.deadline for w in batch))
                except Exception:  # pragma: no cover - _flush handles its errors; never let the flusher die
                    logger.exception("consent log: unexpected error while writing")
                    where = "lost"
                self.written[where] += len(batch)
                for waiting in batch:
                    if not waiting.done.done():
                        waiting.done.set_result(where)
            if self._spooling:
                self._start_replay()

    async def _flush(self, records: list[ConsentRecord], deadline: float) -> str:
        force = False
        if not self._spooling:
            budget = deadline - time.monotonic() - self.timeout * SPOOL_SHARE
            try:
                if budget <= 0:
                    raise TimeoutError
                await asyncio.wait_for(self.store.write(records), budget)
                return "store"
            except Exception as exc:  # the store is down, slow, full or read-only: spool
                self._store_failed(exc, len(records))
                force = True
        loop = asyncio.get_running_loop()
        try:
            left = max(deadline - time.monotonic(), 0.05)
            spooled = await asyncio.wait_for(
                loop.run_in_executor(self._spool_thread, self._append, records, force), left
            )
        except Exception as exc:
            ids = ", ".join(r.consent_id for r in records[:20])
            if isinstance(exc, asyncio.TimeoutError):  # the append goes on, and may still land
                logger.error(
                    "consent log: the spool %s did not confirm %d records in time (a hanging disk?); the "
                    "visitors' choices stand, but these records may be lost: consent ids %s",
                    self.spool.directory,
                    len(records),
                    ids,
                )
            else:
                logger.error(
                    "consent log: %d records could not be written to the spool %s either (%s); the visitors' "
                    "choices stand, but these records are lost: consent ids %s",
                    len(records),
                    self.spool.directory,
                    _reason(exc),
                    ids,
                )
            return "lost"
        if spooled:
            return "spool"
        return await self._flush(records, deadline)  # replay caught up meanwhile: back to the store

    def _append(self, records: Sequence[ConsentRecord], force: bool) -> bool:
        """In the spool thread: append, unless the replayer has just drained the spool (then the store
        takes records again, and this batch goes there, after everything replayed)."""
        if not force and not self._spooling:
            return False
        self._spooling = True
        self.spool.append(records)
        return True

    def _store_failed(self, exc: BaseException, count: int) -> None:
        if not self._spooling:
            logger.error(
                "consent log: the store (%s) failed: %s; choices still take effect, their records go to the "
                "spool %s until it is back",
                self.name,
                _reason(exc),
                self.spool.directory,
            )
        self._spooling = True

    # -- replay -------------------------------------------------------------------------------------------

    def _start_replay(self) -> None:
        """One replayer per process: start it unless one runs (in a loop that is still open)."""
        task = self._replay_task
        if task is not None and not task.done() and not task.get_loop().is_closed():
            return
        self._replay_task = asyncio.get_running_loop().create_task(self._replay(), name="consent-log-replay")

    async def _replay(self) -> None:
        """Copy the spool into the store, in order; retry with a growing pause while the store fails."""
        pause = RETRY_MIN
        while self._spooling:
            try:
                if await self._replay_once():
                    logger.warning("consent log: the store (%s) is back; the spool is replayed", self.name)
                    return
                pause = RETRY_MIN
            except Exception as exc:
                logger.info("consent log: replay into %s failed (%s); retrying", self.name, _reason(exc))
                await asyncio.sleep(pause)
                pause = min(pause * 2, RETRY_MAX)

    async def _replay_once(self) -> bool:
        """One pass: the files of dead processes, then ours from where the last pass stopped. True when the
        spool is empty and the store takes records again."""
        loop = asyncio.get_running_loop()
        run = self._spool_thread
        for orphan in await loop.run_in_executor(run, self.spool.orphans):
            try:
                records = await loop.run_in_executor(run, orphan.records)
                for start in range(0, len(records), REPLAY_CHUNK):
                    await self._replay_write(records[start : start + REPLAY_CHUNK])
                logger.warning("consent log: replayed %d records left by a stopped process", len(records))
                await loop.run_in_executor(run, orphan.done)
            except BaseException:
                await loop.run_in_executor(run, orphan.release)
                raise
        while True:
            offset = self._replayed
            records, end = await loop.run_in_executor(run, self.spool.read_own, offset, REPLAY_CHUNK)
            if records:
                await self._replay_write(records)
            if end != offset:
                self._replayed = end  # everything before ``end`` is in the store
                continue
            if await loop.run_in_executor(run, self._finish, offset):
                return True

    async def _replay_write(self, records: list[ConsentRecord]) -> None:
        await asyncio.wait_for(self.store.write(records), max(self.timeout * 4, 5.0))

    def _finish(self, offset: int) -> bool:
        """In the spool thread: if nothing was appended meanwhile, empty the spool and stop spooling."""
        if self.spool.reset_if(offset):
            self._replayed = 0
            self._spooling = False
            return True
        return False

    def replay_now(self) -> int:
        """Replay what dead processes left in the spool, from this thread (the command line, and start-up):
        needs a store with ``write_blocking``. Returns the number of records replayed."""
        write = getattr(self.store, "write_blocking", None)
        if write is None:
            raise TypeError("this store replays only from the running app")
        total = 0
        for orphan in self.spool.orphans():
            try:
                records = orphan.records()
                for start in range(0, len(records), REPLAY_CHUNK):
                    write(records[start : start + REPLAY_CHUNK])
                total += len(records)
            except BaseException:
                orphan.release()
                raise
            orphan.done()
        return total


def _reason(exc: BaseException) -> str:
    if isinstance(exc, asyncio.TimeoutError):
        return "no answer in time"
    return f"{type(exc).__name__}: {exc}".strip().rstrip(":")


def start_replay_thread(log: ConsentLog) -> threading.Thread | None:
    """At start-up, replay what processes that died left in the spool, in a background thread (the store
    may be down: it retries with a growing pause). Only for stores that can write without an event loop."""
    if getattr(log.store, "write_blocking", None) is None or not log.spool.pending():
        return None

    def run() -> None:
        pause = RETRY_MIN
        while True:
            try:
                count = log.replay_now()
                if count:
                    logger.warning("consent log: replayed %d records left by a stopped process", count)
                return
            except Exception as exc:
                logger.info("consent log: start-up replay failed (%s); retrying", _reason(exc))
                time.sleep(pause)
                pause = min(pause * 2, RETRY_MAX)

    thread = threading.Thread(target=run, name="consent-log-startup-replay", daemon=True)
    thread.start()
    return thread
