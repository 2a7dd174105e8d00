"""Helpers for the tests of a site that uses asgi-consent: give a test client a visitor's choice.

    from consent.testing import consent_cookie, set_consent

    client = TestClient(app, cookies=consent_cookie(config, ["analytics"]))   # a visitor who allowed analytics
    set_consent(client, config, "all")                                         # … who accepted everything
    set_consent(client, config, [])                                            # … who rejected everything
    clear_consent(client, config)                                              # … who has not chosen yet

The cookie is signed with the configuration's key exactly as ``POST /consent`` would sign it, so the
middleware treats the request as it would a real visitor's (banner gone, trackers of those categories live).

With Django (``django.test.Client``, ``AsyncClient``) the configuration can be left out: it is the one the
settings describe (``CONSENT``, ``CONSENT_TOML``)::

    set_consent(client, categories=["analytics"])
"""

from __future__ import annotations

from collections.abc import Iterable
from http.cookies import BaseCookie
from typing import Any

from ._config import NECESSARY, ConsentConfig
from ._cookie import ConsentCookie
from ._errors import did_you_mean

__all__ = ["clear_consent", "consent_cookie", "set_consent"]


def _config(config: ConsentConfig | None) -> ConsentConfig:
    if isinstance(config, ConsentConfig):
        return config
    if config is not None:
        raise TypeError(f"expected a ConsentConfig (or None with Django's settings), got {type(config).__name__}")
    try:
        from .django import get_config
    except ImportError:
        raise TypeError("pass the site's ConsentConfig (only Django's settings can stand in for it)") from None
    return get_config()


def consent_cookie(
    config: ConsentConfig | None = None, categories: Iterable[str] | str = (), *, consent_id: str | None = None
) -> dict[str, str]:
    """``{cookie_name: value}``: the signed consent cookie of a visitor who allowed ``categories`` (a list of
    category keys, or ``"all"``), for ``TestClient(app, cookies=...)`` or ``client.cookies.update(...)``.
    ``config`` None: the configuration of Django's settings.

    An unknown category is a `ValueError` (a typo in a test must not silently test a refusal)."""
    config = _config(config)
    optional = config.optional_keys
    wanted = (
        list(optional) if categories == "all" else [categories] if isinstance(categories, str) else list(categories)
    )
    for key in wanted:
        if key not in optional and key != NECESSARY:
            hint = did_you_mean(key, optional)
            raise ValueError(
                f"{key!r} is not a category of this configuration{hint} (categories: {', '.join(optional)})"
            )
    jar = ConsentCookie(config)
    return {jar.name: jar.dumps(wanted, consent_id or jar.new_id())}


def set_consent(client: Any, config: ConsentConfig | None = None, categories: Iterable[str] | str = ()) -> None:
    """Give ``client`` (Starlette's or FastAPI's ``TestClient``, an ``httpx`` client, Litestar's or Quart's
    test client, Django's ``Client`` or ``AsyncClient``) the choice of a visitor who allowed ``categories``
    (``"all"`` for Accept all). ``config`` None: the configuration of Django's settings."""
    ((name, value),) = consent_cookie(config, categories).items()
    cookies = getattr(client, "cookies", None)
    if isinstance(cookies, BaseCookie):  # Django's test clients: set the value as it is, unquoted
        cookies[name] = value
        cookies[name].set(name, value, value)
    elif hasattr(cookies, "set"):  # httpx.Cookies (Starlette, FastAPI, Litestar test clients)
        cookies.set(name, value)  # type: ignore[union-attr]
    elif hasattr(client, "set_cookie"):  # Quart's test client
        client.set_cookie("localhost", name, value)
    else:
        cookies[name] = value  # type: ignore[index]


def clear_consent(client: Any, config: ConsentConfig | None = None) -> None:
    """Make ``client`` an undecided visitor again (no consent cookie)."""
    name = _config(config).cookie_name
    cookies = getattr(client, "cookies", None)
    if hasattr(cookies, "delete"):
        cookies.delete(name)  # type: ignore[union-attr]
    elif hasattr(client, "delete_cookie"):
        client.delete_cookie("localhost", name)
    else:
        cookies.pop(name, None)  # type: ignore[union-attr]
