"""Configuration: the frozen `ConsentConfig` and its parts, validated once at startup (see `consent._checks`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields
from datetime import date, timedelta
from typing import Any

from ._errors import ConfigError, did_you_mean
from ._modes import Mode

__all__ = ["Category", "ConfigError", "ConsentConfig", "CookieDeclaration"]

MODES = tuple(m.value for m in Mode)
NECESSARY = "necessary"
MIN_SECRET_LENGTH = 32
DEFAULT_MAX_AGE = timedelta(days=180)
# Chrome and Firefox clamp cookie lifetimes to 400 days (RFC 6265bis): longer values would silently shrink.
MAX_MAX_AGE = timedelta(days=400)
BUILTIN_CATEGORIES = ("necessary", "preferences", "analytics", "marketing")
CACHE_MODES = ("auto", "private", "shared")
# Google Consent Mode v2: every type, mapped to the category that grants it (a missing category denies it).
GOOGLE_CONSENT_TYPES = {
    "ad_storage": "marketing",
    "ad_user_data": "marketing",
    "ad_personalization": "marketing",
    "analytics_storage": "analytics",
    "functionality_storage": "preferences",
    "personalization_storage": "preferences",
    "security_storage": "necessary",
}


class _Keywords:
    """Refuses unknown and missing keyword arguments with a `ConfigError` that lists the known keys (the
    TOML path says the same), instead of a bare ``TypeError``."""

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        params = [f for f in fields(cls) if f.init]  # type: ignore[arg-type]
        known = [f.name for f in params]
        for name in kwargs:
            if name not in known:
                raise ConfigError(
                    name,
                    f"unknown keyword argument of {cls.__name__}{did_you_mean(name, known)} "
                    f"(known: {', '.join(known)})",
                )
        for index, f in enumerate(params):
            if f.default is MISSING and f.default_factory is MISSING and f.name not in kwargs and index >= len(args):
                raise ConfigError(f.name, f"is required by {cls.__name__}")
        return super().__new__(cls)


@dataclass(frozen=True)
class Category(_Keywords):
    """A purpose visitors consent to, e.g. ``Category("analytics", "Analytics", "Counts visits…")``.

    ``title`` and ``description`` may be left empty for the built-in keys (``necessary``, ``preferences``,
    ``analytics``, ``marketing``): they then come translated from the library's catalogs.
    ``sale_or_share`` marks categories that a Global Privacy Control signal refuses (default: ``marketing``).
    """

    key: str
    title: str = ""
    description: str = ""
    sale_or_share: bool | None = None
    #: Per-locale wording: ``{"de": {"title": "Statistik", "description": "…"}}``.
    text: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class CookieDeclaration(_Keywords):
    """A cookie the site (or a third party on it) sets, shown on the policy page.

    ``name`` may be a glob (``_ga*``); ``duration`` is a ``timedelta``, a string such as ``"13 months"``, a
    number of seconds, or ``None`` / ``"session"`` for a session cookie (validation makes it a ``timedelta``
    or ``None``).
    """

    name: str
    category: str
    provider: str
    purpose: str
    duration: timedelta | str | int | None
    third_party: bool = False
    path: str = "/"  # where the cookie is set, so that refusing can expire it
    domain: str | None = None  # its Domain attribute, if it has one (".example.com")
    #: Per-locale wording: ``{"de": {"purpose": "…", "provider": "…"}}``.
    text: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, repr=False)
class ConsentConfig(_Keywords):
    """Everything `ConsentMiddleware` needs, validated when it is built.

    Errors raise `ConfigError` naming the key, at startup, never at the first request. ``repr`` and ``str``
    never show the secret key.
    """

    secret_key: str | Sequence[str]
    mode: str = "opt-in"
    policy_version: str = "1"
    categories: Sequence[Category] | None = None
    cookies: Sequence[CookieDeclaration] = ()
    cookie_name: str = "consent"
    max_age: int | str | timedelta = DEFAULT_MAX_AGE  # seconds, a timedelta or "180 days"
    cookie_domain: str | None = None
    app_id: str | None = None  # bound into the cookie's signature: apps sharing a secret don't share choices
    prefix: str = "/consent"
    policy_path: str | None = "/privacy"  # None: the app serves the policy itself (at read_more_url)
    read_more_url: str | None = None
    exclude_paths: Sequence[str] = ()
    on_decision: Callable[..., Any] | None = None
    # Languages and wording.
    default_locale: str = "en"
    locales: Sequence[str] | None = None  # None: every shipped catalog
    text: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # {"de": {"banner_message": "…"}}
    # The policy page.
    controller: str | None = None  # who is responsible: name and postal address
    contact: str | None = None  # an e-mail address or URL for privacy questions
    dpo: str | None = None  # the data-protection officer, if there is one
    policy_markdown: Mapping[str, str | os.PathLike[str]] = field(default_factory=dict)  # {"en": "policy.md"}
    policy_updated: date | None = None
    # The site around the policy and settings pages.
    site_name: str | None = None  # shown on both pages, linked to site_url
    site_url: str = "/"  # the link back to the site (a path under the app's root_path, or an http(s) URL)
    page_template: str | None = None  # a Jinja2 template of the site's that lays the pages out
    templates: Any = None  # where page_template is found: directories, a jinja2.Environment or Jinja2Templates
    layout: Callable[..., Any] | None = None  # layout(request, title, body_html) -> html (sync or async)
    reopen_link: bool = True  # False: the site's own footer link reopens the choice (consent.jinja)
    # Enforcement on the server.
    auto_block: bool = True  # gate known trackers even where the templates don't mark them
    trackers: Sequence[Mapping[str, Any]] = ()  # extra or overriding entries of the tracker table
    tracker_categories: Mapping[str, str] = field(default_factory=dict)  # {"marketing": "ads"}
    block_undeclared_cookies: bool = False
    client_guard: bool = True  # a script first in <head> holds back tracker requests made at run time
    # Privacy signals and tag integrations.
    honor_dnt: bool = False
    google_consent_mode: bool | str = False  # True or "basic", "advanced"
    google_consent_types: Mapping[str, str] = field(default_factory=dict)  # overrides of GOOGLE_CONSENT_TYPES
    google_wait_for_update: int | str | timedelta = 500  # milliseconds
    matomo: bool = False
    # Caching and regions.
    cache_mode: str = "auto"  # "auto", "private" or "shared"
    region_header: str | None = None  # e.g. "CF-IPCountry"
    modes_by_region: Mapping[str, str] = field(default_factory=dict)  # {"US": "opt-out", "EEA": "opt-in"}
    # Proof of consent (consent/_log/settings.py checks these).
    consent_log: str | os.PathLike[str] | Any | None = None  # a path, sqlite:///…, postgresql://… or a LogStore
    consent_log_spool: str | os.PathLike[str] | None = None  # default for SQLite: "<database>-spool"
    consent_log_timeout: float = 1.0  # seconds a decision waits for its record
    consent_log_truncated_ip: bool = False  # keep the visitor's /24 (IPv4) or /48 (IPv6) network
    on_decision_timeout: float = 5.0

    def __post_init__(self) -> None:
        from ._checks import resolve

        # The one place where validation writes the normalised values into the frozen instance.
        for step in resolve(self):
            for name, value in step.items():
                object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "secret_key":  # never the key itself: reprs end up in logs and error reports
                count = 1 if isinstance(value, str) else len(value)
                parts.append(f"secret_key=<{count} key{'s' if count != 1 else ''}, hidden>")
            else:
                parts.append(f"{f.name}={value!r}")
        return f"ConsentConfig({', '.join(parts)})"

    # Normalised views, derived once in validation.
    @property
    def secret_keys(self) -> tuple[str, ...]:
        """Signing keys oldest to newest: the newest signs, all verify."""
        keys = self.secret_key
        return (keys,) if isinstance(keys, str) else tuple(keys)

    @property
    def max_age_seconds(self) -> int:
        age = self.max_age
        return int(age.total_seconds()) if isinstance(age, timedelta) else int(age)

    @property
    def category_list(self) -> tuple[Category, ...]:
        """The categories, ``necessary`` first (validation resolves the ``None`` default)."""
        return tuple(self.categories or ())

    @property
    def category_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.category_list)

    @property
    def optional_keys(self) -> tuple[str, ...]:
        """Categories a visitor can refuse (everything but ``necessary``)."""
        return tuple(c.key for c in self.category_list if c.key != NECESSARY)

    def sale_or_share(self, category: Category) -> bool:
        """Whether a Global Privacy Control signal refuses this category (default: marketing only)."""
        return category.sale_or_share if category.sale_or_share is not None else category.key == "marketing"

    @property
    def policy_url(self) -> str:
        return self.read_more_url or self.policy_path or "/"

    @classmethod
    def from_toml(cls, path: str | os.PathLike[str], **overrides: Any) -> ConsentConfig:
        """Read a configuration file; keyword arguments override (and add to) what the file says.

        ``secret_key_env = "NAME"`` in the file reads the secret from that environment variable, so the
        file itself can be committed. ``on_decision`` and ``layout`` can only be given as keyword arguments.
        Every error about a value from the file names the file.
        """
        from ._toml import load

        return load(cls, path, overrides)
