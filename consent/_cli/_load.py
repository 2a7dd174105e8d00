"""Reading a ``consent.toml`` for the tools (``check``, ``scan``), which never sign anything.

The secret lives in the server's environment, not in the file and often not on the machine that runs the
tools, so when it is missing a stand-in takes its place and a warning says so; everything else is
validated exactly as the server does (`ConsentConfig.from_toml`).
"""

from __future__ import annotations

import os
import secrets
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .._config import ConfigError, ConsentConfig


@dataclass
class Loaded:
    config: ConsentConfig
    secret: str  # where the secret comes from, for the effective configuration
    warnings: list[str] = field(default_factory=list)
    stand_in: bool = False  # the secret is a throw-away one: the real one is not here


@contextmanager
def _stand_in(name: str) -> Iterator[None]:
    """``name`` set to a throw-away secret inside the block (it is unset again after)."""
    os.environ[name] = secrets.token_urlsafe(32)
    try:
        yield
    finally:
        del os.environ[name]


def load(path: str | os.PathLike[str]) -> Loaded:
    """The validated configuration in ``path``; raises `ConfigError` naming the key."""
    where = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(where, "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(where, f"not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(where, f"cannot be read: {exc}") from None
    env = data.get("secret_key_env")
    if isinstance(env, str) and env and env not in os.environ:
        with _stand_in(env):
            config = ConsentConfig.from_toml(path)
        return Loaded(
            config,
            f"from ${env} (not set here)",
            [f"the environment variable {env} is not set here: the server will refuse to start without it"],
            stand_in=True,
        )
    if isinstance(env, str) and env:
        return Loaded(ConsentConfig.from_toml(path), f"from ${env}")
    if "secret_key" in data:
        return Loaded(
            ConsentConfig.from_toml(path),
            "written in the file",
            ["secret_key is written in the file: keep secrets out of files you commit; use secret_key_env"],
        )
    return Loaded(
        ConsentConfig.from_toml(path, secret_key=secrets.token_urlsafe(32)),
        "not in the file",
        ["no secret_key_env: the app must pass secret_key=... to ConsentConfig.from_toml"],
        stand_in=True,
    )


def load_or_report(path: str) -> Loaded | None:
    """`load`, with any error printed (``error: key: message``) and None returned instead of raised."""
    try:
        return load(path)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
    except Exception as exc:  # a value of a shape validation did not foresee: still an error, not a traceback
        print(f"error: {path}: {type(exc).__name__}: {exc}", file=sys.stderr)
    return None
