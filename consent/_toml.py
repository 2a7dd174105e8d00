"""`ConsentConfig.from_toml`: a TOML file read into keyword arguments, every error naming the file."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import ConfigError, did_you_mean

if TYPE_CHECKING:
    from ._config import ConsentConfig

# Only Python can give these (callables and objects): a file names what it can.
PYTHON_ONLY = {"on_decision", "layout"}
_CATEGORY_KEYS = {"key", "title", "description", "sale_or_share", "text"}
_COOKIE_KEYS = {"name", "category", "provider", "purpose", "duration", "third_party", "text", "path", "domain"}


def load(cls: type[ConsentConfig], path: str | os.PathLike[str], overrides: dict[str, Any]) -> ConsentConfig:
    where = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("", "file not found", where) from None
    except (OSError, UnicodeError) as exc:
        raise ConfigError("", f"cannot be read: {exc}", where) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("", f"not valid TOML: {exc}", where) from None
    try:
        kwargs = _from_mapping(cls, data, Path(path).resolve().parent)
    except ConfigError as exc:
        raise exc.in_file(where) from None
    if "secret_key" not in kwargs and "secret_key" not in overrides:
        raise ConfigError(
            "secret_key",
            "is required: pass secret_key=... or set secret_key_env in the file (never commit secrets)",
            where,
        )
    try:
        return cls(**{**kwargs, **overrides})
    except ConfigError as exc:
        root = re.split(r"[.\[]", exc.key, maxsplit=1)[0]
        if exc.file is None and not (root in overrides and root not in kwargs):
            raise exc.in_file(where) from None  # the value came from the file: say so
        raise


def _from_mapping(cls: type[ConsentConfig], data: dict[str, Any], base: Path) -> dict[str, Any]:
    known = sorted({f.name for f in fields(cls)} - PYTHON_ONLY)
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key == "secret_key_env":
            if not isinstance(value, str):
                raise ConfigError("secret_key_env", "must be the name of an environment variable")
            if value not in os.environ:
                raise ConfigError("secret_key_env", f"environment variable {value!r} is not set")
            kwargs["secret_key"] = os.environ[value]
        elif key == "categories":
            kwargs[key] = [_category(item, f"categories[{i}]") for i, item in enumerate(_list(value, key))]
        elif key == "cookies":
            kwargs[key] = [_cookie(item, f"cookies[{i}]") for i, item in enumerate(_list(value, key))]
        elif key in known:
            kwargs[key] = value
        else:
            hint = did_you_mean(key, [*known, "secret_key_env"])
            raise ConfigError(key, f"unknown key{hint} (known: {', '.join(known)}, secret_key_env)")
    # Paths in the file are relative to the file.
    markdown = kwargs.get("policy_markdown")
    if isinstance(markdown, dict):
        kwargs["policy_markdown"] = {k: base / v if isinstance(v, str) else v for k, v in markdown.items()}
    templates = kwargs.get("templates")
    if isinstance(templates, str):
        kwargs["templates"] = base / templates
    elif isinstance(templates, list):
        kwargs["templates"] = [base / t if isinstance(t, str) else t for t in templates]
    from ._log.settings import resolve_paths

    resolve_paths(kwargs, base)  # consent_log, consent_log_spool
    return kwargs


def _list(value: Any, key: str) -> list[Any]:
    if not isinstance(value, list):
        raise ConfigError(key, "must be an array of tables ([[...]])")
    return value


def _table(item: Any, where: str, allowed: set[str], required: set[str]) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ConfigError(where, "must be a table")
    for key in item:
        if key not in allowed:
            hint = did_you_mean(key, allowed)
            raise ConfigError(f"{where}.{key}", f"unknown key{hint} (known: {', '.join(sorted(allowed))})")
    for key in sorted(required - item.keys()):
        raise ConfigError(f"{where}.{key}", "is required")
    return item


def _category(item: Any, where: str) -> Any:
    from ._config import Category

    return Category(**_table(item, where, _CATEGORY_KEYS, {"key"}))


def _cookie(item: Any, where: str) -> Any:
    from ._config import CookieDeclaration

    table = _table(item, where, _COOKIE_KEYS, _COOKIE_KEYS - {"third_party", "text", "path", "domain"})
    return CookieDeclaration(**table)
