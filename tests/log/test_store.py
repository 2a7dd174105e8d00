"""The same suite against both stores: SQLite in a temporary directory, PostgreSQL on a real server."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from consent import ConsentRecord
from consent._log.record import ShownText, new_record_id
from consent._log.schema import SchemaError

T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
BANNER = ShownText.of({"source": "banner", "locale": "de", "mode": "opt-in", "lines": ["Wir verwenden Cookies"]})
SETTINGS = ShownText.of({"source": "settings", "locale": "en", "mode": "opt-in", "lines": ["Cookie settings"]})


def record(consent_id: str = "visitor-1", minutes: int = 0, action: str = "accept", **extra) -> ConsentRecord:
    granted = {"accept": {"analytics", "marketing"}, "save": {"analytics"}}.get(action, set())
    options = {
        "consent_id": consent_id,
        "time": T0 + timedelta(minutes=minutes),
        "action": action,
        "categories": {"necessary": True, **{k: k in granted for k in ("analytics", "marketing")}},
        "policy_version": "2026-03",
        "mode": "opt-in",
        "record_id": new_record_id(),
        "locale": "de",
        "source": "banner",
        "path": "/politik/artikel",
        "text": BANNER,
        "user_agent": "Firefox",
        **extra,
    }
    return ConsentRecord(**options)


def test_a_written_record_reads_back_field_for_field(store_url, open_store):
    store = open_store(store_url)
    written = record(region="DE", gpc=True, dnt=True, ip="203.0.113.0/24", time=T0 + timedelta(microseconds=123456))
    store.write_sync([written])
    [read] = list(open_store(store_url).records())
    assert read.to_json() == written.to_json()
    assert read.categories == {"necessary": True, "analytics": True, "marketing": True}
    assert read.time == written.time and read.time.tzinfo is not None


def test_a_record_written_twice_is_stored_once(store_url, open_store):
    store = open_store(store_url)
    first, second = record(minutes=1), record("visitor-2", minutes=2)
    store.write_sync([first])
    store.write_sync([first, second])  # a replay after a crash sends the first again
    store.write_sync([second])
    assert [r.record_id for r in store.records()] == [first.record_id, second.record_id]
    assert store.count() == 2


def test_each_text_is_stored_once_and_read_by_digest(store_url, open_store):
    store = open_store(store_url)
    store.write_sync([record(str(i), i) for i in range(50)] + [record("s", 60, "save", text=SETTINGS)])
    fresh = open_store(store_url)  # a new connection does not remember what it wrote
    fresh.write_sync([record("late", 70)])
    texts = fresh.texts([BANNER.digest, SETTINGS.digest, "0" * 64])
    assert texts == {BANNER.digest: BANNER, SETTINGS.digest: SETTINGS}
    with fresh._read() as cur:
        cur.execute("SELECT count(*) FROM consent_texts")
        assert cur.fetchone()[0] == 2


def test_history_of_one_visitor_in_time_order(store_url, open_store):
    store = open_store(store_url)
    store.write_sync([record("a", 5, "reject"), record("b", 1), record("a", 1), record("a", 9, "withdraw")])
    history = list(store.records(consent_id="a"))
    assert [(r.consent_id, r.action) for r in history] == [("a", "accept"), ("a", "reject"), ("a", "withdraw")]


def test_export_filters_by_time_half_open(store_url, open_store):
    store = open_store(store_url)
    store.write_sync([record(str(m), m) for m in range(10)])
    since, until = T0 + timedelta(minutes=3), T0 + timedelta(minutes=7)
    assert [r.consent_id for r in store.records(since, until)] == ["3", "4", "5", "6"]
    assert store.count(since, until) == 4 and store.count() == 10


def test_daily_counts_by_action_locale_and_region(store_url, open_store):
    store = open_store(store_url)
    day = 24 * 60
    store.write_sync([record("a", 0), record("b", 1, "reject", region="FR", locale="fr"), record("c", day + 1, "save")])
    assert store.daily() == [
        ("2026-03-01", "accept", "de", "", 1),
        ("2026-03-01", "reject", "fr", "FR", 1),
        ("2026-03-02", "save", "de", "", 1),
    ]
    assert store.daily(T0 + timedelta(days=1)) == [("2026-03-02", "save", "de", "", 1)]


def test_purge_deletes_old_records_in_chunks_and_their_unused_texts(store_url, open_store):
    store = open_store(store_url)
    old = [record(f"old{i}", i, text=SETTINGS) for i in range(7)]
    store.write_sync(old + [record("new", 10_000)])
    counts = list(store.purge(T0 + timedelta(minutes=100), chunk=3))
    assert counts == [3, 6, 7]
    assert [r.consent_id for r in store.records()] == ["new"]
    assert store.texts([SETTINGS.digest, BANNER.digest]) == {BANNER.digest: BANNER}  # the new record's text stays


def test_schema_is_created_at_the_current_version(store_url, open_store):
    store = open_store(store_url)
    assert store.schema_version() == len(store.migrations) == 1


def test_an_older_schema_is_migrated_once_even_by_servers_starting_together(store_url, open_store):
    """Version 2 here is a test migration: the path every future migration takes."""
    store = open_store(store_url)
    store.write_sync([record()])  # a log at version 1, with a record in it
    store.close()
    extra = [*store.migrations, ["CREATE TABLE consent_test_v2 (x INTEGER)"]]
    stores = []
    for _ in range(4):
        s = open_store(store_url)
        s.migrations = extra
        stores.append(s)
    barrier = threading.Barrier(len(stores))
    errors = []

    def start(s):
        barrier.wait()
        try:
            s.connection()
        except Exception as exc:  # pragma: no cover - the failure this test looks for
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert [s.schema_version() for s in stores] == [2, 2, 2, 2]
    assert stores[0].count() == 1  # the data survived
    with stores[0]._read() as cur:
        cur.execute("SELECT count(*) FROM consent_test_v2")
        assert cur.fetchone()[0] == 0


def test_a_schema_newer_than_the_library_is_refused(store_url, open_store):
    newer = open_store(store_url)
    newer.migrations = [*newer.migrations, ["CREATE TABLE consent_test_v2 (x INTEGER)"]]
    newer.connection()
    with pytest.raises(SchemaError, match="schema version 2 is newer than this asgi-consent knows"):
        open_store(store_url).connection()


def test_a_failed_write_leaves_nothing_and_the_next_one_reconnects(store_url, open_store):
    store = open_store(store_url)
    bad = record(consent_id=None)  # NOT NULL: the whole batch fails
    with pytest.raises(Exception):  # noqa: B017 - sqlite3.IntegrityError or psycopg's NotNullViolation
        store.write_sync([record("kept-out"), bad])
    assert store.count() == 0
    store.write_sync([record("ok")])
    assert [r.consent_id for r in store.records()] == ["ok"]


@pytest.mark.anyio
async def test_async_write_runs_in_the_store_thread_not_the_loop(store_url, open_store):
    store = open_store(store_url)
    seen = []
    original = store.write_sync
    store.write_sync = lambda records: (seen.append(threading.current_thread().name), original(records))
    await store.write([record()])
    assert seen and seen[0].startswith("consent-log-store")
    assert store.count() == 1
