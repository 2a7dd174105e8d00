"""Group commit, the spool when the store is down or slow, and replay in order without duplicates."""

from __future__ import annotations

import asyncio
import logging
import os

import pytest

from consent._log.spool import Spool
from consent._log.sqlite import SqliteStore
from consent._log.writer import ConsentLog, start_replay_thread

from .test_store import record

pytestmark = pytest.mark.anyio


class MemoryStore:
    """A store in a dict keyed by record id (as the protocol asks), that can be made to fail or to hang."""

    def __init__(self) -> None:
        self.kept: dict[str, object] = {}
        self.order: list[str] = []  # consent ids in the order they were stored
        self.batches: list[int] = []
        self.down = False
        self.gate: asyncio.Event | None = None  # while set to an unset event, writes hang
        self.writing = asyncio.Event()

    async def write(self, records):
        self.batches.append(len(records))
        self.writing.set()
        if self.gate is not None:
            await self.gate.wait()
        if self.down:
            raise ConnectionError("connection refused")
        for r in records:
            if r.record_id not in self.kept:
                self.kept[r.record_id] = r
                self.order.append(r.consent_id)


async def until(condition, seconds: float = 20.0) -> None:
    """Wait for ``condition()`` to hold (an event we cannot await directly), failing after ``seconds``."""

    async def poll():
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), seconds)


async def test_concurrent_decisions_share_one_transaction(tmp_path):
    store = MemoryStore()
    store.gate = asyncio.Event()
    log = ConsentLog(store, Spool(tmp_path / "spool"), timeout=10.0)
    first = asyncio.create_task(log.commit(record("first")))
    await store.writing.wait()  # the first batch is in its transaction…
    rest = [asyncio.create_task(log.commit(record(f"v{i}"))) for i in range(50)]
    await asyncio.sleep(0)  # … while fifty more decisions arrive
    store.gate.set()
    assert await first == "store"
    assert set(await asyncio.gather(*rest)) == {"store"}
    assert store.batches == [1, 50]
    assert len(store.kept) == 51


async def test_a_hanging_store_sends_the_record_to_the_spool_within_the_timeout(tmp_path, caplog):
    store = MemoryStore()
    store.gate = asyncio.Event()  # never set: the database does not answer
    spool = Spool(tmp_path / "spool")
    log = ConsentLog(store, spool, timeout=0.4)
    with caplog.at_level(logging.ERROR, logger="consent.log"):
        assert await log.commit(record("slow")) == "spool"
    assert [r.consent_id for r in spool.read_own(0, 10)[0]] == ["slow"]
    assert "failed: no answer in time" in caplog.text and str(spool.directory) in caplog.text
    assert log.spooling
    assert await log.commit(record("next")) == "spool"  # the store is not asked again until replay works


async def test_spooled_records_reach_the_store_in_order_without_duplicates(tmp_path, caplog):
    store = MemoryStore()
    store.down = True
    spool = Spool(tmp_path / "spool")
    log = ConsentLog(store, spool, timeout=2.0)
    with caplog.at_level(logging.WARNING, logger="consent.log"):
        outcomes = [await log.commit(record(f"down{i}")) for i in range(5)]
        assert outcomes == ["spool"] * 5
        store.kept[spool.read_own(0, 1)[0][0].record_id] = "already there"  # a write that landed after all
        store.down = False
        await until(lambda: not log.spooling)
    assert store.order == ["down1", "down2", "down3", "down4"]  # down0 was there: not stored twice
    assert spool.size() == 0
    assert "is back" in caplog.text
    assert await log.commit(record("after")) == "store"
    assert store.order[-1] == "after"


async def test_records_arriving_during_replay_keep_their_order(tmp_path):
    store = MemoryStore()
    store.down = True
    log = ConsentLog(store, Spool(tmp_path / "spool"), timeout=2.0)
    for i in range(3):
        await log.commit(record(f"a{i}"))
    store.down = False
    more = [asyncio.create_task(log.commit(record(f"b{i}"))) for i in range(20)]
    await asyncio.gather(*more)
    await until(lambda: not log.spooling)
    assert store.order == [f"a{i}" for i in range(3)] + [f"b{i}" for i in range(20)]


async def test_when_the_spool_fails_too_the_loss_is_logged_with_the_consent_ids(tmp_path, caplog):
    store = MemoryStore()
    store.down = True
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    log = ConsentLog(store, Spool(blocker / "spool"), timeout=1.0)
    with caplog.at_level(logging.ERROR, logger="consent.log"):
        assert await log.commit(record("unlucky")) == "lost"
    assert "choices stand, but these records are lost: consent ids unlucky" in caplog.text


async def test_a_record_not_durable_in_time_is_answered_and_still_written(tmp_path, caplog, monkeypatch):
    store = MemoryStore()
    store.gate = asyncio.Event()
    spool = Spool(tmp_path / "spool")
    log = ConsentLog(store, spool, timeout=0.3)
    hold = asyncio.Event()
    append = spool.append

    def slow_append(records):  # the spool's disk hangs as well
        asyncio.run_coroutine_threadsafe(hold.wait(), loop).result()
        append(records)

    loop = asyncio.get_running_loop()
    monkeypatch.setattr(spool, "append", slow_append)
    with caplog.at_level(logging.ERROR, logger="consent.log"):
        assert await log.commit(record("late")) == "pending"
    assert "not durable after 0.3 s; answering the visitor anyway" in caplog.text
    hold.set()
    await until(lambda: spool.size() > 0)  # the append went on, and landed
    assert [r.consent_id for r in spool.read_own(0, 10)[0]] == ["late"]


def test_records_left_by_a_killed_process_are_replayed_at_start_up(tmp_path):
    directory = tmp_path / "spool"
    dead = Spool(directory)
    dead.append([record("k1"), record("k2", 1)])
    dead._file.close()  # as if its process had died: the lock goes with it
    dead._file = None
    store = SqliteStore(tmp_path / "log.db")
    log = ConsentLog(store, Spool(directory), timeout=1.0)
    thread = start_replay_thread(log)
    assert thread is not None
    thread.join(20)
    assert [r.consent_id for r in store.records()] == ["k1", "k2"]
    assert [p for p in os.listdir(directory) if p.endswith(".jsonl")] == []
    store.close()
