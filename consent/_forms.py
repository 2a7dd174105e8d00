"""Reading the consent endpoint's request body: a small form or JSON object, bounded, never a 500."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import anyio
from starlette.types import Receive

MAX_BODY = 16 * 1024  # a consent form is a few hundred bytes
MAX_FIELDS = 200
BODY_DEADLINE = 10.0  # seconds for the whole body: a client that never finishes is answered 408, not waited for


class BadRequest(Exception):
    def __init__(self, status: int, detail: str) -> None:
        self.status = status
        self.detail = detail


async def read_fields(header: Callable[[bytes], str | None], receive: Receive) -> dict[str, Any]:
    content_type = (header(b"content-type") or "").split(";")[0].strip().lower()
    length = header(b"content-length")
    if length is not None:
        digits = length.strip()
        if not digits.isascii() or not digits.isdigit():  # "²" or "٣" are digits to str.isdigit, not to int()
            raise BadRequest(400, "Malformed Content-Length.")
        if int(length) > MAX_BODY:
            raise BadRequest(413, "Request body too large.")
    with anyio.move_on_after(BODY_DEADLINE if BODY_DEADLINE > 0 else math.inf) as deadline:
        body = await _read_body(receive)
    if deadline.cancelled_caught:
        raise BadRequest(408, "The request body did not arrive in time.")
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
