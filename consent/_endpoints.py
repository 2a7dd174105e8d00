"""The middleware's own routes: the consent endpoint, the settings and policy pages, and the static assets."""

from __future__ import annotations

import gzip
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qsl

from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import Receive, Scope, Send

from ._config import NECESSARY, ConsentConfig
from ._cookie import ConsentCookie, cookie_values, utcnow
from ._enforce import CookieRules
from ._forms import BadRequest, read_fields
from ._headers import request_header
from ._i18n import Negotiator
from ._layout import Page
from ._log import Recorder
from ._modes import Mode
from ._pages import Pages
from ._render import Asset, Renderer
from ._security import is_cross_site, safe_next
from ._state import ConsentState
from ._visitor import Visitor

logger = logging.getLogger("consent")

# "allow" adds the given categories to what the visitor already allows (an embed's "Always allow …").
ACTIONS = ("accept", "reject", "save", "withdraw", "allow")
GPC_SUPPORT_SINCE = date(2026, 11, 28)  # lastUpdate of /.well-known/gpc.json when policy_updated is not set
# Where a choice is made, no other site may frame us (clickjacking: a hidden Accept under a decoy button).
NOT_FRAMED = {"x-frame-options": "DENY", "content-security-policy": "frame-ancestors 'none'"}
NO_STORE = {"cache-control": "no-store", **NOT_FRAMED}
PRIVATE = {"cache-control": "private, no-store", "vary": "Cookie"}


@dataclass(frozen=True)
class Request:
    """What the middleware already knows about the request, so handlers don't parse it again."""

    scope: Scope
    path: str  # the route path, without root_path
    root_path: str
    state: ConsentState
    dnt: bool = False  # the request carried DNT: 1

    @property
    def method(self) -> str:
        return str(self.scope["method"])

    def header(self, name: bytes) -> str | None:
        return request_header(self.scope, name)

    def query(self, name: str) -> str | None:
        for key, value in parse_qsl(self.scope.get("query_string", b"").decode("latin-1")):
            if key == name:
                return str(value)
        return None


class Endpoints:
    def __init__(
        self,
        config: ConsentConfig,
        cookie: ConsentCookie,
        renderer: Renderer,
        assets: Mapping[str, Asset],
        negotiator: Negotiator,
        visitor: Visitor,
        cookie_rules: CookieRules,
    ) -> None:
        self.config = config
        self.negotiator = negotiator
        self.visitor = visitor
        self.cookie_rules = cookie_rules
        self.cookie = cookie
        self.renderer = renderer
        self.pages = Pages(config, renderer)
        self.recorder = Recorder(config, renderer, negotiator, self.pages)
        self._assets = {asset.path: (asset, gzip.compress(asset.body, 9, mtime=0)) for asset in assets.values()}
        prefix = config.prefix
        self.routes = {
            prefix: self.consent,
            prefix + "/settings": self.settings,
            "/.well-known/gpc.json": self.gpc_json,
        }
        if config.policy_path is not None:  # None: the app serves the policy (consent.policy_html)
            self.routes[config.policy_path] = self.policy
        self.static_prefix = prefix + "/static/"

    def handles(self, path: str) -> bool:
        return path in self.routes or path.startswith(self.static_prefix)

    async def __call__(self, request: Request, receive: Receive, send: Send) -> None:
        handler = self.routes.get(request.path)
        try:
            if handler is not None:
                response = await handler(request, receive)
            else:
                response = self.asset(request)
        except BadRequest as exc:
            response = PlainTextResponse(exc.detail, status_code=exc.status, headers=NO_STORE)
        await response(request.scope, receive, send)

    # -- GET/POST {prefix} ------------------------------------------------------------------------------

    async def consent(self, request: Request, receive: Receive) -> Response:
        if request.method in ("GET", "HEAD"):
            return JSONResponse(request.state.to_json(), headers={**PRIVATE, **NOT_FRAMED})
        if request.method != "POST":
            return _not_allowed("GET, HEAD, POST")
        if is_cross_site(request.scope, self.config.cookie_domain):
            # A third-party page must not be able to record (or erase) a choice for the visitor.
            return PlainTextResponse("Cross-site consent requests are not accepted.", 403, headers=NO_STORE)
        fields = await read_fields(request.header, receive)
        action = fields.get("action")
        if not isinstance(action, str) or action not in ACTIONS:
            raise BadRequest(400, f"Unknown action; expected one of: {', '.join(ACTIONS)}.")
        chosen = fields.get("category", ())
        if action == "allow":
            # "Always allow X" adds X; it must never turn into a decision that refuses everything (X unknown,
            # or not something this visitor can allow, as in notice mode).
            grantable = Mode(request.state.mode).grantable(frozenset(self.config.optional_keys))
            if not isinstance(chosen, list) or not grantable.intersection(chosen):
                raise BadRequest(400, "Nothing to allow: name a category this site asks consent for.")
        return await self._decide(request, action, fields)

    async def _decide(self, request: Request, action: str, fields: dict[str, Any]) -> Response:
        chosen = fields.get("category", ())
        config = self.config
        optional = config.optional_keys
        state = request.state
        if action == "accept":
            granted = set(Mode(state.mode).grantable(frozenset(optional)))
        elif action == "save":
            granted = {c for c in chosen if c in optional}  # unknown categories are ignored
        elif action == "allow":
            granted = {k for k, v in state.categories.items() if v and k in optional} | (set(chosen) & set(optional))
        else:
            granted = set()
        consent_id = state.consent_id or self.cookie.new_id()
        secure = request.scope.get("scheme") == "https"
        now = utcnow()
        if action == "withdraw":
            set_cookies = [self.cookie.delete_cookie_header(secure=secure)]
            new_state = self.visitor.state(None, state.mode, state.gpc, request.dnt, state.region)
            stored = {k: k == NECESSARY for k in config.category_keys}
        else:
            set_cookies = [self.cookie.set_cookie_header(self.cookie.dumps(granted, consent_id), secure=secure)]
            new_state = self.visitor.state(
                None, state.mode, state.gpc, request.dnt, state.region, granted, consent_id, now
            )
            stored = {k: k == NECESSARY or k in granted for k in config.category_keys}
        # What the visitor refuses from now on, its cookies go now (HttpOnly ones too).
        refused = [k for k, allowed in new_state.categories.items() if not allowed]
        if refused:
            present = [
                pair.partition("=")[0].strip()
                for key, value in request.scope.get("headers", ())
                if key.lower() == b"cookie"
                for pair in value.decode("latin-1").split(";")
            ]
            set_cookies += self.cookie_rules.expiring(refused, present, request.header(b"host"), secure)
        if _consent_cookies(request.scope, self.cookie.name) > 1:  # a planted copy: it goes now
            set_cookies += self.cookie.stray_headers(request.header(b"host"), self.config.prefix, secure)
        # The record is durable (or spooled) before the answer; the visitor never waits past the log's timeout.
        record = self.recorder.record(request.scope, state, request.dnt, fields, action, stored, consent_id, now)
        await self.recorder.commit(record)
        if _wants_json(request):
            response: Response = JSONResponse(new_state.to_json(), headers=NO_STORE)
        else:
            # 303: the browser follows with a GET, so a reload of the next page does not re-post the form.
            target = request.root_path + "/" if request.root_path else "/"
            response = RedirectResponse(safe_next(fields.get("next"), target), status_code=303, headers=NO_STORE)
        for header in set_cookies:
            response.raw_headers.append((b"set-cookie", header))
        response.background = self.recorder.after_response(record)  # on_decision, once the answer is sent
        return response

    # -- pages ----------------------------------------------------------------------------------------

    def page_locale(self, request: Request) -> str:
        return self._locale(request)[0]

    def _locale(self, request: Request) -> tuple[str, dict[str, str]]:
        """Our pages' language: ``?lang=`` (the banner's links carry the page's language), else the visitor's
        ``Accept-Language`` (the response then varies on it), else the default."""
        asked = request.query("lang")
        if asked and (found := self.negotiator.match(asked)):
            return found, PRIVATE
        found = self.negotiator.from_header(request.header(b"accept-language"))
        return found or self.config.default_locale, {**PRIVATE, "vary": "Cookie, Accept-Language"}

    async def settings(self, request: Request, receive: Receive) -> Response:
        if request.method not in ("GET", "HEAD"):
            return _not_allowed("GET, HEAD")
        locale, headers = self._locale(request)
        page = self.settings_page(request, locale)
        html = await self.pages.html(page, request.scope)
        return HTMLResponse(html, headers={**headers, **NOT_FRAMED, "x-robots-tag": "noindex"})

    async def policy(self, request: Request, receive: Receive) -> Response:
        if request.method not in ("GET", "HEAD"):
            return _not_allowed("GET, HEAD")
        locale, headers = self._locale(request)
        html = await self.pages.html(self.policy_page(request, locale), request.scope)
        return HTMLResponse(html, headers=headers)

    def settings_page(self, request: Request, locale: str) -> Page:
        home = request.root_path + "/" if request.root_path else "/"
        next_path = safe_next(request.query("next"), home)
        return self.pages.settings(locale, request.root_path, request.state, next_path)

    def policy_page(self, request: Request, locale: str) -> Page:
        here = request.root_path + request.path  # the policy's own address, for the settings link's next
        return self.pages.policy(locale, request.root_path, request.state, self.cookie.name, here)

    async def gpc_json(self, request: Request, receive: Receive) -> Response:
        """The GPC support resource (w3c/gpc): this site honours Global Privacy Control."""
        if request.method not in ("GET", "HEAD"):
            return _not_allowed("GET, HEAD")
        updated = self.config.policy_updated or GPC_SUPPORT_SINCE
        return JSONResponse(
            {"gpc": True, "lastUpdate": updated.isoformat()}, headers={"cache-control": "public, max-age=86400"}
        )

    def asset(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return _not_allowed("GET, HEAD")
        found = self._assets.get(request.path[len(self.config.prefix) :])
        if found is None:
            return PlainTextResponse("Not found.", 404, headers=NO_STORE)
        asset, compressed = found
        # The file name carries a hash of the content, so the URL never serves anything else.
        headers = {"cache-control": "public, max-age=31536000, immutable", "vary": "Accept-Encoding"}
        if _accepts_gzip(request.header(b"accept-encoding")):
            headers["content-encoding"] = "gzip"
            return Response(compressed, media_type=asset.media_type, headers=headers)
        return Response(asset.body, media_type=asset.media_type, headers=headers)


def _consent_cookies(scope: Scope, name: str) -> int:
    marker = name.encode() + b"="
    return sum(len(cookie_values(value, marker)) for key, value in scope.get("headers", ()) if key.lower() == b"cookie")


def _not_allowed(allow: str) -> Response:
    return PlainTextResponse("Method not allowed.", 405, headers={"allow": allow, **NO_STORE})


def _wants_json(request: Request) -> bool:
    accept = (request.header(b"accept") or "").lower()
    content_type = (request.header(b"content-type") or "").lower()
    return content_type.startswith("application/json") or ("application/json" in accept and "text/html" not in accept)


def _accepts_gzip(header: str | None) -> bool:
    """True if ``Accept-Encoding`` allows gzip (``gzip;q=0`` refuses it)."""
    for item in (header or "").lower().split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip() in ("gzip", "x-gzip"):
            quality = params.strip()
            if quality.startswith("q="):
                try:
                    return float(quality[2:]) > 0
                except ValueError:
                    return False
            return True
    return False
