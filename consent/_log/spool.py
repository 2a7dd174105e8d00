"""The spool: where records wait, on local disk, while the store is down or slow.

A directory of JSON-lines files, one per process (so appends never interleave), each held with an exclusive
``flock`` for the life of its process. A file nobody holds belongs to a process that died (SIGKILL, a
crash): any process may take it over, replay it and remove it. Appends are whole lines written with one
``write`` and made durable with ``fsync`` before the visitor is answered; a failed append is cut back, and a
torn last line (a crash mid-write, never acknowledged) is ignored. Replay is keyed by record id, so replaying
a file twice stores nothing twice.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import secrets
import socket
import threading
import weakref
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO

from .record import ConsentRecord, ShownText

logger = logging.getLogger("consent.log")
SUFFIX = ".jsonl"
READ_PER_RECORD = 2048  # bytes read per record wanted (a record line is about 600 bytes, a text line 2-4 KB)


def _lines(records: Iterable[ConsentRecord], written: dict[str, ShownText]) -> tuple[bytes, dict[str, ShownText]]:
    out: list[str] = []
    new: dict[str, ShownText] = {}
    for r in records:
        text = r.text
        if text is not None and text.body and text.digest not in written and text.digest not in new:
            out.append(json.dumps({"text": text.digest, "body": text.body}, ensure_ascii=False) + "\n")
            new[text.digest] = text
        out.append(json.dumps({"record": r.to_json()}, ensure_ascii=False) + "\n")
    return "".join(out).encode(), new


def parse(data: bytes, where: str = "spool", texts: dict[str, ShownText] | None = None) -> list[ConsentRecord]:
    """The records in spool file contents, in order (a torn or damaged line is skipped, with a warning).
    ``texts``: texts written earlier in the same file."""
    texts = dict(texts or {})
    records: list[ConsentRecord] = []
    lines = data.split(b"\n")
    if lines and lines[-1]:
        logger.warning("consent log: %s ends with a torn line (a crash mid-write); ignoring it", where)
    for number, line in enumerate(lines[:-1], 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if "text" in item:
                texts[item["text"]] = ShownText(item["text"], item["body"])
            else:
                data_ = item["record"]
                records.append(ConsentRecord.from_json(data_, texts.get(data_.get("text_digest", ""))))
        except (ValueError, KeyError, TypeError) as exc:
            logger.warning("consent log: %s line %d is damaged (%s); skipping it", where, number, exc)
    return records


class Spool:
    """This process's spool file in ``directory``, and the files of processes that died."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self._file: IO[bytes] | None = None
        self._path: Path | None = None
        self._written: dict[str, ShownText] = {}  # the texts already in our file

    @property
    def path(self) -> Path | None:
        return self._path

    def _own(self) -> IO[bytes]:
        if self._file is None:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            name = f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(4)}"
            temporary = self.directory / (name + ".new")
            handle = open(temporary, "ab")  # held open for the life of the process
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                # Locked before it gets its real name: no other process can take it for an orphan.
                os.rename(temporary, self.directory / (name + SUFFIX))
            except BaseException:
                handle.close()
                raise
            self._path = self.directory / (name + SUFFIX)
            self._file = handle
            weakref.finalize(self, handle.close)  # closed (and unlocked) when the spool goes, warning-free
        return self._file

    def append(self, records: Sequence[ConsentRecord]) -> None:
        """Append ``records`` durably (write + fsync); on failure the file is cut back and the error raised."""
        with self._lock:
            handle = self._own()
            fd = handle.fileno()
            data, new = _lines(records, self._written)
            size = os.fstat(fd).st_size
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            except OSError:
                try:
                    os.ftruncate(fd, size)
                except OSError:  # pragma: no cover - the disk is gone altogether
                    pass
                raise
            self._written.update(new)

    def close(self) -> None:
        """Close (and unlock) our file; an empty one is removed."""
        with self._lock:
            if self._file is None:
                return
            if self._path is not None and os.fstat(self._file.fileno()).st_size == 0:
                self._path.unlink(missing_ok=True)
            self._file.close()
            self._file = None
            self._path = None
            self._written.clear()

    def size(self) -> int:
        with self._lock:
            return os.fstat(self._file.fileno()).st_size if self._file is not None else 0

    def read_own(self, offset: int, limit: int) -> tuple[list[ConsentRecord], int]:
        """Up to ``limit`` records after byte ``offset`` of our file, and the offset after them."""
        with self._lock:
            if self._path is None:
                return [], offset
            with open(self._path, "rb") as f:
                f.seek(offset)
                rest = f.read(limit * READ_PER_RECORD)
            end = _cut(rest, limit)
            if end == 0 and rest:  # a line longer than the read: read on to its end
                with open(self._path, "rb") as f:
                    f.seek(offset)
                    rest = f.read()
                end = _cut(rest, limit)
            return parse(rest[:end], str(self._path), self._written), offset + end

    def reset_if(self, offset: int) -> bool:
        """Empty our file if nothing was appended past ``offset`` (everything before it is in the store)."""
        with self._lock:
            if self._file is None:
                return offset == 0
            fd = self._file.fileno()
            if os.fstat(fd).st_size != offset:
                return False
            os.ftruncate(fd, 0)
            os.fsync(fd)
            self._written.clear()
            return True

    def orphans(self) -> list[Orphan]:
        """Spool files no live process holds, locked for us (the caller replays and `Orphan.done` them)."""
        found: list[Orphan] = []
        own = self.path
        try:
            paths = sorted(self.directory.glob("*" + SUFFIX))
        except OSError:
            return found
        for path in paths:
            if own is not None and path == own:
                continue
            try:
                handle = open(path, "rb")  # handed to the Orphan, which closes it
            except OSError:
                continue
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()  # its process is alive (or another process is replaying it)
                continue
            found.append(Orphan(path, handle))
        return found

    def pending(self) -> bool:
        """True if our file or a dead process's file holds anything (a cheap look, without locking)."""
        try:
            return any(p.stat().st_size > 0 for p in self.directory.glob("*" + SUFFIX))
        except OSError:
            return False


def _cut(data: bytes, limit: int) -> int:
    """The length of the first ``limit`` record lines of ``data`` (text lines included), complete lines only."""
    end = 0
    count = 0
    while count < limit:
        newline = data.find(b"\n", end)
        if newline < 0:
            break
        if data.startswith(b'{"record"', end):
            count += 1
        end = newline + 1
    return end


class Orphan:
    """A dead process's spool file, locked while we replay it."""

    def __init__(self, path: Path, handle: IO[bytes]) -> None:
        self.path = path
        self._handle = handle
        weakref.finalize(self, handle.close)

    def records(self) -> list[ConsentRecord]:
        self._handle.seek(0)
        return parse(self._handle.read(), str(self.path))

    def done(self) -> None:
        """Everything in it is in the store: remove it."""
        try:
            self.path.unlink()
        except FileNotFoundError:  # pragma: no cover - removed by hand meanwhile
            pass
        self.release()

    def release(self) -> None:
        self._handle.close()
