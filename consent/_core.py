"""The collaborators of one configuration, built once at startup and shared by every request."""

from __future__ import annotations

import logging

from ._config import ConsentConfig
from ._cookie import ConsentCookie
from ._endpoints import Endpoints
from ._enforce import CookieRules
from ._guard import Guard
from ._html import backend
from ._html.gate import Blocking
from ._html.rewriter import Engine
from ._i18n import Negotiator
from ._memo import Memo
from ._render import Renderer, load_assets
from ._state import ConsentState
from ._tags import head_script
from ._trackers import Trackers, load_table, provider_from
from ._visitor import Visitor

GOOGLE_TAGS = frozenset(("google-analytics", "google-tag-manager", "google-ads"))
logger = logging.getLogger("consent")


class Core:
    """Everything a request needs that does not depend on the request."""

    def __init__(self, config: ConsentConfig) -> None:
        self.config = config
        self.cookie = ConsentCookie(config)
        self.visitor = Visitor(config, self.cookie)
        self.trackers = load_trackers(config)
        category = dict(config.tracker_categories)
        exempt = GOOGLE_TAGS if config.google_consent_mode == "advanced" else frozenset()
        self.blocking = Blocking(self.trackers, category, exempt) if config.auto_block else None
        self.cookie_rules = CookieRules(config, self.trackers if config.auto_block else None, category)
        # The client guard holds back what the tracker table's hosts are asked for at run time: it needs the table.
        self.guard = Guard(config, self.blocking) if config.client_guard and self.blocking is not None else None
        assets = load_assets()
        if self.guard is not None:
            assets["guard"] = self.guard.asset
        self.renderer = Renderer(config, assets, self.trackers)
        self.negotiator = Negotiator(config.locales or (), config.default_locale)
        self.endpoints = Endpoints(
            config, self.cookie, self.renderer, assets, self.negotiator, self.visitor, self.cookie_rules
        )
        self.engine = Engine(self.blocking, config.optional_keys)
        if backend.WHY_PURE and backend.WHY_PURE != backend.FORCED:
            logger.warning("asgi-consent: %s", backend.WHY_PURE)
        # Render once at startup: a broken template or catalog fails here, not on a visitor's request.
        for locale in config.locales or ():
            self.renderer.prerender(locale)
        self.exclude = tuple(config.exclude_paths)
        self.region_vary = config.region_header.encode() if config.region_header else None
        # Rewritten whole pages: a news article is the same bytes for thousands of readers.
        self.pages: Memo[tuple[object, ...], object] = Memo("pages", 2048, 32 << 20, 1 << 20)
        # The head markup's parts per visitor kind (consent._plan.head_markup).
        self.head_markups: Memo[tuple[object, ...], tuple[bytes | None, bytes | None, bytes | None]] = Memo(
            "head markup", 256, 512 << 10
        )

    def head(self, state: ConsentState, shared: bool) -> bytes | None:
        """The Consent Mode / Matomo script for the top of ``<head>`` (None when neither is on).

        A shared (cacheable) page gets the mode's defaults only; the client script sends the update. Built once
        per visitor kind by the caller (`consent._plan.head_markup`)."""
        config = self.config
        if not (config.google_consent_mode or config.matomo):
            return None
        gpc = state.gpc and not shared
        decided = state.decided and not shared
        defaults = self.visitor.state(None, state.mode, gpc, False, None).categories
        return head_script(config, defaults, state.categories if decided else None).encode()


def load_trackers(config: ConsentConfig) -> Trackers:
    version, entries = load_table()
    providers = {entry["id"]: provider_from(entry, f"trackers.json providers[{i}]") for i, entry in enumerate(entries)}
    for i, entry in enumerate(config.trackers):  # the site's own entries add to or replace the table's
        provider = provider_from(entry, f"trackers[{i}]")
        providers[provider.id] = provider
    return Trackers(providers.values())
