"""What ships: the wheel carries the compiled scanner, catalogs, templates, assets and the tracker table; the sdist
builds a working wheel on its own, and without a C compiler that wheel runs on the pure-Python scanner."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP_WHEEL = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]


def test_wheel_contains_the_scanner_compiled_catalogs_templates_assets_and_data(tmp_path):
    subprocess.run([*PIP_WHEEL, str(ROOT), "-w", str(tmp_path)], check=True, capture_output=True)
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
        "consent/static/guard.js",  # the client guard, its host table written in at startup
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
    assert any(n.startswith("consent/_html/_cscan.") and n.endswith((".so", ".pyd")) for n in names)
    assert not any(n.endswith((".po", ".c")) for n in names)  # sources stay in the sdist


def test_the_sdist_builds_a_pure_python_wheel_without_a_compiler(tmp_path):
    build = f"from setuptools import build_meta; print(build_meta.build_sdist({str(tmp_path)!r}))"
    out = subprocess.run([sys.executable, "-c", build], cwd=ROOT, check=True, capture_output=True, text=True)
    sdist = tmp_path / out.stdout.strip().splitlines()[-1]
    with tarfile.open(sdist) as tar:
        names = tar.getnames()
        tar.extractall(tmp_path / "src", filter="data")
    assert any(n.endswith("consent/_html/_cscan.c") for n in names)
    parts = {p.name for p in (ROOT / "consent/_html/_cscan_src").glob("*.c")}
    assert parts and parts <= {n.rsplit("/", 1)[-1] for n in names if "/_cscan_src/" in n}
    assert any(n.endswith("locales/de/LC_MESSAGES/consent.po") for n in names)
    assert not any("/benchmarks/" in n or n.endswith(".so") for n in names)
    (source,) = (tmp_path / "src").iterdir()
    env = {**os.environ, "CC": "/bin/false", "LDSHARED": "/bin/false"}
    build = [*PIP_WHEEL[:-1], "-v", str(source), "-w", str(tmp_path)]  # -v: the build's own output
    done = subprocess.run(build, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "pure-Python scanner" in done.stdout + done.stderr  # the note says what happened and what to do
    (wheel,) = tmp_path.glob("asgi_consent-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "consent/locales/de/LC_MESSAGES/consent.mo" in names
    assert not any("_cscan." in n for n in names)


def test_a_release_build_fails_rather_than_ship_a_pure_wheel(tmp_path):
    # cibuildwheel sets CONSENT_REQUIRE_COMPILED=1: without a working compiler the build must stop there.
    argv = [sys.executable, "setup.py", "-q", "build_ext", "--build-lib", str(tmp_path), "--build-temp", str(tmp_path)]
    env = {**os.environ, "CC": "/bin/false", "LDSHARED": "/bin/false"}
    optional = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
    assert optional.returncode == 0 and "pure-Python scanner" in optional.stderr
    required = subprocess.run(
        argv, cwd=ROOT, env={**env, "CONSENT_REQUIRE_COMPILED": "1"}, capture_output=True, text=True
    )
    assert required.returncode != 0
    assert not list(tmp_path.rglob("_cscan*.so"))
    # Nor may the switch that forces the pure scanner (for tests) turn a release build pure.
    both = {**os.environ, "CONSENT_PURE_PYTHON": "1", "CONSENT_REQUIRE_COMPILED": "1"}
    contradiction = subprocess.run(argv, cwd=ROOT, env=both, capture_output=True, text=True)
    assert contradiction.returncode != 0 and "both set" in contradiction.stderr
