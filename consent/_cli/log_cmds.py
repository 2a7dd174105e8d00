"""``consent log …``: read, export, purge and chart the proof-of-consent log.

The store is ``--log URL`` (a SQLite path, ``sqlite:///…`` or ``postgresql://…``) or the ``consent_log`` of
``--config consent.toml``. Progress of long operations goes to stderr, results to stdout (or ``--output``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .log_args import Progress, UsageError, age_before, when
from .log_export import export_rows, output

WHERE = (
    "The log is --log (a SQLite file, sqlite:///path or postgresql://user@host/db) or the consent_log key of "
    "--config FILE (a consent.toml); with neither, $CONSENT_LOG."
)


def register(sub: Any) -> None:
    log = sub.add_parser(
        "log",
        help="the proof-of-consent log: export, show, purge, stats, report, replay, info",
        description="Read and maintain the proof-of-consent log. " + WHERE,
    )
    commands = log.add_subparsers(dest="log_command", metavar="SUBCOMMAND", required=True)

    export = _command(commands, "export", "write records as JSON lines or CSV", run_export)
    _period(export)
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="output format (default jsonl)")
    export.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")

    show = _command(commands, "show", "one visitor's history, with the wording they were shown", run_show)
    show.add_argument("consent_id", metavar="CONSENT_ID", help="the id shown on the visitor's settings page")
    show.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")

    purge = _command(commands, "purge", "delete records older than a retention period", run_purge)
    purge.add_argument(
        "--older-than",
        required=True,
        metavar="AGE",
        help="records older than AGE go: 3y, 18m (months), 6w, 90d (or '3 years')",
    )
    purge.add_argument("--dry-run", action="store_true", help="only count what would be deleted")

    stats = _command(
        commands, "stats", "decisions per day; accept, reject and custom rates by locale, region", run_stats
    )
    _period(stats)
    stats.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")

    report = _command(commands, "report", "an HTML page charting consent rates over time", run_report)
    _period(report)
    report.add_argument("--html", required=True, metavar="FILE", help="the self-contained HTML file to write")
    report.add_argument("--title", default="Consent rates", help="the page's title")

    replay = _command(
        commands, "replay", "copy records left in the spool by stopped servers into the store", run_replay
    )
    replay.add_argument("--spool", metavar="DIR", help="the spool directory (default: from the configuration)")

    _command(commands, "info", "which store, its schema version, its records, and the spool", run_info)


def _command(commands: Any, name: str, summary: str, run: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name, help=summary, description=summary[0].upper() + summary[1:] + ". " + WHERE
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--log", metavar="URL", help="the store: a SQLite path, sqlite:///path or postgresql://…")
    where.add_argument("--config", metavar="FILE", help="a consent.toml whose consent_log names the store")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    parser.set_defaults(run=_guarded(run))
    return parser


def _guarded(run: Any) -> Any:
    """Usage and database errors as one line on stderr and exit status 2, not a traceback."""

    def guarded(args: argparse.Namespace) -> int:
        try:
            return int(run(args))
        except UsageError as exc:
            print(f"consent log: {exc}", file=sys.stderr)
            return 2
        except Exception as exc:
            if type(exc).__module__.split(".")[0] not in ("sqlite3", "psycopg", "_sqlite3"):
                raise
            print(f"consent log: the store failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 2

    return guarded


def _period(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--since", metavar="WHEN", help="from this UTC date or time (2026-01-31, 2026-01-31T12:00), or an age (30d)"
    )
    parser.add_argument("--until", metavar="WHEN", help="up to (not including) this date or time, or an age")


def _target(args: argparse.Namespace) -> tuple[Any, Path | None]:
    """The log the arguments name, and its spool directory (None when not known)."""
    from .._config import ConfigError
    from .._log.settings import target

    value, spool = _location(args)
    try:
        found = target(value, spool, spool_required=False)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    if found is None or found.kind == "custom":
        raise UsageError("no consent log configured")
    return found, found.spool


@contextmanager
def open_store(args: argparse.Namespace, create: bool = False) -> Iterator[Any]:
    """The SQLite or PostgreSQL store the arguments name (a SQLite file must exist unless ``create``)."""
    from .._log.recorder import open_store as make

    found, _ = _target(args)
    if found.kind == "sqlite" and not create and not found.path.is_file():
        raise UsageError(f"no consent log at {found.path}")
    store: Any = make(found)
    try:
        yield store
    finally:
        store.close()


def _location(args: argparse.Namespace) -> tuple[Any, Any]:
    if getattr(args, "log", None):
        return args.log, getattr(args, "spool", None)
    if getattr(args, "config", None):
        return _from_toml(Path(args.config), getattr(args, "spool", None))
    if os.environ.get("CONSENT_LOG"):
        return os.environ["CONSENT_LOG"], getattr(args, "spool", None)
    raise UsageError("say where the log is: --log URL or --config consent.toml")


def _from_toml(path: Path, spool: str | None) -> tuple[Any, Any]:
    import tomllib

    from .._log.settings import resolve_paths

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    keys: dict[str, Any] = {k: data[k] for k in ("consent_log", "consent_log_spool") if k in data}
    if "consent_log" not in keys:
        raise UsageError(f"{path} has no consent_log key")
    resolve_paths(keys, path.resolve().parent)
    return keys["consent_log"], spool or keys.get("consent_log_spool")


# -- commands ----------------------------------------------------------------------------------------------


def run_export(args: argparse.Namespace) -> int:
    since, until = when(args.since), when(args.until)
    with open_store(args) as store, output(args.output) as out:
        progress = Progress("exported", store.count(since, until), args.quiet)
        done = 0
        for done in export_rows(store.records(since, until), args.format, out):
            progress.update(done)
        progress.update(done, final=True)
    return 0


def run_show(args: argparse.Namespace) -> int:
    from .log_show import show

    with open_store(args) as store:
        records = list(store.records(consent_id=args.consent_id))
        texts = store.texts([r.text_digest for r in records if r.text_digest])
    if not records:
        print(f"no records for consent id {args.consent_id}", file=sys.stderr)
        return 1
    sys.stdout.write(show(args.consent_id, records, texts, args.format))
    return 0


def run_purge(args: argparse.Namespace) -> int:
    before = age_before(args.older_than)
    with open_store(args) as store:
        total = store.count(None, before)
        if args.dry_run:
            print(f"{total} records older than {before:%Y-%m-%d %H:%M} UTC would be deleted")
            return 0
        progress = Progress("deleted", total, args.quiet)
        deleted = 0
        for deleted in store.purge(before):
            progress.update(deleted)
        progress.update(deleted, final=True)
    print(f"deleted {deleted} records older than {before:%Y-%m-%d %H:%M} UTC")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    from .._log.stats import Stats, text_report

    since, until = when(args.since), when(args.until)
    with open_store(args) as store:
        stats = Stats.of(store.daily(since, until))
    if args.format == "json":
        print(json.dumps(stats.to_json(), indent=2))
    else:
        sys.stdout.write(text_report(stats))
    return 0


def run_report(args: argparse.Namespace) -> int:
    from .._log.stats import Stats
    from .log_report import report

    since, until = when(args.since), when(args.until)
    with open_store(args) as store:
        stats = Stats.of(store.daily(since, until))
        where = store.describe()
    Path(args.html).write_text(report(stats, args.title, where), encoding="utf-8")
    if not args.quiet:
        print(f"wrote {args.html} ({stats.total.decisions} decisions, {len(stats.days)} days)", file=sys.stderr)
    return 0


def run_replay(args: argparse.Namespace) -> int:
    from .._log.spool import Spool
    from .._log.writer import ConsentLog

    _, spool = _target(args)
    if spool is None:
        raise UsageError("say where the spool is: --spool DIR (or consent_log_spool in the configuration)")
    with open_store(args, create=True) as store:
        log = ConsentLog(store, Spool(spool), timeout=30.0, name=store.describe())
        count = log.replay_now()
        print(f"replayed {count} records from {spool} into {store.describe()}")
    return 0


def run_info(args: argparse.Namespace) -> int:
    _, spool = _target(args)
    with open_store(args) as store:
        print(f"store:    {store.describe()}")
        print(f"schema:   version {store.schema_version()}")
        print(f"records:  {store.count()}")
    if spool is None:
        print("spool:    not configured")
        return 0
    files = sorted(spool.glob("*.jsonl")) if spool.is_dir() else []
    waiting = sum(f.stat().st_size for f in files)
    print(f"spool:    {spool} ({len(files)} files, {waiting} bytes waiting)")
    return 0
