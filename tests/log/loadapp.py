"""The app the load and fault tests serve with uvicorn (``tests.log.loadapp:app``), configured from the
environment: ``CONSENT_LOG`` (unset: no log), ``CONSENT_LOG_SPOOL``, ``CONSENT_LOG_TIMEOUT``.

Each uvicorn worker asks the kernel to kill it when its parent (the uvicorn supervisor) dies, so no worker
outlives a test, even one whose supervisor was killed with SIGKILL.
"""

from __future__ import annotations

import ctypes
import os
import signal

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse
from starlette.routing import Route

from consent import ConsentConfig, ConsentMiddleware

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


_die_with_parent()
if os.environ.get("CONSENT_LOG_VERBOSE"):  # the log's INFO lines too (replay attempts), for diagnosis
    import logging

    logging.basicConfig(level=logging.INFO, format="%(process)d %(asctime)s %(name)s %(message)s")


async def home(request):  # type: ignore[no-untyped-def]
    return HTMLResponse("<!DOCTYPE html><html><head><title>Load</title></head><body><p>Hello</p></body></html>")


def _config() -> ConsentConfig:
    options = {}
    if os.environ.get("CONSENT_LOG"):
        options["consent_log"] = os.environ["CONSENT_LOG"]
        options["consent_log_spool"] = os.environ.get("CONSENT_LOG_SPOOL") or None
        options["consent_log_timeout"] = float(os.environ.get("CONSENT_LOG_TIMEOUT", "1.0"))
    return ConsentConfig(secret_key="load-test-secret-0123456789-abcdefghijklmnop", locales=["en", "de"], **options)


app = Starlette(routes=[Route("/", home)], middleware=[Middleware(ConsentMiddleware, config=_config())])
