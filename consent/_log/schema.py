"""The consent log's schema: its columns, the dialects of the two stores and the versioned migrations."""

from __future__ import annotations

from dataclasses import dataclass

COLUMNS = (
    "id",
    "consent_id",
    "time",
    "action",
    "granted",
    "refused",
    "policy_version",
    "mode",
    "region",
    "locale",
    "gpc",
    "dnt",
    "source",
    "path",
    "text_digest",
    "user_agent",
    "ip",
)


class SchemaError(RuntimeError):
    """The store's schema is newer than this version of asgi-consent knows."""


@dataclass(frozen=True)
class Dialect:
    name: str
    param: str  # "?" or "%s"
    day: str  # SQL for the UTC day of ``time``, as YYYY-MM-DD
    time_is_text: bool  # SQLite keeps times as fixed-width ISO text (they sort as time)
    identity: str  # the column type of an auto-numbered primary key


def migration_text(dialect: Dialect) -> list[list[str]]:
    """Version n of the schema is ``migrations[n - 1]``; append, never edit a released one."""
    text, flag = ("TEXT", "INTEGER") if dialect.time_is_text else ("TIMESTAMPTZ", "BOOLEAN")
    return [
        [
            f"CREATE TABLE consent_texts (digest TEXT PRIMARY KEY, body TEXT NOT NULL, first_seen {text} NOT NULL)",
            f"""CREATE TABLE consent_records (
                seq {dialect.identity},
                id TEXT NOT NULL UNIQUE,
                consent_id TEXT NOT NULL,
                time {text} NOT NULL,
                action TEXT NOT NULL,
                granted TEXT NOT NULL,
                refused TEXT NOT NULL,
                policy_version TEXT NOT NULL,
                mode TEXT NOT NULL,
                region TEXT,
                locale TEXT NOT NULL,
                gpc {flag} NOT NULL,
                dnt {flag} NOT NULL,
                source TEXT NOT NULL,
                path TEXT NOT NULL,
                text_digest TEXT NOT NULL,
                user_agent TEXT NOT NULL,
                ip TEXT
            )""",
            "CREATE INDEX consent_records_by_visitor ON consent_records (consent_id, time)",
            "CREATE INDEX consent_records_by_time ON consent_records (time)",
            "CREATE INDEX consent_records_by_text ON consent_records (text_digest)",
        ],
    ]
