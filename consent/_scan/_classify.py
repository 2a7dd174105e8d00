"""Who is behind a host, a cookie or a storage key, and in which of the site's categories it falls.

The tracker table (plus the configuration's own ``trackers`` entries) names providers; the configuration's
``[[cookies]]`` declarations win over the table for cookies, and ``tracker_categories`` maps the table's
categories to the site's. Without a configuration the table's categories are used as they are.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from fnmatch import translate
from urllib.parse import urlsplit

from .._config import NECESSARY, ConsentConfig, CookieDeclaration
from .._trackers import Provider, Trackers, load_table, provider_from

DEFAULT_COOKIE_NAME = "consent"  # ConsentConfig's default, for scans without a configuration


@dataclass(frozen=True)
class Verdict:
    provider: str = ""
    category: str = ""  # "" when nobody knows
    declared: bool = False
    third_party_provider: bool = False  # set by a provider other than the site itself


class Site:
    """Which hosts are the site's: the start host and its subdomains (``www.`` stripped), or exactly the
    start host with ``same_host``. IP addresses and ``localhost`` are only ever themselves."""

    def __init__(self, start_url: str, same_host: bool = False) -> None:
        host = (urlsplit(start_url).hostname or "").lower().rstrip(".")
        if not host:
            raise ValueError(f"{start_url!r} is not an http(s) URL with a host")
        self.host = host
        self.same_host = same_host
        self.base = host[4:] if host.startswith("www.") and not _is_ip(host) else host

    def owns(self, host: str) -> bool:
        """Is ``host`` first party (the site or one of its subdomains)?"""
        host = host.lower().rstrip(".").lstrip(".")
        if host == self.host or host == self.base:
            return True
        return not _is_ip(self.base) and host.endswith("." + self.base)

    def crawls(self, url: str) -> bool:
        """Should a link to ``url`` be followed?"""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        host = (parts.hostname or "").lower()
        return host == self.host if self.same_host else self.owns(host)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host == "localhost"
    return True


class Classifier:
    """Providers and categories for what a page does, from the tracker table and the configuration."""

    def __init__(self, config: ConsentConfig | None) -> None:
        self.config = config
        self.table_version, entries = load_table()
        providers = {e["id"]: provider_from(e, f"trackers.json providers[{i}]") for i, e in enumerate(entries)}
        for i, entry in enumerate(config.trackers if config else ()):
            provider = provider_from(entry, f"trackers[{i}]")
            providers[provider.id] = provider
        self.trackers = Trackers(providers.values())
        self.tracker_categories = dict(config.tracker_categories) if config else {}
        self.cookie_name = config.cookie_name if config else DEFAULT_COOKIE_NAME
        self.categories = config.category_keys if config else (NECESSARY, "analytics", "marketing")
        self.declarations: list[tuple[re.Pattern[str], CookieDeclaration]] = [
            (re.compile(translate(c.name)), c) for c in (config.cookies if config else ())
        ]
        self.table_cookies: list[tuple[re.Pattern[str], Provider]] = [
            (re.compile(translate(name)), p) for p in self.trackers.providers.values() for name in p.cookies
        ]
        self.advanced_google = bool(config and config.google_consent_mode == "advanced")

    def category_of(self, provider: Provider) -> str:
        return self.tracker_categories.get(provider.category, provider.category)

    def provider_for_url(self, url: str) -> Provider | None:
        return self.trackers.for_url(url.encode("utf-8", "replace"))

    def request(self, url: str) -> Verdict:
        provider = self.provider_for_url(url)
        if provider is None:
            return Verdict()
        return Verdict(provider.name, self.category_of(provider), third_party_provider=True)

    def provider_for_host(self, host: str) -> Provider | None:
        return self.provider_for_url(f"https://{host.lstrip('.')}/")

    def cookie(self, name: str, domain: str, setter_url: str = "") -> Verdict:
        """A cookie's provider and category: the consent cookie, then a declaration, then the tracker table
        (by name, then by the cookie's domain, then by the script that set it)."""
        if name == self.cookie_name:
            return Verdict("asgi-consent", NECESSARY, declared=True)
        for pattern, declaration in self.declarations:
            if pattern.match(name):
                return Verdict(declaration.provider, declaration.category, True, declaration.third_party)
        for pattern, provider in self.table_cookies:
            if pattern.match(name):
                return Verdict(provider.name, self.category_of(provider), third_party_provider=True)
        for found in (self.provider_for_host(domain), self.provider_for_url(setter_url) if setter_url else None):
            if found is not None:
                return Verdict(found.name, self.category_of(found), third_party_provider=True)
        return Verdict()

    def storage(self, key: str) -> Verdict:
        """Trackers keep the same names in ``localStorage`` as in their cookies (``_hjid``, ``AMP_…``)."""
        for pattern, provider in self.table_cookies:
            if pattern.match(key):
                return Verdict(provider.name, self.category_of(provider), third_party_provider=True)
        return Verdict()

    def optional(self, category: str) -> bool:
        """Needs consent: a known category other than ``necessary``."""
        return bool(category) and category != NECESSARY

    def google_exempt(self, provider: str) -> bool:
        """Consent Mode "advanced" lets Google's tags send cookieless pings before a choice, by design."""
        if not self.advanced_google:
            return False
        google = {p.name for p in self.trackers.providers.values() if p.id.startswith("google-")}
        return provider in google
