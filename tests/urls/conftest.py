"""The browser fixtures of tests/browser (Debian's Chromium through Playwright), for the reference tests here."""

from __future__ import annotations

from tests.browser.conftest import browser, pytest_collection_modifyitems  # noqa: F401
