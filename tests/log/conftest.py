"""Fixtures for the consent-log tests: a real PostgreSQL server, fresh stores of both kinds, an app that logs.

PostgreSQL is Debian's (``/usr/lib/postgresql/*/bin``): ``initdb`` into a temporary directory, served on a Unix
socket only (no TCP port at all), as the ``postgres`` user when the tests run as root (PostgreSQL refuses
root). The server gets SIGKILL from the kernel if this test process dies (``PR_SET_PDEATHSIG``), so it can
never outlive the run. Without PostgreSQL the PostgreSQL half of the suite is skipped, with the reason;
under ``CONSENT_REQUIRE_POSTGRES=1`` (CI) a missing server is an error instead.
"""

from __future__ import annotations

import ctypes
import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from consent import ConsentConfig, ConsentMiddleware

from .._lifetime import die_with_test

SECRET = "log-test-secret-0123456789-abcdefghijklmnop"
REQUIRE = bool(os.environ.get("CONSENT_REQUIRE_POSTGRES"))
#: What the load and fault tests measured, printed at the end of the run (pytest's terminal summary).
RESULTS: dict[str, str] = {}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if RESULTS:
        terminalreporter.section("consent log: load and fault tests")
        for name, text in RESULTS.items():
            terminalreporter.write_line(f"{name}: {text}")


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _missing() -> str | None:
    if _pg_bin() is None:
        return "PostgreSQL is not installed (apt-get install postgresql; see .ci/run)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test]')"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run PostgreSQL as"
    return None


def _as_user(uid: int | None, gid: int | None) -> Callable[[], None]:
    def preexec() -> None:
        if gid is not None:
            os.setgid(gid)
        if uid is not None:
            os.setuid(uid)
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG, after setuid (which clears it)

    return preexec


class PgServer:
    """A PostgreSQL server of our own: `start`, `stop` (fast shutdown), `database()` for a fresh database."""

    def __init__(self) -> None:
        self.bin = _pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="consent-pg-"))
        self.data = self.dir / "data"
        self.socket = self.dir / "socket"
        self.socket.mkdir()
        self.uid = self.gid = None
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            self.uid, self.gid = user.pw_uid, user.pw_gid
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            os.chown(self.socket, user.pw_uid, user.pw_gid)
        self.proc: subprocess.Popen[bytes] | None = None
        self._run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--no-instructions",
            ]
        )

    def _run(self, argv: list[str]) -> None:
        subprocess.run(argv, check=True, capture_output=True, preexec_fn=_as_user(self.uid, self.gid), cwd=self.dir)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.socket}"

    def start(self) -> None:
        argv = [
            str(self.bin / "postgres"), "-D", str(self.data), "-k", str(self.socket), "-c", "listen_addresses=",
            "-c", "max_connections=60", "-c", "shared_buffers=32MB",
        ]  # fmt: skip
        log = open(self.dir / "server.log", "ab")  # the child keeps its own copy
        self.proc = subprocess.Popen(
            argv, stdout=log, stderr=log, preexec_fn=die_with_test(_as_user(self.uid, self.gid))
        )
        log.close()
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(self.url(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("PostgreSQL did not start: " + (self.dir / "server.log").read_text()) from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # fast shutdown: clients are disconnected at once
            self.proc.wait(30)
        self.proc = None

    def database(self) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # async tests (marked anyio) run on asyncio, as uvicorn does


@pytest.fixture(scope="session")
def pg() -> Iterator[PgServer]:
    reason = _missing()
    if reason:
        if REQUIRE:
            pytest.fail(f"CONSENT_REQUIRE_POSTGRES is set but {reason}")
        pytest.skip(reason)
    server = PgServer()
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty log of each kind: a SQLite file, or a new database on the test server."""
    if request.param == "sqlite":
        return str(tmp_path / "consent-log.db")
    server: PgServer = request.getfixturevalue("pg")
    return server.database()


@pytest.fixture
def open_store() -> Iterator[Callable[[str], Any]]:
    """`open_store(url)`: the store the library would use for ``url`` (closed after the test)."""
    from consent._log.recorder import open_store as make
    from consent._log.settings import target

    opened: list[Any] = []

    def open_(url: str) -> Any:
        found = target(url, None, spool_required=False)
        store = make(found)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


@pytest.fixture
def log_app(tmp_path: Path) -> Callable[..., Any]:
    """`log_app(**config)`: a Starlette app whose decisions are logged (to a SQLite file by default)."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import HTMLResponse, PlainTextResponse
    from starlette.routing import Route

    async def page(request: Any) -> HTMLResponse:
        return HTMLResponse("<!DOCTYPE html><html><head><title>T</title></head><body><p>News</p></body></html>")

    def sync_page(request: Any) -> PlainTextResponse:  # a sync endpoint: Starlette runs it in its thread pool
        return PlainTextResponse("still here")

    def make(**overrides: Any) -> Any:
        options: dict[str, Any] = {
            "secret_key": SECRET,
            "locales": ["en", "de", "fr"],
            "consent_log": str(tmp_path / "consent-log.db"),
        }
        options.update(overrides)
        config = ConsentConfig(**options)
        return Starlette(
            routes=[Route("/", page), Route("/sync", sync_page)],
            middleware=[Middleware(ConsentMiddleware, config=config)],
        )

    return make
