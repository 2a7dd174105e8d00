"""Fault test 4: a read-only SQLite file, and a full disk under it. Each time the log says so in one clear
line, every choice still takes effect, the records wait in the spool, and they reach the store once the file
can be written again.

Read-only: ``chattr +i`` as root (root ignores file modes), ``chmod 0444`` otherwise. Full disk: a 1 MiB
tmpfs mounted for the test (root only; skipped otherwise), filled up with a file.
"""

from __future__ import annotations

import logging
import os
import subprocess
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from consent._log.sqlite import SqliteStore

from .test_store import record


def wait_for_records(path: Path, count: int, seconds: float = 20.0) -> list:
    """The store's records once there are ``count`` of them (the replayer runs in the app's loop)."""
    deadline = time.monotonic() + seconds
    while True:
        store = SqliteStore(path)
        try:
            found = list(store.records())
        except Exception:
            found = []
        finally:
            store.close()
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def decide(client: TestClient, n: int) -> list[str]:
    ids = []
    for i in range(n):
        response = client.post("/consent", json={"action": ("accept", "reject", "save")[i % 3]})
        assert response.status_code == 200 and response.headers["set-cookie"].startswith("consent=1:")
        ids.append(response.headers["set-cookie"].split(":")[3].split(".")[0])
    return ids


def _make_read_only(path: Path) -> tuple[str, callable]:
    if os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"chattr +i is not possible here: {done.stderr.decode().strip()}")
        return "immutable (chattr +i)", lambda: subprocess.run(["chattr", "-i", str(path)], check=True)
    path.chmod(0o444)
    return "mode 0444", lambda: path.chmod(0o644)


def test_a_read_only_sqlite_file(log_app, tmp_path, caplog):
    db = tmp_path / "consent-log.db"
    SqliteStore(db).write_sync([record("before")])  # an existing log, at the current schema
    how, undo = _make_read_only(db)
    try:
        with caplog.at_level(logging.INFO, logger="consent.log"), TestClient(log_app()) as client:
            ids = decide(client, 12)
            assert client.get("/consent").json()["decided"] is True
            failures = [r for r in caplog.records if "failed" in r.getMessage() and r.levelno == logging.ERROR]
            assert len(failures) == 1, f"{how}: one clear line per outage"
            assert "attempt to write a readonly database" in failures[0].getMessage()
            assert "choices still take effect" in failures[0].getMessage()
            undo()
            undo = None
            stored = wait_for_records(db, 13)
    finally:
        if undo is not None:
            undo()
    assert [r.consent_id for r in stored] == ["before", *ids]


def _mount_tmpfs(where: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("a full disk is simulated with a tmpfs mount, which needs root")
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")


def test_a_full_disk_under_the_sqlite_file(log_app, tmp_path, caplog):
    disk = tmp_path / "disk"
    _mount_tmpfs(disk)
    try:
        db = disk / "consent-log.db"
        app = log_app(consent_log=str(db), consent_log_spool=tmp_path / "spool")  # the spool on another disk
        with caplog.at_level(logging.INFO, logger="consent.log"), TestClient(app) as client:
            decide(client, 1)  # the log exists, with its schema
            filler = disk / "filler"
            with open(filler, "wb") as f, pytest.raises(OSError):
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            ids = decide(client, 30)
            failures = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
            assert len(failures) == 1 and "database or disk is full" in failures[0]
            filler.unlink()
            stored = wait_for_records(db, 31)
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
    assert [r.consent_id for r in stored][1:] == ids
