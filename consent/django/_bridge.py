"""Between Django and the core's ASGI-shaped view of a request and a response: a scope from an ``HttpRequest``
(WSGI or ASGI), an ASGI start message from an ``HttpResponse``, and the core's verdict on the headers written
back into it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from http.cookies import CookieError, Morsel
from typing import Any

from django.http import HttpRequest, HttpResponseBase

RawHeaders = list[tuple[bytes, bytes]]
_WSGI_PLAIN = {"CONTENT_TYPE": b"content-type", "CONTENT_LENGTH": b"content-length"}
_ATTRIBUTES = {"path": "path", "domain": "domain", "max-age": "max-age", "expires": "expires", "samesite": "samesite"}
_FLAGS = {"secure": "secure", "httponly": "httponly"}


def request_scope(request: HttpRequest) -> dict[str, Any]:
    """An ASGI HTTP scope for ``request``: the raw headers and query of an ASGI request, or those a WSGI server
    put into ``META``; the scheme as Django sees it (``SECURE_PROXY_SSL_HEADER``); ``SCRIPT_NAME`` (or
    ``FORCE_SCRIPT_NAME``) as the root path."""
    meta = request.META
    asgi = getattr(request, "scope", None)  # Django's ASGIRequest keeps the server's scope
    if isinstance(asgi, Mapping):
        headers = list(asgi.get("headers", ()))
        query = asgi.get("query_string", b"")
        client, server = asgi.get("client"), asgi.get("server")
    else:
        headers = wsgi_headers(meta)
        query = str(meta.get("QUERY_STRING", "")).encode("latin-1", "replace")
        client = (meta["REMOTE_ADDR"], int(meta.get("REMOTE_PORT") or 0)) if meta.get("REMOTE_ADDR") else None
        server = (meta.get("SERVER_NAME", ""), int(meta.get("SERVER_PORT") or 0) or None)
    path, path_info = request.path, request.path_info
    root_path = path[: len(path) - len(path_info)] if path_info and path.endswith(path_info) else ""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": request.method or "GET",
        "scheme": request.scheme,
        "path": path,
        "root_path": root_path,
        "query_string": query,
        "headers": headers,
        "client": client,
        "server": server,
    }


def wsgi_headers(meta: Mapping[str, Any]) -> RawHeaders:
    """The request headers a WSGI server put into the environ (PEP 3333: latin-1 strings)."""
    headers: RawHeaders = []
    for key, value in meta.items():
        if key.startswith("HTTP_"):
            name = key[5:].replace("_", "-").lower().encode("latin-1")
        elif key in _WSGI_PLAIN and value:
            name = _WSGI_PLAIN[key]
        else:
            continue
        headers.append((name, str(value).encode("latin-1", "replace")))
    return headers


class ResponseHeaders:
    """A response's headers as an ASGI start message sees them (cookies included), and the way back.

    Django keeps one value per header name and one cookie per name (``response.cookies``); the core only
    removes ``Set-Cookie`` lines from a page response, so each line it keeps is mapped back to the morsel or
    header it came from."""

    def __init__(self, response: HttpResponseBase) -> None:
        self.response = response
        self.names = {key.lower(): key for key in response.headers}  # the app's spelling, kept on the way back
        self.raw: RawHeaders = [(k.lower().encode("latin-1"), str(v).encode("latin-1")) for k, v in response.items()]
        self.morsels: dict[bytes, str] = {}
        for key, morsel in response.cookies.items():
            line = morsel.output(header="").strip().encode("latin-1")
            self.morsels[line] = key
            self.raw.append((b"set-cookie", line))

    def start(self) -> dict[str, Any]:
        return {"type": "http.response.start", "status": self.response.status_code, "headers": list(self.raw)}

    def apply(self, headers: Iterable[tuple[bytes, bytes]]) -> None:
        """Write ``headers`` (what the core made of `start`'s) back into the response."""
        final = [(bytes(k).lower(), bytes(v)) for k, v in headers]
        if final == self.raw:
            return
        response = self.response
        kept = {v for k, v in final if k == b"set-cookie"}
        for line, cookie in self.morsels.items():
            if line not in kept:
                del response.cookies[cookie]
        others: dict[str, list[str]] = {}
        for name, value in final:
            if name != b"set-cookie" or value not in self.morsels:
                others.setdefault(name.decode("latin-1"), []).append(value.decode("latin-1"))
        for header in list(response.headers):  # all of them: the order stays the core's (the app's, then ours)
            del response.headers[header]
        for header, values in others.items():
            response.headers[self.names.get(header, header.title())] = ", ".join(values)


def morsel(line: bytes) -> Morsel[str] | None:
    """The cookie a ``Set-Cookie`` line of ours sets, as a morsel with exactly its value and attributes (None
    for a line that a morsel cannot carry as it is)."""
    try:
        text = line.decode("ascii")
    except UnicodeDecodeError:
        return None
    pair, *attributes = (part.strip() for part in text.split(";"))
    name, equals, value = pair.partition("=")
    if not equals:
        return None
    found: Morsel[str] = Morsel()
    try:
        found.set(name, value, value)  # the value as it is: no quoting
    except CookieError:
        return None
    for attribute in attributes:
        key, _, setting = attribute.partition("=")
        key = key.strip().lower()
        if key in _ATTRIBUTES and setting:
            found[_ATTRIBUTES[key]] = setting.strip()
        elif key in _FLAGS and not setting:
            found[_FLAGS[key]] = True
        else:
            return None
    return found
