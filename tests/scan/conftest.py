"""Fixtures for the scanner's tests: configurations, reports built by hand, and (for the browser tests) the
two example sites served on loopback."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from consent import ConsentConfig
from tests.browser.conftest import CHROMIUM, free_port, serve

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s" * 40
FAST = {"wait": 200, "quiet": 150}  # settle times for loopback pages whose scripts all run at load


def pytest_collection_modifyitems(config, items):
    missing = None
    if not Path(CHROMIUM).exists():
        missing = f"{CHROMIUM} not found: apt-get install chromium (see .ci/run)"
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            missing = "Playwright is not installed: pip install -e '.[scan]'"
    if missing is None:
        return
    if os.environ.get("CONSENT_REQUIRE_BROWSER"):
        raise pytest.UsageError(missing)
    for item in items:
        if "browser" in item.keywords and "tests/scan" in str(item.path):
            item.add_marker(pytest.mark.skip(reason=missing))


def config_from(tmp_path: Path, text: str) -> ConsentConfig:
    path = tmp_path / "consent.toml"
    path.write_text(text, encoding="utf-8")
    return ConsentConfig.from_toml(path, secret_key=SECRET)


def _site(script: str) -> tuple[str, object]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    proc = serve([sys.executable, script, "--port", str(port)], url)
    return url, proc


@pytest.fixture(scope="module")
def news_site():
    url, proc = _site("examples/news_site/app.py")
    yield url
    proc.terminate()
    proc.wait(10)
    proc.stdout.close()


@pytest.fixture(scope="module")
def leaky_site():
    url, proc = _site("examples/leaky_site/app.py")
    yield url
    proc.terminate()
    proc.wait(10)
    proc.stdout.close()
