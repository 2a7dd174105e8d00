"""The proof-of-consent log: records, their stores (SQLite, PostgreSQL, your own), group commit, the spool.

Layout: `record` (the record, the shown text, IP and user-agent reduction), `texts` (the wording a visitor
saw), `sql` / `sqlite` / `postgres` (the built-in stores and their migrations), `spool` (local files while the
store is away), `writer` (group commit, spooling, replay), `hooks` (``on_decision``), `recorder` (a decision
to its record), `settings` (the configuration keys).
"""

from .record import ConsentRecord, ShownText
from .recorder import Recorder
from .writer import ConsentLog, LogStore

__all__ = ["ConsentLog", "ConsentRecord", "LogStore", "Recorder", "ShownText"]
