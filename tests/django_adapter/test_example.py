"""The Django example's own tests (gazette/tests.py, consent.testing with Django's test clients), run as a
user of the library would run them: ``python examples/django_site/manage.py test gazette``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("django", reason="Django is not installed (pip install -e '.[test]')")

ROOT = Path(__file__).resolve().parents[2]


def test_the_example_sites_own_tests_pass(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples/django_site/manage.py"), "test", "gazette", "-v", "2"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Ran 5 tests" in result.stderr and "\nOK" in result.stderr
    assert "test_the_async_client_too" in result.stderr
