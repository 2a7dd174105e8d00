"""For the site's own templates and pages: a context processor, and the policy and settings pages laid out
by one of the site's Django templates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from .._i18n import bcp47, is_rtl
from .._site import _locale, consent_state, policy_url, scope_of, settings_url
from ._middleware import language


def context_processor(request: HttpRequest) -> dict[str, Any]:
    """``consent_state``, ``consent_settings_url`` and ``consent_policy_url`` in every template (the names of
    `consent.jinja`). Django templates call them when used: ``{{ consent_settings_url }}``, ``{% if
    consent_state.categories.marketing %}``. Add ``"consent.django.context_processor"`` to the template
    engine's ``context_processors``."""

    def state() -> Any:
        return consent_state(request)

    def settings_link() -> str:
        language(request)
        return settings_url(request)

    def policy_link() -> str:
        language(request)
        return policy_url(request)

    return {"consent_state": state, "consent_settings_url": settings_link, "consent_policy_url": policy_link}


def template_layout(template_name: str) -> Callable[[Any, str, str], str]:
    """A ``layout`` that puts the policy and settings pages into one of the site's Django templates:
    ``CONSENT = {..., "layout": template_layout("consent_page.html")}``.

    The template gets ``consent_title``, ``consent_body`` (the page, already HTML), ``consent_lang`` and
    ``consent_dir`` (the page's language), and what the site's context processors give (it is rendered with
    the request); our stylesheet is added to its ``<head>``."""

    def layout(request: Any, title: str, body_html: str) -> str:
        scope = scope_of(request)
        lang = _locale(scope)
        context = {
            "consent_title": title,
            "consent_body": mark_safe(str(body_html)),  # our own page, escaped when rendered
            "consent_lang": bcp47(lang),
            "consent_dir": "rtl" if is_rtl(lang) else "ltr",
        }
        owner = scope.get("consent.django_request")
        html: str = get_template(template_name).render(context, owner() if owner is not None else None)
        return html

    return layout
