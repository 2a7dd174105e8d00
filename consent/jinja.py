"""Jinja2 integration: the visitor's consent and the settings and policy URLs in every template, for sites
that put a "Cookie settings" link in their own footer.

With Starlette's or FastAPI's ``Jinja2Templates``, a context processor::

    templates = Jinja2Templates(directory="templates", context_processors=[consent.jinja.context_processor])

or, with any Jinja2 environment whose templates get ``request`` in their context (Starlette, Litestar, Quart
with ``request`` passed), globals::

    consent.jinja.install(templates.env)

Either way templates can write::

    <a href="{{ consent_settings_url() }}">Cookie settings</a> · <a href="{{ consent_policy_url() }}">Privacy</a>
    {% if consent_state().allows("marketing") %}…{% endif %}

The settings link comes back to the page it was clicked on, in the page's language. Set
``ConsentConfig(reopen_link=False)`` when the footer link replaces the middleware's own reopen link.
"""

from __future__ import annotations

from typing import Any

import jinja2

from ._site import consent_state, policy_url, settings_url
from ._state import ConsentState

__all__ = ["context_processor", "install"]


def context_processor(request: Any) -> dict[str, Any]:
    """``consent_state``, ``consent_settings_url`` and ``consent_policy_url`` for the template (as callables,
    like the globals of `install`, so the same templates work with both)."""
    return {
        "consent_state": lambda: consent_state(request),
        "consent_settings_url": lambda next=None: settings_url(request, next),
        "consent_policy_url": lambda: policy_url(request),
    }


@jinja2.pass_context
def _state(context: Any) -> ConsentState:
    return consent_state(context["request"])


@jinja2.pass_context
def _settings_url(context: Any, next: str | None = None) -> str:
    return settings_url(context["request"], next)


@jinja2.pass_context
def _policy_url(context: Any) -> str:
    return policy_url(context["request"])


def install(env: jinja2.Environment) -> jinja2.Environment:
    """Add ``consent_state()``, ``consent_settings_url(next=None)`` and ``consent_policy_url()`` to ``env``'s
    globals; they read ``request`` from the template's context. Returns ``env``."""
    env.globals.update(consent_state=_state, consent_settings_url=_settings_url, consent_policy_url=_policy_url)
    return env
