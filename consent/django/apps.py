"""The ``consent.django`` app: its template tags (``{% load consent %}``) and system checks."""

from __future__ import annotations

from django.apps import AppConfig


class ConsentAppConfig(AppConfig):  # type: ignore[misc]
    name = "consent.django"
    label = "asgi_consent"  # not "consent": a site may well have an app of that name
    verbose_name = "Cookie consent"

    def ready(self) -> None:
        from . import _checks  # noqa: F401  (registers the checks)
