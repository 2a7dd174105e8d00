"""From a decision on ``POST /consent`` to its record: built from the request, made durable in the consent log
(when there is one) before the answer, and handed to ``on_decision`` after it."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from starlette.background import BackgroundTask
from starlette.types import Scope

from .._config import ConsentConfig
from .._headers import request_header
from .._i18n import Negotiator
from .._pages import Pages
from .._render import Renderer
from .._security import safe_next
from .._state import ConsentState
from .hooks import HookRunner
from .record import SOURCES, ConsentRecord, new_record_id, record_path, truncate_ip, user_agent_family
from .settings import LogTarget, target
from .spool import Spool
from .texts import ShownTexts
from .writer import ConsentLog, LogStore, start_replay_thread

logger = logging.getLogger("consent.log")
MAX_PROVIDER = 80


def open_store(found: LogTarget) -> LogStore:
    if found.kind == "sqlite":
        from .sqlite import SqliteStore

        assert found.path is not None
        return SqliteStore(found.path)
    if found.kind == "postgres":
        from .postgres import PostgresStore

        assert found.url is not None
        return PostgresStore(found.url)
    store: LogStore = found.store
    return store


def open_log(config: ConsentConfig) -> ConsentLog | None:
    """The configured `ConsentLog` (None when ``consent_log`` is not set); replays what a process that died
    left in the spool, in the background."""
    found = target(config.consent_log, config.consent_log_spool)
    if found is None:
        return None
    store = open_store(found)
    assert found.spool is not None  # required by target()
    describe = getattr(store, "describe", None)
    log = ConsentLog(store, Spool(found.spool), config.consent_log_timeout, describe() if describe else "")
    start_replay_thread(log)
    return log


class Recorder:
    """What happens to a decision besides the cookie: its record, the log, the hook."""

    def __init__(self, config: ConsentConfig, renderer: Renderer, negotiator: Negotiator, pages: Pages) -> None:
        self.config = config
        self.negotiator = negotiator
        self.texts = ShownTexts(config, renderer, pages)
        self.log = open_log(config)
        hook = config.on_decision
        self.hooks = HookRunner(hook, config.on_decision_timeout) if hook is not None else None
        self._optional = frozenset(config.optional_keys)

    def record(
        self,
        scope: Scope,
        state: ConsentState,
        dnt: bool,
        fields: Mapping[str, Any],
        action: str,
        categories: Mapping[str, bool],
        consent_id: str,
        now: datetime,
    ) -> ConsentRecord:
        """The record of one decision. Where it was made, the page and the language come from the form's hidden
        fields (``source``, ``lang``, ``provider``); a JSON post, or a form without them, is the API."""
        is_json = (request_header(scope, b"content-type") or "").lower().startswith("application/json")
        source = fields.get("source") if not is_json else "api"
        if source not in SOURCES:
            source = "api"
        locale = self._locale(scope, fields.get("lang"))
        provider = fields.get("provider")
        if not isinstance(provider, str) or len(provider) > MAX_PROVIDER or not provider.isprintable():
            provider = ""
        chosen = fields.get("category", ())
        wanted = tuple(sorted({c for c in chosen if isinstance(c, str) and c in self._optional}))
        mode = str(getattr(state.mode, "value", state.mode))  # a plain string (the Mode enum's value)
        text = self.texts.get(
            source, locale, mode, gpc=state.gpc, decided=state.decided, provider=provider, categories=wanted
        )
        client = scope.get("client")
        return ConsentRecord(
            consent_id=consent_id,
            time=now,
            action=action,
            categories=categories,
            policy_version=self.config.policy_version,
            mode=mode,
            gpc=state.gpc,
            dnt=dnt,
            record_id=new_record_id(),
            region=state.region,
            locale=locale,
            source=str(source),
            path=record_path(self._page(scope, fields.get("next"))),
            text=text,
            user_agent=user_agent_family(request_header(scope, b"user-agent")),
            ip=truncate_ip(client[0] if client else None) if self.config.consent_log_truncated_ip else None,
        )

    def _locale(self, scope: Scope, posted: Any) -> str:
        if isinstance(posted, str) and posted and (found := self.negotiator.match(posted[:35])):
            return found
        header = request_header(scope, b"accept-language")
        return self.negotiator.from_header(header) or self.config.default_locale

    @staticmethod
    def _page(scope: Scope, next_value: Any) -> str:
        """The page the choice was made on: the form's ``next`` (the page itself), else the Referer's path."""
        if isinstance(next_value, str) and next_value:
            return safe_next(next_value, "")
        referer = request_header(scope, b"referer")
        if referer:
            try:
                return urlsplit(referer).path
            except ValueError:
                return ""
        return ""

    async def commit(self, record: ConsentRecord) -> None:
        """Make the record durable before the visitor is answered (bounded by ``consent_log_timeout``)."""
        if self.log is not None:
            await self.log.commit(record)

    def after_response(self, record: ConsentRecord) -> BackgroundTask | None:
        """The hook call, to run once the response is sent."""
        if self.hooks is None:
            return None
        return BackgroundTask(self.hooks, record)
