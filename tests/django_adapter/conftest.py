"""Django for these tests: pytest's own process is configured with the test project's settings (the example
site's, plus two views), so that django.test.Client and AsyncClient run in-process; the servers (runserver,
gunicorn, uvicorn) run the same project in subprocesses, on loopback, from a temporary directory."""

from __future__ import annotations

import importlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .._lifetime import die_with_test

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.django_adapter.project.settings"

try:
    import django
except ImportError:  # the modules here skip, with the reason
    django = None  # type: ignore[assignment]

if django is not None:
    from django.conf import settings

    if not settings.configured:
        module = importlib.import_module(SETTINGS)
        settings.configure(**{name: getattr(module, name) for name in dir(module) if name.isupper()})
        django.setup()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(argv: list[str], url: str, cwd: Path) -> subprocess.Popen[str]:
    """Start a server (the test project on ``PYTHONPATH``) and wait until ``url`` answers."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": SETTINGS, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=die_with_test()
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return proc
        except OSError as exc:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"server did not start: {proc.communicate()[0]}") from exc
            time.sleep(0.1)


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
    assert proc.stdout is not None
    proc.stdout.close()


@pytest.fixture(params=["runserver", "gunicorn", "uvicorn"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The test project under ``manage.py runserver`` (WSGI), gunicorn (a WSGI server, threaded) and uvicorn
    (ASGI), each on a free loopback port."""
    port = free_port()
    kind = request.param
    if kind == "gunicorn":
        pytest.importorskip("gunicorn", reason="gunicorn is not installed (pip install -e '.[test]')")
    project = "tests.django_adapter.project"
    argv = {
        "runserver": ["-m", "django", "runserver", "--noreload", f"127.0.0.1:{port}"],
        "gunicorn": ["-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--threads", "4", f"{project}.wsgi"],
        "uvicorn": ["-m", "uvicorn", "--host", "127.0.0.1", "--port", str(port), f"{project}.asgi:application"],
    }[kind]
    url = f"http://127.0.0.1:{port}"
    proc = start([sys.executable, *argv], url + "/api/consent-summary", tmp_path)
    yield url
    stop(proc)
