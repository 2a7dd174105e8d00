"""What the app's own code and templates can ask of the middleware for the current request: the visitor's
state, the settings and policy URLs, and the pages as fragments to render inside the app's own layout.

Every function takes the request of any ASGI framework (anything with a ``scope``: Starlette, FastAPI,
Litestar, Quart), a Django ``HttpRequest`` that passed `consent.django.ConsentMiddleware` (its
``consent_scope``), or the scope itself.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from markupsafe import Markup

from ._state import ConsentState

if TYPE_CHECKING:
    from ._endpoints import Endpoints, Request

MISSING = (
    "ConsentMiddleware is not installed in front of this app: no consent state on the request. Add it with "
    "app.add_middleware(ConsentMiddleware, config=...) (Starlette, FastAPI), wrap the ASGI app "
    "(Litestar, Quart: see the README's Frameworks section), add consent.django.ConsentMiddleware to MIDDLEWARE "
    "(Django), or check exclude_paths."
)


class MiddlewareMissing(RuntimeError):
    """Raised when a helper finds no `ConsentMiddleware` in front of the app that serves the request."""


def scope_of(request: Any) -> MutableMapping[str, Any]:
    scope = getattr(request, "consent_scope", None)  # a Django request, set by consent.django's middleware
    if scope is None:
        scope = getattr(request, "scope", None) if hasattr(request, "scope") else request
    if not isinstance(scope, MutableMapping):
        raise TypeError(f"expected a request with a .scope (or an ASGI scope), got {type(request).__name__}")
    return scope


def consent_state(request: Any) -> ConsentState:
    """The visitor's `ConsentState` for this request; raises `MiddlewareMissing` if the middleware is absent."""
    state = scope_of(request).get("consent")
    if not isinstance(state, ConsentState):
        raise MiddlewareMissing(MISSING)
    return state


def _endpoints(scope: Mapping[str, Any]) -> Endpoints:
    found = scope.get("consent.endpoints")
    if found is None:
        raise MiddlewareMissing(MISSING)
    return found  # type: ignore[no-any-return]


def _request(scope: MutableMapping[str, Any]) -> Request:
    from ._endpoints import Request

    root_path = scope.get("root_path", "")
    path = scope.get("path", "/")
    if root_path and path.startswith(root_path):
        path = path[len(root_path) :] or "/"
    return Request(scope, path, root_path, consent_state(scope))


def _locale(scope: MutableMapping[str, Any]) -> str:
    """The language of the app's page: ``scope["consent.locale"]`` when the app set it, else as our pages
    choose (``?lang=``, then ``Accept-Language``)."""
    endpoints = _endpoints(scope)
    explicit = scope.get("consent.locale")
    if isinstance(explicit, str) and (found := endpoints.negotiator.match(explicit)):
        return found
    return endpoints.page_locale(_request(scope))


def _here(scope: Mapping[str, Any]) -> str:
    root_path, path = scope.get("root_path", ""), scope.get("path", "/")
    if root_path and not path.startswith(root_path):  # servers that leave root_path out of path (older ASGI)
        path = root_path + path
    query = scope.get("query_string", b"")
    return quote(path) + ("?" + query.decode("latin-1") if query else "")


def settings_url(request: Any, next: str | None = None) -> str:
    """The settings page's URL, coming back to ``next`` (default: the current page), in the page's language."""
    scope = scope_of(request)
    endpoints = _endpoints(scope)
    locale = _locale(scope)
    back = quote(next or _here(scope), safe="")
    url = f"{scope.get('root_path', '')}{endpoints.config.prefix}/settings?next={back}"
    return url if locale == endpoints.config.default_locale else url + "&lang=" + quote(locale)


def policy_url(request: Any) -> str:
    """The policy page's URL (``read_more_url``, else ``policy_path``), in the page's language."""
    scope = scope_of(request)
    endpoints = _endpoints(scope)
    return str(endpoints.renderer.context(_locale(scope), scope.get("root_path", ""))["policy_url"])


def policy_html(request: Any) -> Markup:
    """The policy page's content (with its stylesheet link) for the app to render inside its own page."""
    scope = scope_of(request)
    endpoints = _endpoints(scope)
    page = endpoints.policy_page(_request(scope), _locale(scope))
    return page.head + page.body


def settings_html(request: Any) -> Markup:
    """The settings form (with its stylesheet link) for the app to render inside its own page; ``?next=``
    of the request says where the form returns."""
    scope = scope_of(request)
    endpoints = _endpoints(scope)
    page = endpoints.settings_page(_request(scope), _locale(scope))
    return page.head + page.body
