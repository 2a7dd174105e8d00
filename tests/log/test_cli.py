"""``consent log …`` against both stores: export, show, purge, stats, report, replay, info, and their help."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from consent._cli import main
from consent._log.spool import Spool

from .test_store import SETTINGS, T0, record

ROOT = Path(__file__).resolve().parents[2]
SUBCOMMANDS = ("export", "show", "purge", "stats", "report", "replay", "info")


@pytest.fixture
def filled(store_url, open_store):
    """A log with three days of decisions by four visitors."""
    day = 24 * 60
    open_store(store_url).write_sync(
        [
            record("alice", 0),
            record("bob", 5, "reject", region="FR", locale="fr"),
            record("alice", day, "save", source="settings", text=SETTINGS),
            record("carol", day + 1, "reject"),
            record("dave", 2 * day, "accept", region="FR", locale="fr"),
            record("alice", 2 * day + 3, "withdraw"),
        ]
    )
    return store_url


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_explains_itself(capsys, name):
    with pytest.raises(SystemExit) as exit_:
        main(["log", name, "--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert "--log URL" in out and "--config FILE" in out and "postgresql://" in out
    assert len(out.splitlines()) >= 8


def test_python_dash_m_consent_log_is_the_same_command():
    done = subprocess.run(
        [sys.executable, "-m", "consent", "log", "--help"], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert all(name in done.stdout for name in SUBCOMMANDS)


def test_export_jsonl_with_progress_on_stderr(capsys, filled):
    status, out, err = run(capsys, "log", "export", "--log", filled, "--since", "2026-03-02")
    assert status == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["consent_id"], r["action"]) for r in rows] == [
        ("alice", "save"),
        ("carol", "reject"),
        ("dave", "accept"),
        ("alice", "withdraw"),
    ]
    assert rows[0]["granted"] == ["necessary", "analytics"] and rows[0]["text_digest"] == SETTINGS.digest
    assert err.strip().splitlines()[-1] == "exported 4 of 4 (100%)"


def test_export_csv_to_a_file(capsys, filled, tmp_path):
    target = tmp_path / "out.csv"
    status, out, err = run(capsys, "log", "export", "--log", filled, "--format", "csv", "-o", str(target), "-q")
    assert status == 0 and out == "" and err == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert len(rows) == 6 and rows[1]["refused"] == "analytics marketing" and rows[1]["region"] == "FR"


def test_show_prints_a_visitors_history_with_the_wording_they_saw(capsys, filled):
    status, out, _ = run(capsys, "log", "show", "alice", "--log", filled)
    assert status == 0
    assert out.startswith("Consent id alice: 3 decisions")
    assert out.index("ACCEPT  on the banner") < out.index("SAVE  on the settings page") < out.index("WITHDRAW")
    assert "| Wir verwenden Cookies" in out and "| Cookie settings" in out
    assert "the same text as above" in out  # the withdrawal came from the banner again
    status, out, err = run(capsys, "log", "show", "nobody", "--log", filled)
    assert status == 1 and "no records for consent id nobody" in err


def test_show_as_json(capsys, filled):
    _, out, _ = run(capsys, "log", "show", "bob", "--log", filled, "--format", "json")
    data = json.loads(out)
    assert [r["action"] for r in data["records"]] == ["reject"]
    assert data["texts"][data["records"][0]["text_digest"]]["lines"] == ["Wir verwenden Cookies"]


def test_stats_counts_days_and_rates_by_locale_and_region(capsys, filled):
    status, out, _ = run(capsys, "log", "stats", "--log", filled, "--format", "json")
    stats = json.loads(out)
    assert status == 0
    assert stats["total"] == {
        "decisions": 6, "accept": 2, "reject": 2, "custom": 1, "withdraw": 1,
        "accept_rate": 0.4, "reject_rate": 0.4, "custom_rate": 0.2,
    }  # fmt: skip
    assert list(stats["days"]) == ["2026-03-01", "2026-03-02", "2026-03-03"]
    assert stats["regions"]["FR"]["decisions"] == 2 and stats["locales"]["de"]["decisions"] == 4
    _, text, _ = run(capsys, "log", "stats", "--log", filled)
    assert "2026-03-02            2     0.0%    50.0%    50.0%         0" in text and "By region" in text


def test_purge_keeps_the_retention_period(capsys, filled, monkeypatch):
    from consent._cli import log_args, log_cmds

    now = T0 + timedelta(days=365 * 3 + 2)  # three years after the second day
    monkeypatch.setattr(log_cmds, "age_before", lambda text: log_args._age(text, now))
    status, out, _ = run(capsys, "log", "purge", "--older-than", "3y", "--dry-run", "--log", filled)
    assert status == 0 and out.startswith("2 records older than 2026-03-")
    status, out, err = run(capsys, "log", "purge", "--older-than", "3y", "--log", filled)
    assert status == 0 and out.startswith("deleted 2 records") and "deleted 2 of 2" in err
    _, out, _ = run(capsys, "log", "export", "--log", filled, "-q")
    assert len(out.splitlines()) == 4


def test_ages_count_calendar_months_and_years():
    from consent._cli.log_args import _age

    now = T0.replace(month=3, day=31)
    assert _age("1m", now).date().isoformat() == "2026-02-28"
    assert _age("3y", now).date().isoformat() == "2023-03-31"
    assert _age("90d", now) == now - timedelta(days=90)
    assert _age("2 weeks", now) == now - timedelta(weeks=2)


def test_bad_arguments_are_one_line_errors(capsys, tmp_path):
    status, _, err = run(capsys, "log", "stats", "--log", str(tmp_path / "missing.db"))
    assert status == 2 and err == f"consent log: no consent log at {tmp_path / 'missing.db'}\n"
    assert not (tmp_path / "missing.db").exists()  # reading never creates an empty log
    status, _, err = run(capsys, "log", "purge", "--older-than", "soon", "--log", str(tmp_path / "x.db"))
    assert status == 2 and "not an age" in err
    status, _, err = run(capsys, "log", "info", "--log", "mysql://db/x")
    assert status == 2 and "unknown kind of store 'mysql'" in err
    status, _, err = run(capsys, "log", "info")
    assert status == 2 and "--log URL or --config consent.toml" in err


def test_the_store_can_come_from_a_config_file_relative_to_it(capsys, tmp_path, open_store):
    (tmp_path / "site").mkdir()
    config = tmp_path / "site" / "consent.toml"
    config.write_text('consent_log = "data/log.db"\nsecret_key_env = "UNSET_IS_FINE_HERE"\n')
    (tmp_path / "site" / "data").mkdir()
    open_store(str(tmp_path / "site" / "data" / "log.db")).write_sync([record()])
    status, out, _ = run(capsys, "log", "info", "--config", str(config))
    assert status == 0 and f"SQLite {tmp_path / 'site' / 'data' / 'log.db'}" in out and "records:  1" in out
    assert f"spool:    {tmp_path / 'site' / 'data' / 'log.db-spool'} (0 files" in out


def test_replay_copies_what_a_stopped_server_left(capsys, store_url, open_store, tmp_path):
    spool = tmp_path / "spool"
    dead = Spool(spool)
    dead.append([record("left-1"), record("left-2", 1)])
    dead.close()  # its process is gone; the file stays
    status, out, _ = run(capsys, "log", "replay", "--log", store_url, "--spool", str(spool))
    assert status == 0 and out.startswith("replayed 2 records")
    assert [r.consent_id for r in open_store(store_url).records()] == ["left-1", "left-2"]
    assert list(spool.glob("*.jsonl")) == []


def test_report_writes_one_self_contained_html_file(capsys, filled, tmp_path):
    pytest.importorskip("plotly", reason="the report needs plotly: pip install -e '.[report]'")
    target = tmp_path / "report.html"
    status, _, err = run(capsys, "log", "report", "--html", str(target), "--log", filled)
    page = target.read_text()
    assert status == 0 and "6 decisions, 3 days" in err
    assert "<script src=" not in page and "Plotly.newPlot" in page  # the library is inlined, nothing fetched
    assert "40.0%" in page and "2026-03-01 to 2026-03-03" in page
