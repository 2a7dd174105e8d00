"""The middleware's own routes: the consent endpoint, the settings and policy pages, and the static assets."""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qsl

from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import Receive, Scope, Send

from ._config import NECESSARY, ConsentConfig
from ._cookie import ConsentCookie, utcnow
from ._enforce import CookieRules
from ._headers import request_header
from ._i18n import Negotiator
from ._log import Recorder
from ._render import Asset, Renderer
from ._security import is_cross_site, safe_next
from ._state import ConsentState
from ._visitor import Visitor

logger = logging.getLogger("consent")

# "allow" adds the given categories to what the visitor already allows (an embed's "Always allow …").
ACTIONS = ("accept", "reject", "save", "withdraw", "allow")
GPC_SUPPORT_SINCE = date(2026, 11, 28)  # lastUpdate of /.well-known/gpc.json when policy_updated is not set
MAX_BODY = 16 * 1024  # a consent form is a few hundred bytes
MAX_FIELDS = 200
NO_STORE = {"cache-control": "no-store"}
PRIVATE = {"cache-control": "private, no-store", "vary": "Cookie"}


class BadRequest(Exception):
    def __init__(self, status: int, detail: str) -> None:
        self.status = status
        self.detail = detail


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
        self.recorder = Recorder(config, renderer, negotiator)
        self._assets = {asset.path: (asset, gzip.compress(asset.body, 9, mtime=0)) for asset in assets.values()}
        prefix = config.prefix
        self.routes = {
            prefix: self.consent,
            prefix + "/settings": self.settings,
            config.policy_path: self.policy,
            "/.well-known/gpc.json": self.gpc_json,
        }
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
            return JSONResponse(request.state.to_json(), headers=PRIVATE)
        if request.method != "POST":
            return _not_allowed("GET, HEAD, POST")
        if is_cross_site(request.scope, self.config.cookie_domain):
            # A third-party page must not be able to record (or erase) a choice for the visitor.
            return PlainTextResponse("Cross-site consent requests are not accepted.", 403, headers=NO_STORE)
        fields = await self._read_fields(request, receive)
        action = fields.get("action")
        if not isinstance(action, str) or action not in ACTIONS:
            raise BadRequest(400, f"Unknown action; expected one of: {', '.join(ACTIONS)}.")
        return await self._decide(request, action, fields)

    async def _read_fields(self, request: Request, receive: Receive) -> dict[str, Any]:
        content_type = (request.header(b"content-type") or "").split(";")[0].strip().lower()
        length = request.header(b"content-length")
        if length is not None:
            if not length.strip().isdigit():
                raise BadRequest(400, "Malformed Content-Length.")
            if int(length) > MAX_BODY:
                raise BadRequest(413, "Request body too large.")
        body = await _read_body(receive)
        if content_type == "application/json":
            try:
                data = json.loads(body)
            except (ValueError, UnicodeError, RecursionError):  # RecursionError: "[[[[…" nested 16 000 deep
                raise BadRequest(400, "Malformed JSON.") from None
            if not isinstance(data, dict):
                raise BadRequest(400, "Expected a JSON object.")
            categories = data.get("categories", data.get("category", []))
            if isinstance(categories, str):
                categories = [categories]
            if not isinstance(categories, list):
                raise BadRequest(400, "categories must be a list of strings.")
            return {
                "action": data.get("action"),
                "category": [c for c in categories if isinstance(c, str)],
                "next": data.get("next"),
            }
        if content_type in ("application/x-www-form-urlencoded", ""):
            try:
                pairs = parse_qsl(body.decode("ascii"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
            except (ValueError, UnicodeError):
                raise BadRequest(400, "Malformed form data.") from None
            fields: dict[str, Any] = {"category": []}
            for key, value in pairs:
                if key == "category":
                    fields["category"].append(value)
                else:
                    fields.setdefault(key, value)
            return fields
        raise BadRequest(415, "Send application/x-www-form-urlencoded or application/json.")

    async def _decide(self, request: Request, action: str, fields: dict[str, Any]) -> Response:
        chosen = fields.get("category", ())
        config = self.config
        optional = config.optional_keys
        state = request.state
        if action == "accept" and state.mode != "notice":
            granted = set(optional)
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
        home = request.root_path + "/" if request.root_path else "/"
        next_path = safe_next(request.query("next"), home)
        locale, headers = self._locale(request)
        html = self.renderer.settings_page(locale, request.root_path, request.state, next_path)
        return HTMLResponse(html, headers={**headers, "x-robots-tag": "noindex"})

    async def policy(self, request: Request, receive: Receive) -> Response:
        if request.method not in ("GET", "HEAD"):
            return _not_allowed("GET, HEAD")
        locale, headers = self._locale(request)
        html = self.renderer.policy_page(locale, request.root_path, request.state, self.cookie.name)
        return HTMLResponse(html, headers=headers)

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


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise BadRequest(400, "Client disconnected.")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            raise BadRequest(413, "Request body too large.")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)
