"""`ConsentMiddleware` for Django: the core's visitor, endpoints and rewriting, in every way Django runs."""

from __future__ import annotations

import logging
import weakref
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase

from .._core import Core
from .._endpoints import Request
from .._state import ConsentState
from ._bridge import request_scope
from ._rewrite import rewrite
from ._serve import aserve, serve
from ._settings import get_core

logger = logging.getLogger("consent")


@dataclass(frozen=True)
class _Visit:
    core: Core
    scope: dict[str, Any]
    state: ConsentState
    endpoint: Request | None  # the request is for one of the middleware's own endpoints
    rewrite: bool  # the response is ours to plan (not an excluded path)


class ConsentMiddleware:
    """Cookie consent for a Django site: the same banner, gating, cookie filtering, headers and endpoints as
    the ASGI `consent.ConsentMiddleware`, under ``runserver`` and any WSGI server, under ASGI, and in
    ``django.test.Client`` and ``AsyncClient``.

    Add ``"consent.django.ConsentMiddleware"`` to ``MIDDLEWARE`` after ``GZipMiddleware`` (it must see plain
    HTML) and before the middleware that may set tracking cookies; configure it with ``CONSENT = {...}`` or
    ``CONSENT_TOML = path`` in the settings (validated when the middleware is loaded). Views read
    ``request.consent`` (a `ConsentState`); ``/consent``, the settings and policy pages and the assets are
    answered before Django's URL resolver. Django's ``request.LANGUAGE_CODE`` (LocaleMiddleware) chooses the
    banner's language, as the app's choice.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        get_core()  # a wrong configuration fails here, when the server loads the middleware
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self._acall(request)
        visit = _visit(request)
        if visit is None:
            return self.get_response(request)
        if visit.endpoint is not None:
            return serve(visit.core, request, visit.endpoint)
        response = self.get_response(request)
        if visit.rewrite:
            _rewrite(visit, request, response)
        return response

    async def _acall(self, request: HttpRequest) -> HttpResponseBase:
        get_response: Callable[[HttpRequest], Awaitable[HttpResponseBase]] = self.get_response
        visit = _visit(request)
        if visit is None:
            return await get_response(request)
        if visit.endpoint is not None:
            return await aserve(visit.core, request, visit.endpoint)
        response = await get_response(request)
        if visit.rewrite:
            _rewrite(visit, request, response)
        return response


def _visit(request: HttpRequest) -> _Visit | None:
    """Read the visitor and put the state on the request; None when an outer ASGI `ConsentMiddleware` (the
    asgi.py recipe) already does everything."""
    outer = getattr(request, "scope", None)
    if isinstance(outer, Mapping) and isinstance(outer.get("consent"), ConsentState):
        request.consent = outer["consent"]
        request.consent_scope = outer
        return None
    core = get_core()
    scope = request_scope(request)
    state, dnt = core.visitor.read(scope)
    scope["consent"] = state
    scope["consent.endpoints"] = core.endpoints  # for the helpers: consent.policy_html, the template tags
    scope["consent.django_request"] = weakref.ref(request)  # for template_layout (a weak one: no cycle)
    request.consent = state
    request.consent_scope = scope
    path = request.path_info or "/"
    if core.endpoints.handles(path):
        return _Visit(core, scope, state, Request(scope, path, scope["root_path"], state, dnt), False)
    return _Visit(core, scope, state, None, not (core.exclude and path.startswith(core.exclude)))


def language(request: HttpRequest) -> None:
    """Django's active language for this request (``request.LANGUAGE_CODE``, set by LocaleMiddleware) as the
    app's choice of the consent UI's language, unless the app chose one itself."""
    scope = getattr(request, "consent_scope", None)
    code = getattr(request, "LANGUAGE_CODE", None)
    if isinstance(code, str) and code and scope is not None and "consent.locale" not in scope:
        scope["consent.locale"] = code


def _rewrite(visit: _Visit, request: HttpRequest, response: HttpResponseBase) -> None:
    language(request)
    rewrite(visit.core, visit.scope, visit.state, response)
