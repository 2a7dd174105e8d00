"""Cookie enforcement on the wire: drop the app's ``Set-Cookie`` for refused categories, and expire the
cookies of refused categories when a visitor rejects or withdraws — HttpOnly ones included, which no
JavaScript consent manager can do."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from fnmatch import translate

from ._config import NECESSARY, ConsentConfig
from ._headers import RawHeaders
from ._trackers import Trackers

logger = logging.getLogger("consent")
_EXPIRED = "Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"


class CookieRules:
    """Which category each cookie name belongs to: the declared cookies first, then (with auto-blocking) the
    cookies the tracker table knows, such as ``_ga*`` or ``_fbp``."""

    def __init__(self, config: ConsentConfig, trackers: Trackers | None, tracker_category: dict[str, str]) -> None:
        self.own = config.cookie_name
        self.block_undeclared = config.block_undeclared_cookies
        self.cookie_domain = config.cookie_domain
        # (name, pattern, category, path, domain, match only names the browser sent); names are case-sensitive.
        self.rules: list[tuple[str, re.Pattern[str], str, str, str | None, bool]] = []
        for cookie in config.cookies:
            self._add(cookie.name, cookie.category, cookie.path, cookie.domain, declared=True)
        if trackers is not None:
            for provider in trackers.providers.values():
                category = tracker_category.get(provider.category, provider.category)
                for name in provider.cookies:
                    self._add(name, category, "/", None, declared=False)

    def _add(self, name: str, category: str, path: str, domain: str | None, declared: bool) -> None:
        # Globs, and the table's cookies (dozens of names a given site never uses), are only expired when
        # the browser actually sent them; a declared name is expired even when not sent (another path).
        present_only = not declared or any(c in name for c in "*?[")
        self.rules.append(
            (name, re.compile(translate(name)), category, path, domain.lstrip(".") if domain else None, present_only)
        )

    def category(self, name: str) -> str | None:
        if name == self.own:
            return NECESSARY
        for _, pattern, category, _, _, _ in self.rules:
            if pattern.match(name):
                return category
        return None

    def filter(self, headers: RawHeaders, allowed: frozenset[str]) -> tuple[RawHeaders, bool]:
        """``headers`` without the ``Set-Cookie`` lines for cookies the visitor has not allowed, and whether
        that depended on the visitor's choice (some cookie was of a category one can refuse)."""
        kept: RawHeaders = []
        dependent = False
        for key, value in headers:
            if key == b"set-cookie":
                name = value.split(b"=", 1)[0].strip().decode("latin-1")
                category = self.category(name)
                if category is None:
                    refused = self.block_undeclared
                else:
                    refused = category != NECESSARY and category not in allowed
                    dependent = dependent or category != NECESSARY
                if refused:
                    logger.debug("consent: dropped Set-Cookie %s (category %s not allowed)", name, category)
                    continue
            kept.append((key, value))
        return kept, dependent

    def expiring(self, refused: Iterable[str], present: Iterable[str], host: str | None, secure: bool) -> list[bytes]:
        """``Set-Cookie`` headers that expire every known cookie of the ``refused`` categories.

        Exact names are expired whether or not the browser sent them (a cookie on another path is not sent
        here); globs can only match the names the request carried. Each goes out for its declared path and
        domain, the bare host (host-only and ``Domain=host``) and the configured ``cookie_domain``.
        """
        refused = set(refused)
        present = list(present)
        hostname = (host or "").rsplit(":", 1)[0].strip("[]").lower() or None
        out: list[bytes] = []
        seen: set[tuple[str, str, str | None]] = set()
        for declared, pattern, category, path, domain, present_only in self.rules:
            if category not in refused:
                continue
            for name in [n for n in present if pattern.match(n)] if present_only else [declared]:
                if name == self.own:
                    continue
                for where in (None, hostname, self.cookie_domain, domain):
                    key = (name, path, where)
                    if key in seen or (where is not None and not where):
                        continue
                    seen.add(key)
                    parts = [f"{name}=", f"Path={path}", _EXPIRED]
                    if where:
                        parts.append(f"Domain={where}")
                    if secure or name.startswith(("__Secure-", "__Host-")):
                        parts.append("Secure")
                    out.append("; ".join(parts).encode("latin-1"))
        return out
