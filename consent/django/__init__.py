"""Django integration: cookie consent in every way Django runs (``runserver`` and WSGI servers, ASGI, the test
clients), over the same core as the ASGI middleware.

settings.py::

    INSTALLED_APPS = [..., "consent.django"]          # the {% load consent %} tags and the system checks
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.gzip.GZipMiddleware",      # compression outside …
        "consent.django.ConsentMiddleware",           # … consent inside: it must see plain HTML
        ...
    ]
    CONSENT = {"secret_key": os.environ["CONSENT_SECRET"], "policy_version": "2026-11"}
    # or CONSENT_TOML = BASE_DIR / "consent.toml" (CONSENT then overrides and adds to the file)
    TEMPLATES = [{..., "OPTIONS": {"context_processors": [..., "consent.django.context_processor"]}}]

Views read ``request.consent`` (a `ConsentState`); templates write ``{% load consent %}<a href="{%
consent_settings_url %}">Cookie settings</a>``. Needs Django (``pip install "asgi-consent[django]"``).
"""

from __future__ import annotations

from ._helpers import context_processor, template_layout
from ._middleware import ConsentMiddleware
from ._settings import get_config

__all__ = ["ConsentMiddleware", "context_processor", "get_config", "template_layout"]
