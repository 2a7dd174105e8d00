"""What the SQLite and PostgreSQL stores share: running the migrations (``schema``), writing a batch in one
transaction, and reading for the command line. Each store supplies its connection and its dialect."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from .record import ConsentRecord, ShownText, format_time, parse_time
from .schema import COLUMNS, Dialect

logger = logging.getLogger("consent.log")


def _close_quietly(conn: Any) -> None:
    try:
        conn.close()
    except Exception:  # pragma: no cover - a connection already broken
        pass


class SqlStore:
    """A store on a DB-API connection. Writes run in one thread of the store's own (never the app's thread
    pool), so a slow database holds no thread the app needs; the command line calls the same code directly."""

    dialect: Dialect
    #: Schema versions, oldest first (tests add versions to check the upgrade path).
    migrations: Sequence[Sequence[str]]

    def __init__(self) -> None:
        self._conn: Any = None
        self._known_texts: set[str] = set()  # digests this connection has seen stored (a few hundred at most)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="consent-log-store")

    # -- to be supplied by each store -------------------------------------------------------------------

    def _connect(self) -> Any:
        raise NotImplementedError

    def _migrate(self, conn: Any) -> None:
        raise NotImplementedError

    @contextmanager
    def _transaction(self, conn: Any) -> Iterator[Any]:
        raise NotImplementedError
        yield  # pragma: no cover

    def describe(self) -> str:
        raise NotImplementedError

    # -- connection ---------------------------------------------------------------------------------------

    def connection(self) -> Any:
        """The open connection, (re)connecting and migrating the schema first when needed."""
        if self._conn is None:
            conn = self._connect()
            try:
                self._migrate(conn)
            except BaseException:
                conn.close()
                raise
            self._conn = conn
            weakref.finalize(self, _close_quietly, conn)  # a store dropped without close() closes its connection
        return self._conn

    def close(self) -> None:
        conn, self._conn = self._conn, None
        self._known_texts.clear()
        if conn is not None:
            try:
                conn.close()
            except Exception:  # pragma: no cover - closing a broken connection
                pass

    def schema_version(self) -> int:
        raise NotImplementedError

    # -- writing ------------------------------------------------------------------------------------------

    async def write(self, records: Sequence[ConsentRecord]) -> None:
        """Commit ``records`` (and the texts they reference) in one transaction; a record already stored
        (same id) is skipped."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._thread, self.write_sync, records)

    def write_blocking(self, records: Sequence[ConsentRecord]) -> None:
        """`write` for code without an event loop (start-up replay): the same thread, so writes never overlap."""
        self._thread.submit(self.write_sync, records).result()

    def write_sync(self, records: Sequence[ConsentRecord]) -> None:
        """`write`, in the calling thread (the command line, which has the store to itself)."""
        try:
            conn = self.connection()
            with self._transaction(conn) as cur:
                self._insert(cur, records)
        except Exception:
            self.close()  # a read-only file, a restarted server: the next attempt starts afresh
            raise

    def _insert(self, cur: Any, records: Sequence[ConsentRecord]) -> None:
        p = self.dialect.param
        texts: dict[str, ShownText] = {}
        for r in records:
            if r.text is not None and r.text.body and r.text.digest not in self._known_texts:
                texts[r.text.digest] = r.text
        if texts:
            first_seen = self._time(min(r.time for r in records))
            cur.executemany(
                f"INSERT INTO consent_texts (digest, body, first_seen) VALUES ({p}, {p}, {p}) "
                "ON CONFLICT (digest) DO NOTHING",
                [(t.digest, t.body, first_seen) for t in texts.values()],
            )
        placeholders = ", ".join([p] * len(COLUMNS))
        cur.executemany(
            f"INSERT INTO consent_records ({', '.join(COLUMNS)}) VALUES ({placeholders}) ON CONFLICT (id) DO NOTHING",
            [self._row(r) for r in records],
        )
        self._known_texts.update(texts)  # only once the transaction is about to commit

    def _row(self, r: ConsentRecord) -> tuple[Any, ...]:
        return (
            r.record_id,
            r.consent_id,
            self._time(r.time),
            r.action,
            " ".join(r.granted),
            " ".join(r.refused),
            r.policy_version,
            r.mode,
            r.region,
            r.locale,
            r.gpc,
            r.dnt,
            r.source,
            r.path,
            r.text_digest,
            r.user_agent,
            r.ip,
        )

    def _time(self, value: datetime) -> Any:
        return format_time(value) if self.dialect.time_is_text else value

    # -- reading (the command line) -----------------------------------------------------------------------

    def _where(self, since: datetime | None, until: datetime | None) -> tuple[str, list[Any]]:
        p = self.dialect.param
        clauses, params = [], []
        if since is not None:
            clauses.append(f"time >= {p}")
            params.append(self._time(since))
        if until is not None:
            clauses.append(f"time < {p}")
            params.append(self._time(until))
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def count(self, since: datetime | None = None, until: datetime | None = None) -> int:
        where, params = self._where(since, until)
        with self._read() as cur:
            cur.execute(f"SELECT count(*) FROM consent_records{where}", params)
            return int(cur.fetchone()[0])

    def records(
        self, since: datetime | None = None, until: datetime | None = None, *, consent_id: str | None = None
    ) -> Iterator[ConsentRecord]:
        """Records in time order (then in the order they were stored), streamed."""
        where, params = self._where(since, until)
        if consent_id is not None:
            where += (" AND " if where else " WHERE ") + f"consent_id = {self.dialect.param}"
            params.append(consent_id)
        sql = f"SELECT {', '.join(COLUMNS)} FROM consent_records{where} ORDER BY time, seq"
        with self._stream(sql, params) as rows:
            for row in rows:
                yield self._record(row)

    def _record(self, row: Sequence[Any]) -> ConsentRecord:
        data = dict(zip(COLUMNS, row, strict=True))
        data["record_id"] = data.pop("id")
        data["time"] = parse_time(data["time"])
        data["granted"] = data["granted"].split()
        data["refused"] = data["refused"].split()
        return ConsentRecord.from_json(data)

    def texts(self, digests: Sequence[str]) -> dict[str, ShownText]:
        found: dict[str, ShownText] = {}
        p = self.dialect.param
        with self._read() as cur:
            for digest in dict.fromkeys(digests):
                cur.execute(f"SELECT body FROM consent_texts WHERE digest = {p}", (digest,))
                row = cur.fetchone()
                if row is not None:
                    found[digest] = ShownText(digest, row[0])
        return found

    def daily(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[tuple[str, str, str, str, int]]:
        """``(day, action, locale, region, count)`` rows, by UTC day."""
        where, params = self._where(since, until)
        sql = (
            f"SELECT {self.dialect.day} AS day, action, locale, coalesce(region, ''), count(*) "
            f"FROM consent_records{where} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
        )
        with self._read() as cur:
            cur.execute(sql, params)
            return [(str(d), str(a), str(lo), str(rg), int(n)) for d, a, lo, rg, n in cur.fetchall()]

    def purge(self, before: datetime, chunk: int = 5000) -> Iterator[int]:
        """Delete records older than ``before`` a chunk at a time (short transactions: the site keeps
        writing meanwhile), yielding the running count; then the texts no record refers to any more."""
        p = self.dialect.param
        deleted = 0
        while True:
            with self._transaction(self.connection()) as cur:
                cur.execute(
                    f"DELETE FROM consent_records WHERE seq IN "
                    f"(SELECT seq FROM consent_records WHERE time < {p} ORDER BY seq LIMIT {int(chunk)})",
                    (self._time(before),),
                )
                n = cur.rowcount
            deleted += n
            yield deleted
            if n < chunk:
                break
        with self._transaction(self.connection()) as cur:
            cur.execute(
                "DELETE FROM consent_texts WHERE NOT EXISTS "
                "(SELECT 1 FROM consent_records r WHERE r.text_digest = consent_texts.digest)"
            )

    @contextmanager
    def _read(self) -> Iterator[Any]:
        cur = self.connection().cursor()
        try:
            yield cur
        finally:
            cur.close()

    @contextmanager
    def _stream(self, sql: str, params: Sequence[Any]) -> Iterator[Any]:
        with self._read() as cur:
            cur.execute(sql, params)
            yield cur
