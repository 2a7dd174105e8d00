"""``consent init``, ``consent check`` and ``consent secret``: write, validate and key a configuration."""

from __future__ import annotations

import argparse
import contextlib
import logging
import re
import secrets
import sys
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

from .._config import MODES, ConfigError, ConsentConfig
from ._checks import effective, warnings
from ._load import load_or_report

DEFAULT_ENV = "CONSENT_SECRET"
_ENV_NAME = "[A-Z_][A-Z0-9_]*"


def new_secret() -> str:
    """A fresh signing key: 32 random bytes, URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(32)


def register(sub: Any) -> None:
    init = sub.add_parser(
        "init",
        help="write a commented consent.toml",
        description="Write a commented consent.toml (mode, policy version, categories, cookie declarations, "
        "the secret read from an environment variable) and print a fresh secret, once, for you to store.",
    )
    init.add_argument("path", nargs="?", default="consent.toml", help="where to write it (default: consent.toml)")
    init.add_argument("--force", action="store_true", help="overwrite the file if it exists")
    init.add_argument("--mode", choices=MODES, default="opt-in", help="the consent mode (default: opt-in)")
    init.add_argument(
        "--secret-env",
        default=DEFAULT_ENV,
        metavar="NAME",
        help=f"the environment variable the server reads the secret from (default: {DEFAULT_ENV})",
    )
    init.set_defaults(run=run_init)

    check = sub.add_parser(
        "check",
        help="validate a consent.toml and show the effective configuration",
        description="Validate a configuration exactly as the server does at startup, print the effective "
        "values (the secret masked) and warnings. Exits 1 on errors (and on warnings with --strict).",
    )
    check.add_argument("path", metavar="FILE", help="the configuration file, e.g. consent.toml")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument("--quiet", "-q", action="store_true", help="only errors and warnings")
    check.set_defaults(run=run_check)

    secret = sub.add_parser(
        "secret",
        help="print a new secret key",
        description="Print a new random signing key (43 characters). To rotate keys, put the new one last: "
        "secret_key = [old, new] verifies both and signs with the new one.",
    )
    secret.set_defaults(run=run_secret)


def template(mode: str, env: str) -> str:
    text = files("consent._cli").joinpath("consent.toml.in").read_text(encoding="utf-8")
    categories = (
        '[[categories]]\nkey = "analytics"\n\n[[categories]]\nkey = "marketing"\n'
        if mode != "notice"
        else "# notice mode: only necessary cookies, so no categories to consent to.\n"
    )
    return text.replace("@MODE@", mode).replace("@SECRET_ENV@", env).replace("@CATEGORIES@\n", categories)


def run_init(args: argparse.Namespace) -> int:
    if not re.fullmatch(_ENV_NAME, args.secret_env):
        print(
            f"error: --secret-env {args.secret_env!r} is not an environment variable name (A-Z, 0-9, _)",
            file=sys.stderr,
        )
        return 2
    path = Path(args.path)
    if path.is_dir():
        path = path / "consent.toml"
    text = template(args.mode, args.secret_env)
    try:
        with path.open("w" if args.force else "x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        print(f"error: {path} exists; use --force to overwrite it", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    print()
    print("Your new secret, shown once. Store it where the server reads its environment, never in the file:")
    print()
    print(f"    {args.secret_env}={new_secret()}")
    print()
    print(f"Next: consent check {path}, then consent scan http://your-site/ --config {path}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    with _notes() as notes:  # what validation did on its own (a category added for the tracker table, say)
        loaded = load_or_report(args.path)
    if loaded is None:
        return 1
    error = _startup(loaded.config)
    if error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    found = loaded.warnings + warnings(loaded.config)
    if not args.quiet:
        print(f"{args.path}: valid")
        print()
        for line in effective(loaded.config, loaded.secret, loaded.stand_in):
            print(f"  {line}" if line else "")
        print()
    for note in notes:
        print(f"note: {note}")
    for warning in found:
        print(f"warning: {warning}")
    if not found and not args.quiet:
        print("no warnings")
    return 1 if args.strict and found else 0


@contextlib.contextmanager
def _notes() -> Iterator[list[str]]:
    """The consent logger's INFO messages while the block runs."""
    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            found.append(record.getMessage())

    logger = logging.getLogger("consent")
    handler, level = Collect(logging.INFO), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield found
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _startup(config: ConsentConfig) -> str:
    """Build the middleware as the server would (templates, catalogs, tracker table); the error, if any."""
    from .._middleware import ConsentMiddleware

    async def app(scope: Any, receive: Any, send: Any) -> None:  # pragma: no cover - never called
        return None

    try:
        ConsentMiddleware(app, config)
    except Exception as exc:  # whatever the server would fail with, reported instead of raised
        return str(exc) if isinstance(exc, ConfigError) else f"{type(exc).__name__}: {exc}"
    return ""


def run_secret(args: argparse.Namespace) -> int:
    print(new_secret())
    return 0
