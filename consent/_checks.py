"""Validation of `ConsentConfig`: each check reads the user's values and returns the normalised ones.

`resolve` yields one mapping of normalised values per step; `ConsentConfig.__post_init__` writes each into the
frozen instance before the next step reads it (later checks see, for instance, the resolved categories).
Every error is a `ConfigError` naming the key. Languages, the policy page and enforcement live in
`consent._checks_text` and `consent._checks_enforce`, to keep each module to one screenful of rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ._checks_enforce import enforcement
from ._checks_text import languages, locale_texts, pages, policy
from ._config import (
    BUILTIN_CATEGORIES,
    CACHE_MODES,
    MAX_MAX_AGE,
    MIN_SECRET_LENGTH,
    NECESSARY,
    Category,
    CookieDeclaration,
)
from ._durations import parse_duration
from ._errors import ConfigError, did_you_mean
from ._modes import Mode
from ._regions import validate_modes_by_region

if TYPE_CHECKING:
    from ._config import ConsentConfig

Updates = dict[str, Any]

_CATEGORY_KEY = re.compile(r"[a-z][a-z0-9_-]{0,31}\Z")
# The policy version travels inside the cookie between ':' separators, so it is kept to cookie-safe characters.
_POLICY_VERSION = re.compile(r"[A-Za-z0-9._+-]{1,40}\Z")
# RFC 6265 token characters, minus the few that some servers mishandle.
_COOKIE_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,64}\Z")
_PATH = re.compile(r"/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*\Z")
_DOMAIN = re.compile(r"\.?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\Z")


def resolve(config: ConsentConfig) -> Iterator[Updates]:
    """The normalised values, step by step (each step sees the previous ones applied)."""
    yield _secret(config)
    yield {"mode": Mode.parse(config.mode, "mode"), "policy_version": _policy_version(config.policy_version)}
    yield languages(config)
    yield _categories(config)
    yield _cookie_settings(config)
    yield _paths(config)
    yield policy(config)
    yield pages(config)
    yield enforcement(config)
    yield _cookies(config)
    yield _caching_and_regions(config)
    yield _consent_log(config)


def _consent_log(config: ConsentConfig) -> Updates:
    from ._log.settings import validate  # the consent log's own module checks its keys

    validate(config)
    return {}


def _secret(config: ConsentConfig) -> Updates:
    # Messages here never quote the value: it is the signing key.
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
    return {"secret_key": keys[0] if len(keys) == 1 else keys}


def _policy_version(value: object) -> str:
    if not isinstance(value, str) or not _POLICY_VERSION.match(value):
        raise ConfigError("policy_version", "must be 1-40 characters of letters, digits, '.', '_', '+' or '-'")
    return value


def _categories(config: ConsentConfig) -> Updates:
    categories = config.categories
    if categories is None:
        # The defaults: analytics and marketing, except in notice mode, which sets only necessary cookies.
        categories = () if config.mode == Mode.NOTICE else (Category("analytics"), Category("marketing"))
    if isinstance(categories, (str, Mapping)) or not isinstance(categories, Sequence):
        raise ConfigError("categories", "must be a list of Category")
    seen: dict[str, Category] = {}
    for i, category in enumerate(categories):
        seen_key = _category(category, f"categories[{i}]", seen)
        seen[seen_key.key] = seen_key
    necessary = seen.pop(NECESSARY, Category(NECESSARY))
    resolved = [necessary, *seen.values()]
    if config.mode == Mode.NOTICE and len(resolved) > 1:
        raise ConfigError(
            "categories",
            "notice mode is for sites that set only necessary cookies; declare no other categories "
            f"(got {', '.join(seen)}) or use mode 'opt-in'",
        )
    return {"categories": tuple(resolved)}


def _category(category: object, where: str, seen: Mapping[str, Category]) -> Category:
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
        raise ConfigError(
            f"{where}.title",
            f"custom category {category.key!r} needs a title{did_you_mean(category.key, BUILTIN_CATEGORIES)}",
        )
    if category.sale_or_share is not None and not isinstance(category.sale_or_share, bool):
        raise ConfigError(f"{where}.sale_or_share", "must be true or false")
    if category.key == NECESSARY and category.sale_or_share:
        raise ConfigError(f"{where}.sale_or_share", "the necessary category cannot be refused")
    texts = locale_texts(category.text, f"{where}.text", {"title", "description"})
    return Category(category.key, category.title, category.description, category.sale_or_share, texts)


def _cookies(config: ConsentConfig) -> Updates:
    cookies = config.cookies
    if isinstance(cookies, (str, Mapping)) or not isinstance(cookies, Sequence):
        raise ConfigError("cookies", "must be a list of CookieDeclaration")
    return {"cookies": tuple(_cookie(cookie, f"cookies[{i}]", config) for i, cookie in enumerate(cookies))}


def _cookie(cookie: object, where: str, config: ConsentConfig) -> CookieDeclaration:
    keys = config.category_keys
    if not isinstance(cookie, CookieDeclaration):
        raise ConfigError(where, "must be a CookieDeclaration")
    for name in ("name", "provider", "purpose"):
        if not isinstance(getattr(cookie, name), str) or not getattr(cookie, name).strip():
            raise ConfigError(f"{where}.{name}", "must be a non-empty string")
    if cookie.category not in keys:
        raise ConfigError(
            f"{where}.category",
            f"{cookie.category!r} is not a declared category{did_you_mean(cookie.category, keys)} "
            f"(declared: {', '.join(keys)})",
        )
    if isinstance(cookie.duration, float):
        raise ConfigError(f"{where}.duration", "must be a timedelta, a duration such as '13 months', or None")
    duration = parse_duration(cookie.duration, f"{where}.duration", session=True)
    if not isinstance(cookie.third_party, bool):
        raise ConfigError(f"{where}.third_party", "must be true or false")
    if not isinstance(cookie.path, str) or not cookie.path.startswith("/") or ";" in cookie.path:
        raise ConfigError(f"{where}.path", "must be a path starting with '/'")
    if cookie.domain is not None and (not isinstance(cookie.domain, str) or not _DOMAIN.match(cookie.domain)):
        raise ConfigError(f"{where}.domain", f"{cookie.domain!r} is not a domain name")
    texts = locale_texts(cookie.text, f"{where}.text", {"purpose", "provider"})
    return CookieDeclaration(
        cookie.name,
        cookie.category,
        cookie.provider,
        cookie.purpose,
        duration,
        cookie.third_party,
        cookie.path,
        cookie.domain,
        texts,
    )


_APP_ID = re.compile(r"[A-Za-z0-9._-]{1,64}\Z")


def _cookie_settings(config: ConsentConfig) -> Updates:
    if not isinstance(config.cookie_name, str) or not _COOKIE_NAME.match(config.cookie_name):
        raise ConfigError("cookie_name", f"{config.cookie_name!r} is not a valid cookie name")
    if config.cookie_name.startswith("__Host-") and config.cookie_domain is not None:
        raise ConfigError("cookie_name", "a __Host- cookie cannot carry a Domain; unset cookie_domain")
    if isinstance(config.max_age, float):
        raise ConfigError("max_age", "must be a whole number of seconds, a timedelta or a duration such as '180 days'")
    max_age = parse_duration(config.max_age, "max_age")
    assert max_age is not None  # session=False: never None
    if max_age <= timedelta(0):
        raise ConfigError("max_age", "must be positive")
    if max_age > MAX_MAX_AGE:
        raise ConfigError(
            "max_age", f"{max_age.total_seconds():.0f} seconds exceeds the 400-day cap browsers apply to cookies"
        )
    updates: Updates = {"max_age": max_age}
    if config.app_id is not None and (not isinstance(config.app_id, str) or not _APP_ID.match(config.app_id)):
        raise ConfigError("app_id", "must be 1-64 letters, digits, '.', '_' or '-'")
    domain = config.cookie_domain
    if domain is not None:
        if not isinstance(domain, str) or not _DOMAIN.match(domain):
            raise ConfigError("cookie_domain", f"{domain!r} is not a domain name")
        updates["cookie_domain"] = domain.lstrip(".").lower()
    return updates


def _paths(config: ConsentConfig) -> Updates:
    updates: Updates = {}
    for name in ("prefix", "policy_path"):
        value = getattr(config, name)
        if name == "policy_path" and value is None:
            if config.read_more_url is None:
                raise ConfigError("policy_path", "is None (the app serves the policy): set read_more_url to it")
            continue
        if not isinstance(value, str) or not _PATH.match(value) or value == "/" or "//" in value:
            raise ConfigError(name, f"{value!r} must be an absolute path such as '/consent'")
        updates[name] = value.rstrip("/")
    policy_path = updates.get("policy_path")
    prefix = updates["prefix"]
    if policy_path is not None and (policy_path == prefix or policy_path.startswith(prefix + "/")):
        raise ConfigError("policy_path", f"must not lie under prefix {prefix!r}")
    for name in ("read_more_url", "site_url"):
        url = getattr(config, name)
        if url is not None:
            check_url(url, name)
    exclude = config.exclude_paths
    if isinstance(exclude, str) or not isinstance(exclude, Sequence):
        raise ConfigError("exclude_paths", "must be a list of path prefixes")
    for i, path in enumerate(exclude):
        if not isinstance(path, str) or not path.startswith("/"):
            raise ConfigError(f"exclude_paths[{i}]", f"{path!r} must be a path prefix starting with '/'")
    updates["exclude_paths"] = tuple(exclude)
    if config.on_decision is not None and not callable(config.on_decision):
        raise ConfigError("on_decision", "must be a callable (sync or async) taking a ConsentDecision")
    return updates


def check_url(url: object, key: str) -> None:
    """A link the pages may carry: a same-site path, or an http(s) URL; nothing a browser would run."""
    if not isinstance(url, str) or not (
        (url.startswith("/") and not url.startswith("//")) or re.match(r"https?://[^/\s]+", url)
    ):
        raise ConfigError(key, "must be a path ('/privacy') or an http(s) URL")
    if any(ord(c) < 0x20 or c in "\\\x7f" for c in url):
        raise ConfigError(key, "contains control characters or backslashes")


def _caching_and_regions(config: ConsentConfig) -> Updates:
    if config.cache_mode not in CACHE_MODES:
        hint = did_you_mean(config.cache_mode, CACHE_MODES)
        raise ConfigError("cache_mode", f"{config.cache_mode!r} is not one of {', '.join(CACHE_MODES)}{hint}")
    header = config.region_header
    if header is not None and (not isinstance(header, str) or not re.fullmatch(r"[A-Za-z0-9-]+", header)):
        raise ConfigError("region_header", "must be a header name such as 'CF-IPCountry'")
    if not isinstance(config.modes_by_region, Mapping):
        raise ConfigError("modes_by_region", "must map region codes to modes")
    table = validate_modes_by_region(config.modes_by_region)
    if table and header is None:
        raise ConfigError("modes_by_region", "needs region_header (the request header your CDN sets)")
    return {"modes_by_region": table}
