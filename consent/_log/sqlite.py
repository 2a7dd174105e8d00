"""The embedded store: one SQLite file in WAL mode, shared by every worker process on the machine."""

from __future__ import annotations

import fcntl
import sqlite3
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .schema import Dialect, SchemaError, migration_text
from .sql import SqlStore

SQLITE = Dialect(
    name="sqlite",
    param="?",
    day="substr(time, 1, 10)",
    time_is_text=True,
    identity="INTEGER PRIMARY KEY AUTOINCREMENT",
)
# How long a writer waits for another process's transaction before giving up (the log then spools).
BUSY_TIMEOUT_MS = 5000


class SqliteStore(SqlStore):
    """``consent_log = "/var/lib/site/consent.db"`` (or ``sqlite:///…``).

    WAL lets the site's worker processes write while the command line reads; ``synchronous=FULL`` makes a
    commit durable on disk (not only against a crash of the process) before the visitor gets an answer.
    Migrations run inside ``BEGIN IMMEDIATE``, so workers starting together apply each version once.

    Writers take turns on an ``flock`` of ``<database>.lock`` before they begin: the kernel hands the lock
    on the moment it is released. Without it a second worker meets SQLite's busy handler, which sleeps
    1, 2, 5, 10… ms between tries (with two workers this took the p99 of ``POST /consent`` from 5 to 26 ms).
    """

    dialect = SQLITE
    migrations = migration_text(SQLITE)

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.path = Path(path)
        self._lock_file: IO[bytes] | None = None

    def describe(self) -> str:
        return f"SQLite {self.path}"

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: no implicit transactions; every write says BEGIN IMMEDIATE itself.
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
        except BaseException:
            conn.close()
            raise
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        wanted = len(self.migrations)
        if conn.execute("PRAGMA user_version").fetchone()[0] == wanted:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > wanted:
                raise SchemaError(
                    f"{self.path}: schema version {version} is newer than this asgi-consent knows ({wanted}); "
                    "upgrade asgi-consent"
                )
            for statements in self.migrations[version:]:
                for statement in statements:
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {wanted}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def schema_version(self) -> int:
        return int(self.connection().execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def _transaction(self, conn: Any) -> Iterator[Any]:
        with self._turn():
            conn.execute("BEGIN IMMEDIATE")
            cur = conn.cursor()
            try:
                yield cur
                conn.execute("COMMIT")
            except BaseException:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:  # pragma: no cover - the failed statement already ended the transaction
                    pass
                raise
            finally:
                cur.close()

    @contextmanager
    def _turn(self) -> Iterator[None]:
        """This process's turn to write (see the class docstring); without the lock file, SQLite's own."""
        if self._lock_file is None:
            try:
                self._lock_file = open(self.path.with_name(self.path.name + ".lock"), "ab")
            except OSError:  # a read-only directory: SQLite's locking alone still works
                yield
                return
            weakref.finalize(self, self._lock_file.close)  # closed with the store, warning-free
        fcntl.flock(self._lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)

    def close(self) -> None:
        super().close()
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None
