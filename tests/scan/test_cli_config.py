"""consent init, check, secret and version: in-process through consent._cli.main, and once for real."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from consent import ConsentConfig
from consent._cli import main

from .conftest import ROOT

SECRET = "k" * 43
GOOD = """
secret_key_env = "SITE_SECRET"
[[categories]]
key = "analytics"
[[categories]]
key = "marketing"
[[cookies]]
name = "_ga"
category = "analytics"
provider = "Google Analytics"
purpose = "Counts visitors."
duration = "13 months"
[[cookies]]
name = "_fbp"
category = "marketing"
provider = "Meta"
purpose = "Advertising."
duration = "3 months"
"""


@pytest.fixture
def secret_env(monkeypatch):
    monkeypatch.setenv("SITE_SECRET", SECRET)


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "consent.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_init_writes_a_commented_file_that_checks_and_prints_its_secret_once(tmp_path, capsys, monkeypatch):
    path = tmp_path / "consent.toml"
    assert main(["init", str(path)]) == 0
    out = capsys.readouterr().out
    secret = next(line.split("=", 1)[1] for line in out.splitlines() if line.strip().startswith("CONSENT_SECRET="))
    assert len(secret) == 43 and out.count(secret) == 1
    text = path.read_text()
    assert secret not in text
    for needed in ('mode = "opt-in"', 'policy_version = "1"', 'secret_key_env = "CONSENT_SECRET"', "[[categories]]"):
        assert needed in text
    assert "# [[cookies]]" in text and "# name =" in text  # declarations shown, not invented
    monkeypatch.setenv("CONSENT_SECRET", secret)
    config = ConsentConfig.from_toml(path)
    assert config.secret_key == secret and config.optional_keys == ("analytics", "marketing")
    assert main(["check", str(path)]) == 0


def test_init_refuses_to_overwrite_without_force(tmp_path, capsys):
    path = tmp_path / "consent.toml"
    path.write_text("# mine\n")
    assert main(["init", str(path)]) == 1
    assert "exists; use --force" in capsys.readouterr().err
    assert path.read_text() == "# mine\n"
    assert main(["init", str(path), "--force", "--mode", "notice", "--secret-env", "MY_KEY"]) == 0
    text = path.read_text()
    assert 'mode = "notice"' in text and 'secret_key_env = "MY_KEY"' in text and "\n[[categories]]" not in text


def test_init_into_a_directory_and_bad_names(tmp_path, capsys):
    assert main(["init", str(tmp_path)]) == 0
    assert (tmp_path / "consent.toml").is_file()
    assert main(["init", str(tmp_path / "x.toml"), "--secret-env", "not a name"]) == 2
    assert "not an environment variable name" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "missing" / "x.toml")]) == 1


def test_check_prints_the_effective_configuration_with_the_secret_masked(tmp_path, capsys, secret_env):
    assert main(["check", write(tmp_path, GOOD)]) == 0
    out = capsys.readouterr().out
    assert SECRET not in out
    assert "secret_key = ********  # 1 key(s) of 43 characters, from $SITE_SECRET" in out
    assert 'mode = "opt-in"' in out and "max_age = 15552000  # 180 days" in out
    assert "_ga                    analytics    Google Analytics (13 months)" in out
    assert "no warnings" in out


def test_check_without_the_secret_here_warns_but_validates(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SITE_SECRET", raising=False)
    assert main(["check", write(tmp_path, GOOD)]) == 0
    out = capsys.readouterr().out
    assert "secret_key = (not here)" in out
    assert "warning: the environment variable SITE_SECRET is not set here" in out
    assert "SITE_SECRET" not in os.environ  # the stand-in is gone again


def test_check_warns_about_a_secret_in_the_file(tmp_path, capsys):
    assert main(["check", write(tmp_path, f'secret_key = "{SECRET}"\n')]) == 0
    out = capsys.readouterr().out
    assert "warning: secret_key is written in the file" in out and SECRET not in out


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ('[[categories]]\nkey = "analytics"\n', "category 'marketing' declares no cookies"),
        ("", "category 'analytics' declares no cookies"),
        (
            '[[cookies]]\nname = "_ga"\ncategory = "necessary"\nprovider = "Us"\npurpose = "x"\nduration = "1 day"\n',
            "cookie '_ga' is declared as 'necessary', but the tracker table lists it for Google Analytics"
            " ('analytics')",
        ),
        ('mode = "opt-out"\n', "mode 'opt-out' lets trackers run before a choice"),
    ],
)
def test_check_warnings(tmp_path, capsys, secret_env, text, warning):
    path = write(tmp_path, 'secret_key_env = "SITE_SECRET"\n' + text)
    assert main(["check", "--quiet", path]) == 0
    assert main(["check", "--quiet", "--strict", path]) == 1
    out = capsys.readouterr().out
    assert f"warning: {warning}" in out
    if text.startswith("[[categories]]"):  # one category declared: the one the tracker table needs is added
        assert "note: categories: added marketing, used by the tracker table" in out
    assert "effective" not in out and "mode =" not in out  # --quiet: warnings only


def test_the_tracker_warning_follows_tracker_categories(tmp_path, capsys, secret_env):
    text = GOOD.replace('key = "marketing"', 'key = "ads"\ntitle = "Ads"').replace('"marketing"', '"ads"')
    text = 'tracker_categories = { marketing = "ads" }\n' + text
    assert main(["check", "--strict", write(tmp_path, text)]) == 0, capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('mode = "maybe"\n', "consent.toml: mode: 'maybe' is not one of opt-in, opt-out, notice"),
        (
            '[[cookies]]\nname = "_ga"\ncategory = "stats"\nprovider = "G"\npurpose = "x"\nduration = "1 day"\n',
            "consent.toml: cookies[0].category: 'stats' is not a declared category",
        ),
        ("mode = \n", "not valid TOML"),
        ("colour = 1\n", "colour: unknown key"),
        ('secret_key = "short"\n', "consent.toml: secret_key: too short"),
    ],
)
def test_check_fails_on_errors_naming_the_key(tmp_path, capsys, text, error):
    assert main(["check", write(tmp_path, text)]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("error: ") and error in captured.err and "valid" not in captured.out


def test_check_of_a_missing_file(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.toml")]) == 1
    assert "file not found" in capsys.readouterr().err


def test_secret_prints_a_new_key_each_time(capsys):
    assert main(["secret"]) == 0 and main(["secret"]) == 0
    first, second = capsys.readouterr().out.split()
    assert len(first) == 43 and first != second
    ConsentConfig(secret_key=first)  # long enough for the server


def test_every_command_has_help(capsys):
    for command in ("init", "check", "secret", "scan", "version"):
        with pytest.raises(SystemExit) as exit:
            main([command, "--help"])
        assert exit.value.code == 0
        assert f"usage: consent {command}" in capsys.readouterr().out


def test_the_console_script_runs_init_and_check(tmp_path):
    script = Path(sys.executable).with_name("consent")
    if not script.exists():
        pytest.skip(f"no console script next to {sys.executable}: pip install -e .")
    env = {**os.environ, "CONSENT_SECRET": SECRET}
    run = subprocess.run([script, "init"], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0 and "CONSENT_SECRET=" in run.stdout, run.stderr
    run = subprocess.run([script, "check", "consent.toml"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert run.returncode == 0 and "consent.toml: valid" in run.stdout, run.stderr
    module = subprocess.run([sys.executable, "-m", "consent", "version"], cwd=ROOT, capture_output=True, text=True)
    assert module.returncode == 0 and module.stdout.startswith("asgi-consent ")


def test_check_reports_what_the_middleware_refuses_at_startup(tmp_path, capsys, monkeypatch, secret_env):
    from consent import ConfigError, _middleware

    def refuse(self, app, config):
        raise ConfigError("tracker_categories", "marketing trackers have no category")

    monkeypatch.setattr(_middleware.ConsentMiddleware, "__init__", refuse)
    assert main(["check", write(tmp_path, GOOD)]) == 1
    assert "error: tracker_categories: marketing trackers have no category" in capsys.readouterr().err


def test_check_never_shows_a_traceback(tmp_path, capsys, monkeypatch, secret_env):
    from consent import _config

    def broken(*args, **kwargs):
        raise KeyError("surprise")

    monkeypatch.setattr(_config.ConsentConfig, "from_toml", broken)
    assert main(["check", write(tmp_path, GOOD)]) == 1
    assert "KeyError: 'surprise'" in capsys.readouterr().err


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    """``consent check consent.toml | head -1``: the reader is gone before the command has written everything
    (here before it writes anything, so that the test does not depend on timing)."""
    (tmp_path / "consent.toml").write_text(GOOD)
    code = "import sys\nfrom consent._cli import main\nsys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "CONSENT_SECRET": SECRET, "PYTHONPATH": str(ROOT)}
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        run = subprocess.run(
            [sys.executable, "-c", code, "check", "consent.toml"],
            cwd=tmp_path, stdout=write_end, stderr=subprocess.PIPE, env=env, timeout=60,
        )  # fmt: skip
    finally:
        os.close(write_end)
    err = run.stderr.decode()
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert run.returncode == 141
