"""``consent log export``'s formats: JSON lines (one record per line) and CSV (a header row, even when empty)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from typing import IO, Any


def export_rows(records: Iterator[Any], form: str, out: IO[str]) -> Iterator[int]:
    writer = None
    for n, record in enumerate(records, 1):
        data = record.to_json()
        if form == "jsonl":
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            if writer is None:
                writer = csv.writer(out)
                writer.writerow(CSV_COLUMNS)
            data["granted"] = " ".join(data["granted"])
            data["refused"] = " ".join(data["refused"])
            writer.writerow(["" if data[c] is None else data[c] for c in CSV_COLUMNS])
        yield n
    if form == "csv" and writer is None:
        csv.writer(out).writerow(CSV_COLUMNS)


CSV_COLUMNS = (
    "record_id",
    "time",
    "consent_id",
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


class output:
    """The file to write to (``-`` or none: stdout), opened for text with CSV's own newlines."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.file: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        if self.path is None or self.path == "-":
            return sys.stdout
        self.file = open(self.path, "w", encoding="utf-8", newline="")
        return self.file

    def __exit__(self, *exc: object) -> None:
        if self.file is not None:
            self.file.close()
