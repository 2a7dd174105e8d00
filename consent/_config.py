"""Configuration: the frozen `ConsentConfig` and its parts, validated once at startup."""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

MODES = ("opt-in", "opt-out", "notice")
NECESSARY = "necessary"
MIN_SECRET_LENGTH = 32
DEFAULT_MAX_AGE = timedelta(days=180)
# Chrome and Firefox clamp cookie lifetimes to 400 days (RFC 6265bis): longer values would silently shrink.
MAX_MAX_AGE = timedelta(days=400)

_CATEGORY_KEY = re.compile(r"[a-z][a-z0-9_-]{0,31}\Z")
# The policy version travels inside the cookie between ':' separators, so it is kept to cookie-safe characters.
_POLICY_VERSION = re.compile(r"[A-Za-z0-9._+-]{1,40}\Z")
# RFC 6265 token characters, minus the few that some servers mishandle.
_COOKIE_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,64}\Z")
_PATH = re.compile(r"/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*\Z")


class ConfigError(ValueError):
    """A configuration value is wrong. The message starts with the key path, e.g. ``categories[1].key``."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        super().__init__(f"{key}: {message}")


@dataclass(frozen=True)
class Category:
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
class CookieDeclaration:
    """A cookie the site (or a third party on it) sets, shown on the policy page.

    ``name`` may be a glob (``_ga*``); ``duration`` is a ``timedelta`` or ``None`` for a session cookie.
    """

    name: str
    category: str
    provider: str
    purpose: str
    duration: timedelta | None
    third_party: bool = False
    path: str = "/"  # where the cookie is set, so that refusing can expire it
    domain: str | None = None  # its Domain attribute, if it has one (".example.com")
    #: Per-locale wording: ``{"de": {"purpose": "…", "provider": "…"}}``.
    text: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


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


@dataclass(frozen=True, kw_only=True)
class ConsentConfig:
    """Everything `ConsentMiddleware` needs, validated when it is built.

    Errors raise `ConfigError` naming the key, at startup, never at the first request.
    """

    secret_key: str | Sequence[str]
    mode: str = "opt-in"
    policy_version: str = "1"
    categories: Sequence[Category] | None = None
    cookies: Sequence[CookieDeclaration] = ()
    cookie_name: str = "consent"
    max_age: int | timedelta = DEFAULT_MAX_AGE
    cookie_domain: str | None = None
    prefix: str = "/consent"
    policy_path: str = "/privacy"
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
    # Enforcement on the server.
    auto_block: bool = True  # gate known trackers even where the templates don't mark them
    trackers: Sequence[Mapping[str, Any]] = ()  # extra or overriding entries of the tracker table
    tracker_categories: Mapping[str, str] = field(default_factory=dict)  # {"marketing": "ads"}
    block_undeclared_cookies: bool = False
    # Privacy signals and tag integrations.
    honor_dnt: bool = False
    google_consent_mode: bool | str = False  # True or "basic", "advanced"
    google_consent_types: Mapping[str, str] = field(default_factory=lambda: dict(GOOGLE_CONSENT_TYPES))
    google_wait_for_update: int = 500  # milliseconds
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
        _validate(self)

    # Normalised views, derived once in _validate.
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
        return self.read_more_url or self.policy_path

    @classmethod
    def from_toml(cls, path: str | os.PathLike[str], **overrides: Any) -> ConsentConfig:
        """Read a configuration file; keyword arguments override (and add to) what the file says.

        ``secret_key_env = "NAME"`` in the file reads the secret from that environment variable, so the
        file itself can be committed. ``on_decision`` can only be given as a keyword argument.
        """
        where = str(path)
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(where, "file not found") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(where, f"not valid TOML: {exc}") from None
        kwargs = _from_mapping(data, where)
        if "secret_key" not in kwargs and "secret_key" not in overrides:
            raise ConfigError(
                "secret_key",
                f"is required: pass secret_key=... or set secret_key_env in {where} (never commit secrets)",
            )
        markdown = kwargs.get("policy_markdown")
        if isinstance(markdown, dict):  # paths in the file are relative to the file
            base = Path(path).resolve().parent
            kwargs["policy_markdown"] = {k: base / v if isinstance(v, str) else v for k, v in markdown.items()}
        _log_settings().resolve_paths(kwargs, Path(path).resolve().parent)
        return cls(**{**kwargs, **overrides})


def _from_mapping(data: dict[str, Any], where: str) -> dict[str, Any]:
    known = {f.name for f in fields(ConsentConfig)} - {"on_decision"}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key == "secret_key_env":
            if not isinstance(value, str):
                raise ConfigError(f"{where}: secret_key_env", "must be the name of an environment variable")
            if value not in os.environ:
                raise ConfigError(f"{where}: secret_key_env", f"environment variable {value!r} is not set")
            kwargs["secret_key"] = os.environ[value]
        elif key == "categories":
            kwargs[key] = [
                _category_from(item, f"{where}: categories[{i}]") for i, item in enumerate(_list(value, key))
            ]
        elif key == "cookies":
            kwargs[key] = [_cookie_from(item, f"{where}: cookies[{i}]") for i, item in enumerate(_list(value, key))]
        elif key in known:
            kwargs[key] = value
        else:
            raise ConfigError(f"{where}: {key}", f"unknown key (known: {', '.join(sorted(known))})")
    return kwargs


def _list(value: Any, key: str) -> list[Any]:
    if not isinstance(value, list):
        raise ConfigError(key, "must be an array of tables ([[...]])")
    return value


def _table(item: Any, where: str, allowed: set[str], required: set[str]) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ConfigError(where, "must be a table")
    for key in item:
        if key not in allowed:
            raise ConfigError(f"{where}.{key}", f"unknown key (known: {', '.join(sorted(allowed))})")
    for key in sorted(required - item.keys()):
        raise ConfigError(f"{where}.{key}", "is required")
    return item


def _category_from(item: Any, where: str) -> Category:
    table = _table(item, where, {"key", "title", "description", "sale_or_share", "text"}, {"key"})
    return Category(**table)


def _cookie_from(item: Any, where: str) -> CookieDeclaration:
    allowed = {"name", "category", "provider", "purpose", "duration", "third_party", "text", "path", "domain"}
    table = dict(_table(item, where, allowed, allowed - {"third_party", "text", "path", "domain"}))
    table["duration"] = parse_duration(table["duration"], f"{where}.duration")
    return CookieDeclaration(**table)


_DURATION = re.compile(r"\s*(\d+)\s*(second|minute|hour|day|week|month|year)s?\s*\Z", re.IGNORECASE)
_UNIT_SECONDS = {
    "second": 1,
    "minute": 60,
    "hour": 3600,
    "day": 86400,
    "week": 7 * 86400,
    # Calendar-free units, as Babel's format_timedelta counts them.
    "month": 30 * 86400,
    "year": 365 * 86400,
}


def parse_duration(value: Any, key: str) -> timedelta | None:
    """``"13 months"``, ``"30 days"``, ``"session"`` or a number of seconds, as a ``timedelta`` (None: session)."""
    if isinstance(value, timedelta) or value is None:
        return value
    if isinstance(value, bool):
        raise ConfigError(key, "must be a duration such as '13 months', '30 days' or 'session'")
    if isinstance(value, int):
        return timedelta(seconds=value)
    if isinstance(value, str):
        if value.strip().lower() == "session":
            return None
        match = _DURATION.match(value)
        if match:
            return timedelta(seconds=int(match[1]) * _UNIT_SECONDS[match[2].lower()])
    raise ConfigError(key, f"{value!r} is not a duration such as '13 months', '30 days' or 'session'")


def _validate(config: ConsentConfig) -> None:
    set_ = object.__setattr__

    keys = config.secret_key
    if isinstance(keys, str):
        keys = (keys,)
    elif isinstance(keys, Sequence) and not isinstance(keys, (bytes, bytearray)):
        keys = tuple(keys)
        if not keys:
            raise ConfigError("secret_key", "the list of keys is empty")
    else:
        raise ConfigError("secret_key", "must be a string or a list of strings (oldest to newest)")
    for i, key in enumerate(keys):
        name = "secret_key" if len(keys) == 1 else f"secret_key[{i}]"
        if not isinstance(key, str):
            raise ConfigError(name, "must be a string")
        if len(key) < MIN_SECRET_LENGTH:
            raise ConfigError(
                name,
                f"too short ({len(key)} characters, need at least {MIN_SECRET_LENGTH}); generate one with "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))'",
            )
    set_(config, "secret_key", keys[0] if len(keys) == 1 else keys)

    if config.mode not in MODES:
        raise ConfigError("mode", f"{config.mode!r} is not one of {', '.join(MODES)}")
    if not isinstance(config.policy_version, str) or not _POLICY_VERSION.match(config.policy_version):
        raise ConfigError("policy_version", "must be 1-40 characters of letters, digits, '.', '_', '+' or '-'")

    _validate_languages(config)
    _validate_categories(config)
    _validate_cookies(config)

    if not isinstance(config.cookie_name, str) or not _COOKIE_NAME.match(config.cookie_name):
        raise ConfigError("cookie_name", f"{config.cookie_name!r} is not a valid cookie name")
    if config.cookie_name.startswith("__Host-") and config.cookie_domain is not None:
        raise ConfigError("cookie_name", "a __Host- cookie cannot carry a Domain; unset cookie_domain")

    max_age = config.max_age
    if isinstance(max_age, bool) or not isinstance(max_age, (int, timedelta)):
        raise ConfigError("max_age", "must be a number of seconds or a timedelta")
    seconds = max_age.total_seconds() if isinstance(max_age, timedelta) else max_age
    if seconds <= 0:
        raise ConfigError("max_age", "must be positive")
    if seconds > MAX_MAX_AGE.total_seconds():
        raise ConfigError("max_age", f"{seconds:.0f} seconds exceeds the 400-day cap browsers apply to cookies")

    domain = config.cookie_domain
    if domain is not None:
        if not isinstance(domain, str) or not re.fullmatch(r"\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*", domain):
            raise ConfigError("cookie_domain", f"{domain!r} is not a domain name")
        set_(config, "cookie_domain", domain.lstrip(".").lower())

    for name in ("prefix", "policy_path"):
        value = getattr(config, name)
        if not isinstance(value, str) or not _PATH.match(value) or value == "/" or "//" in value:
            raise ConfigError(name, f"{value!r} must be an absolute path such as '/consent'")
        set_(config, name, value.rstrip("/"))
    if config.policy_path == config.prefix or config.policy_path.startswith(config.prefix + "/"):
        raise ConfigError("policy_path", f"must not lie under prefix {config.prefix!r}")

    url = config.read_more_url
    if url is not None:
        if not isinstance(url, str) or not (
            (url.startswith("/") and not url.startswith("//")) or re.match(r"https?://[^/\s]+", url)
        ):
            raise ConfigError("read_more_url", "must be a path ('/privacy') or an http(s) URL")
        if any(ord(c) < 0x20 or c in "\\\x7f" for c in url):
            raise ConfigError("read_more_url", "contains control characters or backslashes")

    exclude = config.exclude_paths
    if isinstance(exclude, str) or not isinstance(exclude, Sequence):
        raise ConfigError("exclude_paths", "must be a list of path prefixes")
    for i, prefix in enumerate(exclude):
        if not isinstance(prefix, str) or not prefix.startswith("/"):
            raise ConfigError(f"exclude_paths[{i}]", f"{prefix!r} must be a path prefix starting with '/'")
    set_(config, "exclude_paths", tuple(exclude))

    if config.on_decision is not None and not callable(config.on_decision):
        raise ConfigError("on_decision", "must be a callable (sync or async) taking a ConsentDecision")

    _validate_policy(config)
    _validate_enforcement(config)
    _log_settings().validate(config)


def _log_settings() -> Any:
    from ._log import settings

    return settings


def _validate_categories(config: ConsentConfig) -> None:
    categories = config.categories
    if categories is None:
        # The defaults: analytics and marketing, except in notice mode, which sets only necessary cookies.
        categories = () if config.mode == "notice" else (Category("analytics"), Category("marketing"))
    if isinstance(categories, (str, Mapping)) or not isinstance(categories, Sequence):
        raise ConfigError("categories", "must be a list of Category")
    seen: dict[str, Category] = {}
    for i, category in enumerate(categories):
        where = f"categories[{i}]"
        if not isinstance(category, Category):
            raise ConfigError(where, "must be a Category")
        if not isinstance(category.key, str) or not _CATEGORY_KEY.match(category.key):
            raise ConfigError(f"{where}.key", f"{category.key!r} must be lower-case letters, digits, '_' or '-'")
        if category.key in seen:
            raise ConfigError(f"{where}.key", f"duplicate category {category.key!r}")
        for name in ("title", "description"):
            if not isinstance(getattr(category, name), str):
                raise ConfigError(f"{where}.{name}", "must be a string")
        if category.key not in BUILTIN_CATEGORIES and not category.title:
            raise ConfigError(f"{where}.title", f"custom category {category.key!r} needs a title")
        if category.sale_or_share is not None and not isinstance(category.sale_or_share, bool):
            raise ConfigError(f"{where}.sale_or_share", "must be true or false")
        if category.key == NECESSARY and category.sale_or_share:
            raise ConfigError(f"{where}.sale_or_share", "the necessary category cannot be refused")
        texts = _locale_texts(category.text, f"{where}.text", {"title", "description"})
        seen[category.key] = dataclasses.replace(category, text=texts)
    necessary = seen.pop(NECESSARY, Category(NECESSARY))
    resolved = [necessary, *seen.values()]
    if config.mode == "notice" and len(resolved) > 1:
        raise ConfigError(
            "categories",
            "notice mode is for sites that set only necessary cookies; declare no other categories "
            f"(got {', '.join(seen)}) or use mode 'opt-in'",
        )
    object.__setattr__(config, "categories", tuple(resolved))


def _validate_cookies(config: ConsentConfig) -> None:
    cookies = config.cookies
    if isinstance(cookies, (str, Mapping)) or not isinstance(cookies, Sequence):
        raise ConfigError("cookies", "must be a list of CookieDeclaration")
    keys = set(config.category_keys)
    resolved = []
    for i, cookie in enumerate(cookies):
        where = f"cookies[{i}]"
        if not isinstance(cookie, CookieDeclaration):
            raise ConfigError(where, "must be a CookieDeclaration")
        for name in ("name", "provider", "purpose"):
            if not isinstance(getattr(cookie, name), str) or not getattr(cookie, name).strip():
                raise ConfigError(f"{where}.{name}", "must be a non-empty string")
        if cookie.category not in keys:
            raise ConfigError(
                f"{where}.category", f"{cookie.category!r} is not a declared category ({', '.join(sorted(keys))})"
            )
        if cookie.duration is not None and not isinstance(cookie.duration, timedelta):
            raise ConfigError(f"{where}.duration", "must be a timedelta or None (session cookie)")
        if not isinstance(cookie.third_party, bool):
            raise ConfigError(f"{where}.third_party", "must be true or false")
        if not isinstance(cookie.path, str) or not cookie.path.startswith("/") or ";" in cookie.path:
            raise ConfigError(f"{where}.path", "must be a path starting with '/'")
        if cookie.domain is not None and (
            not isinstance(cookie.domain, str) or not re.fullmatch(r"\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*", cookie.domain)
        ):
            raise ConfigError(f"{where}.domain", f"{cookie.domain!r} is not a domain name")
        resolved.append(
            dataclasses.replace(cookie, text=_locale_texts(cookie.text, f"{where}.text", {"purpose", "provider"}))
        )
    object.__setattr__(config, "cookies", tuple(resolved))


def _validate_languages(config: ConsentConfig) -> None:
    from ._i18n import shipped_locales
    from ._text import PLURALS, TEXTS

    set_ = object.__setattr__
    shipped = shipped_locales()
    if not shipped:
        raise ConfigError(
            "locales", "no compiled catalogs in the package: install it (pip install -e .) or run python hatch_build.py"
        )
    if config.locales is None:
        offered = shipped
    else:
        if isinstance(config.locales, str) or not isinstance(config.locales, Sequence) or not config.locales:
            raise ConfigError("locales", "must be a non-empty list of locale ids such as ['en', 'de', 'pt_BR']")
        offered = [_catalog(loc, f"locales[{i}]") for i, loc in enumerate(config.locales)]
    set_(config, "locales", tuple(offered))
    default = _catalog(config.default_locale, "default_locale")
    if default not in offered:
        raise ConfigError("default_locale", f"{default!r} is not one of the offered locales")
    set_(config, "default_locale", default)

    set_(config, "text", _locale_texts(config.text, "text", set(TEXTS) - set(PLURALS)))


def _catalog(value: object, key: str) -> str:
    """The shipped catalog id for a locale given in the configuration ("pt-BR" -> "pt_BR")."""
    from ._i18n import shipped_locales

    shipped = shipped_locales()
    by_key = {loc.lower(): loc for loc in shipped}
    found = by_key.get(value.replace("-", "_").lower()) if isinstance(value, str) else None
    if found is None:
        raise ConfigError(key, f"no catalog for locale {value!r} (shipped: {' '.join(shipped)})")
    return found


def _locale_texts(value: object, key: str, allowed: set[str]) -> dict[str, dict[str, str]]:
    if not isinstance(value, Mapping):
        raise ConfigError(key, "must map locale ids to tables of text")
    out: dict[str, dict[str, str]] = {}
    for locale, table in value.items():
        loc = _catalog(locale, f"{key}.{locale}")
        if not isinstance(table, Mapping):
            raise ConfigError(f"{key}.{locale}", "must be a table of text keys")
        for name, text in table.items():
            if name not in allowed:
                raise ConfigError(f"{key}.{locale}.{name}", f"unknown text key (known: {', '.join(sorted(allowed))})")
            if not isinstance(text, str) or not text.strip():
                raise ConfigError(f"{key}.{locale}.{name}", "must be a non-empty string")
        out[loc] = dict(table)
    return out


def _validate_policy(config: ConsentConfig) -> None:
    set_ = object.__setattr__
    for name in ("controller", "contact", "dpo"):
        value = getattr(config, name)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ConfigError(name, "must be a non-empty string")
    updated = config.policy_updated
    if isinstance(updated, str):
        try:
            updated = date.fromisoformat(updated)
        except ValueError:
            raise ConfigError("policy_updated", f"{updated!r} is not a date (YYYY-MM-DD)") from None
        set_(config, "policy_updated", updated)
    elif updated is not None and not isinstance(updated, date):
        raise ConfigError("policy_updated", "must be a date")
    markdown = config.policy_markdown
    if not isinstance(markdown, Mapping):
        raise ConfigError("policy_markdown", "must map locale ids to Markdown file paths")
    if markdown:
        try:
            import markdown_it  # noqa: F401
        except ImportError:
            raise ConfigError(
                "policy_markdown", "needs the markdown-it-py package: pip install 'asgi-consent[markdown]'"
            ) from None
    by_key = {loc.lower(): loc for loc in config.locales or ()}
    resolved: dict[str, Path] = {}
    for locale, path in markdown.items():
        loc = by_key.get(str(locale).replace("-", "_").lower())
        if loc is None:
            raise ConfigError(f"policy_markdown.{locale}", "is not one of the offered locales")
        file = Path(path)
        if not file.is_file():
            raise ConfigError(f"policy_markdown.{locale}", f"file not found: {file}")
        resolved[loc] = file
    set_(config, "policy_markdown", resolved)


def _validate_enforcement(config: ConsentConfig) -> None:
    from ._regions import validate_modes_by_region
    from ._trackers import provider_from

    set_ = object.__setattr__
    for name in ("auto_block", "block_undeclared_cookies", "honor_dnt", "matomo"):
        if not isinstance(getattr(config, name), bool):
            raise ConfigError(name, "must be true or false")
    keys = set(config.category_keys)

    trackers = config.trackers
    if isinstance(trackers, (str, Mapping)) or not isinstance(trackers, Sequence):
        raise ConfigError("trackers", "must be a list of tracker table entries")
    for i, entry in enumerate(trackers):
        if not isinstance(entry, Mapping):
            raise ConfigError(f"trackers[{i}]", "must be a table")
        try:
            provider_from(entry, f"trackers[{i}]")
        except ValueError as exc:
            key, _, message = str(exc).partition(": ")
            raise ConfigError(key, message) from None
    set_(config, "trackers", tuple(trackers))
    mapping = config.tracker_categories
    if not isinstance(mapping, Mapping):
        raise ConfigError("tracker_categories", "must map tracker categories to your categories")
    for source, target in mapping.items():
        if target not in keys:
            raise ConfigError(f"tracker_categories.{source}", f"{target!r} is not a declared category")

    gcm = config.google_consent_mode
    if gcm is True:
        gcm = "basic"
    if gcm not in (False, "basic", "advanced"):
        raise ConfigError("google_consent_mode", "must be false, true, 'basic' or 'advanced'")
    set_(config, "google_consent_mode", gcm)
    types = config.google_consent_types
    if not isinstance(types, Mapping) or set(types) != set(GOOGLE_CONSENT_TYPES):
        raise ConfigError("google_consent_types", f"must map all seven types: {', '.join(GOOGLE_CONSENT_TYPES)}")
    for name, category in types.items():
        if not isinstance(category, str) or not _CATEGORY_KEY.match(category):
            raise ConfigError(f"google_consent_types.{name}", "must be a category key")
    set_(config, "google_consent_types", dict(types))
    wait = config.google_wait_for_update
    if isinstance(wait, bool) or not isinstance(wait, int) or not 0 <= wait <= 10_000:
        raise ConfigError("google_wait_for_update", "must be a number of milliseconds between 0 and 10000")

    if config.cache_mode not in CACHE_MODES:
        raise ConfigError("cache_mode", f"{config.cache_mode!r} is not one of {', '.join(CACHE_MODES)}")
    header = config.region_header
    if header is not None and (not isinstance(header, str) or not re.fullmatch(r"[A-Za-z0-9-]+", header)):
        raise ConfigError("region_header", "must be a header name such as 'CF-IPCountry'")
    if not isinstance(config.modes_by_region, Mapping):
        raise ConfigError("modes_by_region", "must map region codes to modes")
    set_(config, "modes_by_region", validate_modes_by_region(config.modes_by_region))
    if config.modes_by_region and header is None:
        raise ConfigError("modes_by_region", "needs region_header (the request header your CDN sets)")
