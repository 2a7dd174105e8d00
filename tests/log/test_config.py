"""The consent-log keys of ConsentConfig: wrong values are a ConfigError naming the key, at start-up."""

from __future__ import annotations

import pytest

from consent import ConfigError, ConsentConfig

from .conftest import SECRET


def config(**kwargs):
    return ConsentConfig(secret_key=SECRET, locales=["en"], **kwargs)


class Store:
    async def write(self, records):
        pass


def test_no_log_by_default():
    assert config().consent_log is None


@pytest.mark.parametrize(
    ("kwargs", "key", "message"),
    [
        ({"consent_log": 42}, "consent_log", r"an object with async write\(records\)"),
        ({"consent_log": "mysql://db/x"}, "consent_log", "unknown kind of store 'mysql'"),
        ({"consent_log": ":memory:"}, "consent_log", "in-memory database would lose the log"),
        ({"consent_log": "sqlite:///"}, "consent_log", "must name a database file"),
        ({"consent_log": "/nonexistent-dir/log.db"}, "consent_log", "directory '/nonexistent-dir' does not exist"),
        ({"consent_log": Store()}, "consent_log_spool", "is required with a PostgreSQL or custom store"),
        ({"consent_log": "postgresql://db/x"}, "consent_log_spool", "is required"),
        ({"consent_log_timeout": 0}, "consent_log_timeout", "above 0 and at most 30"),
        ({"consent_log_timeout": "1"}, "consent_log_timeout", "number of seconds"),
        ({"on_decision_timeout": 301}, "on_decision_timeout", "at most 30"),
        ({"consent_log_truncated_ip": "yes"}, "consent_log_truncated_ip", "true or false"),
    ],
)
def test_bad_values_name_their_key(kwargs, key, message):
    with pytest.raises(ConfigError, match=message) as raised:
        config(**kwargs)
    assert raised.value.key == key


def test_a_directory_is_not_a_database_file(tmp_path):
    with pytest.raises(ConfigError, match="is a directory"):
        config(consent_log=str(tmp_path))


def test_a_custom_store_with_a_spool_is_accepted(tmp_path):
    store = Store()
    assert config(consent_log=store, consent_log_spool=tmp_path / "spool").consent_log is store


def test_toml_paths_are_relative_to_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSENT_SECRET", SECRET)
    (tmp_path / "var").mkdir()
    path = tmp_path / "consent.toml"
    path.write_text(
        'secret_key_env = "CONSENT_SECRET"\nlocales = ["en"]\nconsent_log = "sqlite:///var/log.db"\n'
        'consent_log_spool = "var/spool"\nconsent_log_timeout = 0.5\nconsent_log_truncated_ip = true\n'
    )
    loaded = ConsentConfig.from_toml(path)
    assert loaded.consent_log == f"sqlite:///{tmp_path}/var/log.db"
    assert loaded.consent_log_spool == str(tmp_path / "var" / "spool")
    assert loaded.consent_log_timeout == 0.5 and loaded.consent_log_truncated_ip is True
