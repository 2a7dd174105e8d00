"""``{% load consent %}``: links to the consent settings and the policy, for the site's own footer.

    <a href="{% consent_settings_url %}">Cookie settings</a> · <a href="{% consent_policy_url %}">Privacy</a>

The settings link comes back to the current page (or to ``next``: ``{% consent_settings_url next="/" %}``), in
the page's language. Set ``reopen_link: False`` in ``CONSENT`` when this link replaces the middleware's own.
"""

from __future__ import annotations

from typing import Any

from django import template

from ..._site import policy_url, settings_url
from .._middleware import language

register = template.Library()


def _request(context: Any) -> Any:
    request = context.get("request")
    if request is None:
        raise template.TemplateSyntaxError(
            "{% consent_settings_url %} and {% consent_policy_url %} need the request in the template context: "
            "render with a request (render(request, ...)) and keep django.template.context_processors.request"
        )
    language(request)
    return request


@register.simple_tag(takes_context=True)  # type: ignore[untyped-decorator]
def consent_settings_url(context: Any, next: str | None = None) -> str:
    """The settings page's URL, coming back to ``next`` (default: the current page)."""
    return settings_url(_request(context), next)


@register.simple_tag(takes_context=True)  # type: ignore[untyped-decorator]
def consent_policy_url(context: Any) -> str:
    """The policy page's URL (``read_more_url``, else ``policy_path``)."""
    return policy_url(_request(context))
