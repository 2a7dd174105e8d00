"""The configuration from Django's settings: ``CONSENT = {...}`` (`ConsentConfig` keyword arguments) and/or
``CONSENT_TOML = path`` (a TOML file; ``CONSENT`` then overrides and adds to it). Built once per process and
settings (the collaborators take a quarter of a second to build), again when a test overrides the settings."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

from .._config import ConsentConfig
from .._core import Core
from .._errors import ConfigError

SETTINGS = ("CONSENT", "CONSENT_TOML")
NOT_SET = (
    "is not set: put CONSENT = {...} (ConsentConfig keyword arguments, e.g. secret_key, policy_version) "
    "or CONSENT_TOML = 'path/to/consent.toml' in your Django settings"
)

_lock = threading.Lock()
_built: tuple[tuple[object, ...], Core] | None = None  # one entry: the settings of this process


def _source() -> tuple[Mapping[str, Any] | None, Any]:
    kwargs = getattr(settings, "CONSENT", None)
    path = getattr(settings, "CONSENT_TOML", None)
    if kwargs is None and path is None:
        raise ConfigError("CONSENT", NOT_SET, "settings")
    if kwargs is not None and not isinstance(kwargs, Mapping):
        raise ConfigError(
            "CONSENT", f"must be a dict of ConsentConfig keyword arguments, not {type(kwargs).__name__}", "settings"
        )
    return kwargs, path


def build_config() -> ConsentConfig:
    """A `ConsentConfig` from the settings; a wrong value raises `ConfigError` naming the setting and the key."""
    kwargs, path = _source()
    if path is not None:
        return ConsentConfig.from_toml(path, **dict(kwargs or {}))  # its errors name the file
    assert kwargs is not None
    try:
        return ConsentConfig(**kwargs)
    except ConfigError as error:
        raise error.in_file("settings.CONSENT") from None


def get_core() -> Core:
    """The collaborators for the current settings (built on first use, or after the settings changed)."""
    global _built
    found = _built
    if found is not None:  # dropped when a setting of ours changes (setting_changed)
        return found[1]
    kwargs, path = _source()
    key = (id(kwargs), path)
    with _lock:
        if _built is None or _built[0] != key:
            _built = (key, Core(build_config()))
        return _built[1]


def get_config() -> ConsentConfig:
    """The `ConsentConfig` that Django's settings describe (the one the middleware uses)."""
    return get_core().config


def _reset(*, setting: str, **_: Any) -> None:
    global _built
    if setting in SETTINGS:
        with _lock:
            _built = None


setting_changed.connect(_reset, dispatch_uid="consent.django.settings")
