"""FastAPI integration: the visitor's consent as a typed dependency.

    from consent.fastapi import Consent

    @app.get("/article")
    async def article(consent: Consent):
        return {"ads": consent.allows("marketing")}

``Consent`` is ``Annotated[ConsentState, Depends(consent_state)]``. Without `ConsentMiddleware` in front of
the app the dependency raises `MiddlewareMissing`, whose message says how to install it. FastAPI's own
``/docs`` and ``/redoc`` pages are HTML: list them in ``exclude_paths`` (see ``docs_paths``) so they get no
banner. Needs the ``fastapi`` package (``pip install "asgi-consent[fastapi]"``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from ._site import MiddlewareMissing
from ._site import consent_state as _state
from ._state import ConsentState

__all__ = ["Consent", "MiddlewareMissing", "consent_state", "docs_paths"]


def consent_state(request: Request) -> ConsentState:
    """The visitor's `ConsentState` (a FastAPI dependency)."""
    return _state(request)


Consent = Annotated[ConsentState, Depends(consent_state)]


def docs_paths(app: Any) -> list[str]:
    """The paths of FastAPI's interactive documentation (``/docs``, ``/redoc`` and their OAuth2 redirect), for
    ``exclude_paths``: they need no banner."""
    paths = [app.docs_url, app.redoc_url, getattr(app, "swagger_ui_oauth2_redirect_url", None)]
    return [p for p in paths if p]
