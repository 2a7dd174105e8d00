"""Where `ConsentMiddleware` is installed: refused at startup where its own endpoints could not be reached.

Litestar runs route middleware (``middleware=[DefineMiddleware(ConsentMiddleware, ...)]``) only for requests
that match one of the app's routes, so ``/consent``, the policy and settings pages and the assets would all
answer 404 (an unstyled banner whose Accept shows ``{"status_code":404}``). Litestar builds that middleware at
startup, around its own internal handler apps: that is what is detected here.
"""

from __future__ import annotations

from typing import Any

from ._errors import ConfigError

LITESTAR_RECIPE = (
    "installed as Litestar route middleware (DefineMiddleware), where /consent, the policy and settings pages "
    "and the banner's assets cannot be reached (Litestar runs it only for the app's own routes). Wrap the "
    "whole app instead: app = ConsentMiddleware(Litestar(route_handlers=[...]), config=config)"
)


def check_placement(app: Any) -> None:
    """Raise `ConfigError` when ``app`` is one of Litestar's per-route handler apps."""
    module = type(app).__module__ or ""
    if module.startswith("litestar.") and module != "litestar.app":
        raise ConfigError("ConsentMiddleware", LITESTAR_RECIPE)
