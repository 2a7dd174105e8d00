"""The spool: durable appends, this process's file and those of processes that died, torn and damaged lines."""

from __future__ import annotations

import errno
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from consent._log import spool as spool_module
from consent._log.spool import Spool, parse

from .test_store import BANNER, SETTINGS, record

ROOT = Path(__file__).resolve().parents[2]


def test_records_read_back_in_order_with_their_texts_written_once(tmp_path):
    spool = Spool(tmp_path / "spool")
    first = [record(str(i), i) for i in range(3)]
    spool.append(first)
    spool.append([record("s", 9, "save", text=SETTINGS), record("x", 10)])
    data = spool.path.read_bytes()
    assert data.count(BANNER.digest.encode()) == 1 + 4  # one text line, then a digest in each banner record
    records, end = spool.read_own(0, 100)
    assert [r.consent_id for r in records] == ["0", "1", "2", "s", "x"]
    assert records[3].text == SETTINGS and records[4].text == BANNER
    assert end == len(data)
    part, middle = spool.read_own(0, 2)
    rest, _ = spool.read_own(middle, 100)
    assert [r.consent_id for r in part + rest] == ["0", "1", "2", "s", "x"]
    assert rest[-1].text == BANNER  # its text line came before the offset


def test_reset_empties_the_file_only_if_nothing_came_after_the_offset(tmp_path):
    spool = Spool(tmp_path / "spool")
    spool.append([record("a")])
    _, end = spool.read_own(0, 100)
    spool.append([record("b")])
    assert spool.reset_if(end) is False
    _, end = spool.read_own(0, 100)
    assert spool.reset_if(end) is True and spool.size() == 0
    spool.append([record("c")])  # texts are written again after a reset
    assert [r.text for r in spool.read_own(0, 10)[0]] == [BANNER]


def test_a_failed_append_is_cut_back_and_raised(tmp_path, monkeypatch):
    spool = Spool(tmp_path / "spool")
    spool.append([record("a")])
    size = spool.size()

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(spool_module.os, "fsync", full)
    with pytest.raises(OSError, match="No space"):
        spool.append([record("b", text=SETTINGS)])
    assert spool.size() == size
    monkeypatch.undo()
    spool.append([record("c", text=SETTINGS)])
    assert [(r.consent_id, r.text) for r in spool.read_own(0, 10)[0]] == [("a", BANNER), ("c", SETTINGS)]


def test_a_torn_last_line_and_a_damaged_line_are_skipped_with_a_warning(caplog):
    good = b'{"record": %s}\n'
    import json

    lines = [good % json.dumps(record(str(i)).to_json()).encode() for i in range(3)]
    data = lines[0] + b"{not json\n" + lines[1] + lines[2][:40]
    with caplog.at_level(logging.WARNING, logger="consent.log"):
        records = parse(data, "file.jsonl")
    assert [r.consent_id for r in records] == ["0", "1"]
    assert "line 2 is damaged" in caplog.text and "torn line" in caplog.text


HOLDER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from consent._log.spool import Spool
    from tests.log.test_store import record
    spool = Spool({directory!r})
    spool.append([record("held")])
    print("ready", flush=True)
    sys.stdin.read()
    """
)


def test_a_live_process_keeps_its_file_and_a_dead_ones_file_is_taken_over(tmp_path):
    directory = tmp_path / "spool"
    code = HOLDER.format(root=str(ROOT), directory=str(directory))
    holder = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline() == b"ready\n"
        mine = Spool(directory)
        mine.append([record("mine")])
        assert mine.orphans() == []  # the holder is alive: its file is not ours to replay
        assert mine.pending()
    finally:
        holder.kill()
        holder.wait()
        holder.stdin.close()
        holder.stdout.close()
    [orphan] = mine.orphans()
    assert [r.consent_id for r in orphan.records()] == ["held"]
    assert Spool(directory).orphans() == []  # locked by us meanwhile
    orphan.done()
    assert not orphan.path.exists()
    assert [p.name for p in directory.iterdir()] == [mine.path.name]


def test_a_new_spool_file_is_locked_before_it_gets_its_name(tmp_path, monkeypatch):
    """Otherwise another process could take a live process's fresh, empty file for an orphan and remove it."""
    directory = tmp_path / "spool"
    seen = []
    rename = os.rename

    def spy(src, dst):
        seen.extend(Spool(directory).orphans())  # another process looking, at the worst moment
        rename(src, dst)

    monkeypatch.setattr(spool_module.os, "rename", spy)
    spool = Spool(directory)
    spool.append([record("a")])
    assert seen == [] and spool.path.exists()
