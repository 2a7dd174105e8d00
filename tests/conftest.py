"""Shared fixtures: `make_app(**config_overrides)`, `client(app)` and the `secret` they sign with.

Fixtures rather than importable helpers: ``from conftest import ...`` would pick whichever conftest module was
loaded last (tests/browser/ has its own).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from consent import ConsentConfig, ConsentMiddleware

SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"

PAGE = (
    '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Home</title></head>\n'
    "<body><h1>Hello</h1><p>Some content.</p></body>\n</html>\n"
)
# Rendering every shipped locale at startup costs ~80 ms per app; the HTTP tests read English text anyway.
_FAST = {"locales": ["en"]} if "locales" in {f.name for f in fields(ConsentConfig)} else {}


@pytest.fixture
def secret() -> str:
    return SECRET


@pytest.fixture
def make_app(secret: str) -> Callable[..., Starlette]:
    """A Starlette app behind the middleware: `/` serves a full HTML page, `/json` the scope's consent state."""

    def make_app(**overrides: Any) -> Starlette:
        config = ConsentConfig(**{"secret_key": secret, **_FAST, **overrides})

        async def page(request: Request) -> HTMLResponse:
            return HTMLResponse(PAGE)

        async def state(request: Request) -> JSONResponse:
            consent = request.scope["consent"]
            return JSONResponse({"decided": consent.decided, "categories": dict(consent.categories)})

        return Starlette(
            routes=[Route("/", page), Route("/json", state)],
            middleware=[Middleware(ConsentMiddleware, config=config)],
        )

    return make_app


@pytest.fixture
def client() -> Callable[..., TestClient]:
    """`client(app, **kwargs)`: a TestClient that does not follow redirects (so 303s can be inspected)."""

    def client(app: Any, **kwargs: Any) -> TestClient:
        kwargs.setdefault("follow_redirects", False)
        return TestClient(app, **kwargs)

    return client
