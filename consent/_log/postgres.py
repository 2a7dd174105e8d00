"""The shared store for sites on many servers: PostgreSQL through psycopg 3 (``asgi-consent[postgres]``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from .schema import Dialect, SchemaError, migration_text
from .sql import SqlStore

POSTGRES = Dialect(
    name="postgres",
    param="%s",
    day="to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
    time_is_text=False,
    identity="BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
)
# Any constant: the advisory lock that serialises migrations between servers starting together.
_MIGRATION_LOCK = 0x636F6E73656E74  # "consent"
_CONNECT = {"connect_timeout": "3", "application_name": "asgi-consent", "keepalives_idle": "10"}


def available() -> bool:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return False
    return True


class PostgresStore(SqlStore):
    """``consent_log = "postgresql://user@db.internal/site"``: one connection per worker process, used by
    its log thread; group commit sends each batch as one transaction (psycopg pipelines ``executemany``)."""

    dialect = POSTGRES
    migrations = migration_text(POSTGRES)

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def describe(self) -> str:
        from psycopg.conninfo import conninfo_to_dict

        info = conninfo_to_dict(self.url)
        where = info.get("host") or "localhost"
        return f"PostgreSQL {info.get('dbname', '')} on {where}"

    def _connect(self) -> Any:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict, make_conninfo

        given = conninfo_to_dict(self.url)
        extra = {k: v for k, v in _CONNECT.items() if k not in given}
        return psycopg.connect(make_conninfo(self.url, **extra), autocommit=True)

    def _migrate(self, conn: Any) -> None:
        wanted = len(self.migrations)
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            conn.execute(
                "CREATE TABLE IF NOT EXISTS consent_schema "
                "(version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            version = conn.execute("SELECT coalesce(max(version), 0) FROM consent_schema").fetchone()[0]
            if version > wanted:
                raise SchemaError(
                    f"{self.describe()}: schema version {version} is newer than this asgi-consent knows "
                    f"({wanted}); upgrade asgi-consent"
                )
            for number in range(version, wanted):
                for statement in self.migrations[number]:
                    conn.execute(statement)
                conn.execute("INSERT INTO consent_schema (version) VALUES (%s)", (number + 1,))

    def schema_version(self) -> int:
        row = self.connection().execute("SELECT coalesce(max(version), 0) FROM consent_schema").fetchone()
        return int(row[0])

    @contextmanager
    def _transaction(self, conn: Any) -> Iterator[Any]:
        with conn.transaction(), conn.cursor() as cur:
            yield cur

    @contextmanager
    def _stream(self, sql: str, params: Sequence[Any]) -> Iterator[Any]:
        # A server-side cursor: an export of millions of rows streams instead of landing in memory.
        conn = self.connection()
        with conn.transaction(), conn.cursor(name="consent_export") as cur:
            cur.itersize = 2000
            cur.execute(sql, params)
            yield cur
