"""The wheel ships what a site needs at run time: compiled catalogs, templates, assets and the tracker table."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_compiled_catalogs_templates_assets_and_data(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("asgi_consent-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    languages = sorted(p.name for p in (ROOT / "locales").iterdir() if (p / "LC_MESSAGES" / "consent.po").is_file())
    assert len(languages) >= 41
    for lang in languages:
        assert f"consent/locales/{lang}/LC_MESSAGES/consent.mo" in names, lang
    for name in (
        "consent/data/trackers.json",
        "consent/static/consent.js",
        "consent/static/consent.css",
        "consent/templates/_banner.html",
        "consent/templates/policy.html",
        "consent/py.typed",
        # consent init's template and the scanner's page scripts and report template.
        "consent/_cli/consent.toml.in",
        "consent/_scan/recorder.js",
        "consent/_scan/banner.js",
        "consent/_scan/report.html",
    ):
        assert name in names
    assert not any(n.endswith(".po") for n in names)  # sources stay in the sdist
