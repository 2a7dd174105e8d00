"""System checks (``manage.py check``, and ``runserver`` before it starts): the configuration is valid, and
the middleware sits where it can see plain HTML."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from .._errors import ConfigError
from ._settings import get_core

OURS = "consent.django.ConsentMiddleware"
ASGI_ONLY = ("consent.ConsentMiddleware", "consent._middleware.ConsentMiddleware")
COMPRESSORS = ("django.middleware.gzip.GZipMiddleware",)


@checks.register(checks.Tags.compatibility)  # type: ignore[untyped-decorator]
def check_consent(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    try:
        get_core()
    except ConfigError as error:
        errors.append(checks.Error(str(error), hint="See the README's Configuration section.", id="consent.E001"))
    middleware = list(getattr(settings, "MIDDLEWARE", None) or ())
    for name in ASGI_ONLY:
        if name in middleware:
            errors.append(
                checks.Error(
                    f"{name} is the ASGI middleware, not a Django one.",
                    hint=f"List {OURS!r} in MIDDLEWARE, or wrap the ASGI application in asgi.py.",
                    id="consent.E002",
                )
            )
    if OURS in middleware:
        inside = middleware[middleware.index(OURS) + 1 :]
        for name in COMPRESSORS:
            if name in inside:
                errors.append(
                    checks.Warning(
                        f"{name} is listed after {OURS}: pages reach it compressed, so they get no banner "
                        "(and their gated trackers stay inert).",
                        hint=f"List {name!r} before {OURS!r}.",
                        id="consent.W001",
                    )
                )
    return errors
