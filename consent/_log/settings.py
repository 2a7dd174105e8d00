"""The consent-log keys of `ConsentConfig`: checked at start-up (a `ConfigError` naming the key), and turned
into a store, a spool and a `ConsentLog`."""

from __future__ import annotations

import inspect
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._config import ConfigError, ConsentConfig

_SQLITE = "sqlite:///"
_POSTGRES = ("postgresql://", "postgres://")
MAX_TIMEOUT = 30.0


@dataclass(frozen=True)
class LogTarget:
    """Where records go: ``kind`` is ``sqlite``, ``postgres`` or ``custom`` (an object with async ``write``)."""

    kind: str
    spool: Path | None  # None only where the caller did not need one (the command line)
    path: Path | None = None
    url: str | None = None
    store: Any = None


def target(value: Any, spool: Any, spool_required: bool = True) -> LogTarget | None:
    """`LogTarget` for ``consent_log`` and ``consent_log_spool`` (None: no log)."""
    if value is None:
        return None
    if isinstance(value, (str, os.PathLike)):
        text = os.fspath(value)
        if text.startswith(_POSTGRES):
            from .postgres import available

            if not available():
                raise ConfigError("consent_log", "a PostgreSQL log needs psycopg: pip install 'asgi-consent[postgres]'")
            return LogTarget("postgres", _spool(spool, None, spool_required), url=text)
        if text.startswith(_SQLITE):
            text = text[len(_SQLITE) :]  # sqlite:///relative.db, sqlite:////absolute/path.db
        elif "://" in text:
            raise ConfigError(
                "consent_log",
                f"unknown kind of store {text.split('://')[0]!r}: use a path, sqlite:///path or postgresql://…",
            )
        if not text or text == ":memory:" or text.startswith("file:"):
            raise ConfigError("consent_log", "must name a database file (an in-memory database would lose the log)")
        path = Path(text).expanduser()
        if not path.parent.is_dir():
            raise ConfigError("consent_log", f"directory {str(path.parent)!r} does not exist")
        if path.is_dir():
            raise ConfigError("consent_log", f"{text!r} is a directory; name the database file in it")
        return LogTarget("sqlite", _spool(spool, path), path=path)
    if inspect.iscoroutinefunction(getattr(value, "write", None)):
        return LogTarget("custom", _spool(spool, None, spool_required), store=value)
    raise ConfigError(
        "consent_log",
        "must be None, a file path or sqlite:/// URL, a postgresql:// URL, or an object with async write(records)",
    )


def _spool(value: Any, database: Path | None, required: bool = True) -> Path | None:
    if value is None:
        if database is None and not required:
            return None
        if database is None:
            raise ConfigError(
                "consent_log_spool",
                "is required with a PostgreSQL or custom store: a local directory where records wait while the "
                "store cannot take them",
            )
        return database.with_name(database.name + "-spool")
    if not isinstance(value, (str, os.PathLike)) or not os.fspath(value):
        raise ConfigError("consent_log_spool", "must be a directory path")
    path = Path(value).expanduser()
    if path.exists() and not path.is_dir():
        raise ConfigError("consent_log_spool", f"{str(path)!r} exists and is not a directory")
    if not path.parent.is_dir():
        raise ConfigError("consent_log_spool", f"directory {str(path.parent)!r} does not exist")
    return path


def _seconds(value: Any, key: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= MAX_TIMEOUT:
        raise ConfigError(key, f"must be a number of seconds above 0 and at most {MAX_TIMEOUT:g}")


def validate(config: ConsentConfig) -> None:
    """Every consent-log key of ``config``; raises `ConfigError`."""
    target(config.consent_log, config.consent_log_spool)
    _seconds(config.consent_log_timeout, "consent_log_timeout")
    _seconds(config.on_decision_timeout, "on_decision_timeout")
    if not isinstance(config.consent_log_truncated_ip, bool):
        raise ConfigError("consent_log_truncated_ip", "must be true or false")


def resolve_paths(kwargs: dict[str, Any], base: Path) -> None:
    """Relative ``consent_log`` and ``consent_log_spool`` paths in a TOML file are relative to the file."""
    for key in ("consent_log", "consent_log_spool"):
        value = kwargs.get(key)
        if not isinstance(value, str) or ("://" in value and not value.startswith(_SQLITE)):
            continue  # not a path: postgresql://…, or an object
        prefix = _SQLITE if value.startswith(_SQLITE) else ""
        path = Path(value[len(prefix) :]).expanduser()
        if not path.is_absolute():
            kwargs[key] = prefix + str(base / path)
