"""The consent cookie: a compact payload signed with itsdangerous, and its ``Set-Cookie`` header.

Payload (before the signer appends ``.timestamp.signature``)::

    1:<policy_version>:<granted categories joined by '.'>:<consent id>

It holds no personal data; the consent id is random and exists so that decisions can be matched to the
records the site keeps through ``on_decision``. The server sets the cookie on its own endpoint only: Safari
caps cookies written by JavaScript at seven days.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from itsdangerous import BadData, TimedSerializer

from ._config import ConsentConfig
from ._memo import Memo

FORMAT = "1"
SALT = "asgi-consent.cookie.v1"
# Browsers ignore cookies whose name and value exceed 4096 bytes (RFC 6265 section 6.1).
MAX_COOKIE_BYTES = 4096


class _Compact:
    """A text serializer for itsdangerous: a ':'-separated line instead of JSON, so the cookie stays small
    and the client script can read the (unsigned) state without decoding anything."""

    @staticmethod
    def dumps(obj: Mapping[str, Any]) -> str:
        return ":".join((FORMAT, obj.get("v", ""), ".".join(obj.get("c", ())), obj.get("i", "")))

    @staticmethod
    def loads(text: str) -> dict[str, Any]:
        fmt, version, granted, consent_id = text.split(":")
        if fmt != FORMAT:
            raise ValueError("unknown cookie format")
        return {"v": version, "c": tuple(granted.split(".")) if granted else (), "i": consent_id}


@dataclass(frozen=True, eq=False)  # identity: the verified-cookie memo hands out one object per cookie value
class StoredChoice:
    granted: frozenset[str]
    consent_id: str
    decided_at: datetime
    timestamp: float  # decided_at as seconds since the epoch


class ConsentCookie:
    """Reads and writes the consent cookie for one configuration."""

    def __init__(self, config: ConsentConfig) -> None:
        self.name = config.cookie_name
        self.max_age = config.max_age_seconds
        self.domain = config.cookie_domain
        self.policy_version = config.policy_version
        self._optional = frozenset(config.optional_keys)
        # The signature covers the site (app_id, or the cookie's domain) and the cookie's name: a cookie of
        # another app that shares the secret is not a valid choice here.
        site = config.app_id or config.cookie_domain or ""
        self._serializer: TimedSerializer[str] = TimedSerializer(
            list(config.secret_keys),  # oldest to newest: the last one signs, all of them verify
            salt=f"{SALT}:{site}:{self.name}",
            serializer=_Compact,
            signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha256},
        )
        # Verified values, so that a returning visitor's cookie costs a dict lookup instead of an HMAC (about
        # 14 us) on every request; bounded in bytes, and the age is checked again on every hit.
        self._verified: Memo[str, StoredChoice | bool] = Memo("verified cookies", 8192, 2 << 20, 1024)
        longest = self.dumps(self._optional, "x" * 16)
        if len(self.name) + 1 + len(longest) > MAX_COOKIE_BYTES:  # pragma: no cover - needs ~200 categories
            raise ValueError("categories: too many categories to fit in one cookie")

    def dumps(self, granted: Iterable[str], consent_id: str) -> str:
        cats = sorted(set(granted) & self._optional)
        return self._serializer.dumps({"v": self.policy_version, "c": cats, "i": consent_id})

    def loads(self, value: str) -> StoredChoice | None:
        """The stored choice, or None when the cookie is tampered with, signed by an unknown key, older than
        ``max_age``, for another policy version or unreadable: all of them mean "ask again"."""
        if not value or len(value) > MAX_COOKIE_BYTES:
            return None
        known = self._verified.get(value)
        if known is False:
            return None
        if isinstance(known, StoredChoice) and time.time() - known.timestamp <= self.max_age:
            return known
        choice = self._verify(value)
        self._verified.put(value, choice if choice is not None else False, 96)
        return choice

    def _verify(self, value: str) -> StoredChoice | None:
        try:
            payload, signed_at = self._serializer.loads(value, max_age=self.max_age, return_timestamp=True)
        except (BadData, ValueError, UnicodeError):
            return None
        if payload["v"] != self.policy_version:
            return None
        return StoredChoice(frozenset(payload["c"]) & self._optional, payload["i"], signed_at, signed_at.timestamp())

    @staticmethod
    def new_id() -> str:
        return secrets.token_urlsafe(12)

    def set_cookie_header(self, value: str, *, secure: bool) -> bytes:
        return self._header(value, self.max_age, secure)

    def delete_cookie_header(self, *, secure: bool) -> bytes:
        return self._header("", 0, secure)

    def stray_headers(self, host: str | None, prefix: str, secure: bool) -> list[bytes]:
        """``Set-Cookie`` headers expiring every other copy of the consent cookie this host can reach: host-only
        or for a parent domain, at ``/`` or the endpoint's path (say, one that a sibling subdomain planted).
        A ``__Host-`` cookie cannot be planted at all: none."""
        if self.name.startswith("__Host-"):
            return []
        hostname = (host or "").rsplit(":", 1)[0].strip("[]").lower()
        labels = hostname.split(".") if hostname and not hostname.replace(".", "").isdigit() else []
        domains: list[str | None] = [None] + [".".join(labels[i:]) for i in range(len(labels) - 1)]
        out = []
        for domain in domains:
            for path in ("/", prefix):
                if domain == self.domain and path == "/" or (domain is None and self.domain is None and path == "/"):
                    continue  # the copy this response sets
                parts = [f"{self.name}=", f"Path={path}", "Max-Age=0"]
                if domain:
                    parts.append(f"Domain={domain}")
                if secure or self.name.startswith("__Secure-"):
                    parts.append("Secure")
                out.append("; ".join(parts).encode("latin-1"))
        return out

    def _header(self, value: str, max_age: int, secure: bool) -> bytes:
        # Built by hand rather than with SimpleCookie: the value is already cookie-safe (signer output), and
        # SimpleCookie would quote it. SameSite=Lax, never None: the cookie is first-party only.
        parts = [f"{self.name}={value}", "Path=/", f"Max-Age={max_age}", "SameSite=Lax"]
        if self.domain:
            parts.append(f"Domain={self.domain}")
        if secure or self.name.startswith(("__Host-", "__Secure-")):
            parts.append("Secure")
        return "; ".join(parts).encode("latin-1")


_BLANK = b" \t"


def cookie_values(header: bytes, marker: bytes) -> list[str]:
    """Every value of the cookie ``marker`` (``b"name="``) in a ``Cookie`` header: there may be several (other
    paths or domains). A match must start a pair (only blanks between it and the ``;`` before it, or the start
    of the header), so ``xconsent=`` is not ours; blanks around the value are not part of it."""
    values = []
    at = header.find(marker)
    while at != -1:
        j = at - 1
        while j >= 0 and header[j] in _BLANK:
            j -= 1
        end = header.find(b";", at)
        if j < 0 or header[j] == 0x3B:  # ";"
            value = header[at + len(marker) : end if end != -1 else len(header)].strip(_BLANK)
            if len(value) >= 2 and value[0] == value[-1] == 0x22:  # a quoted value
                value = value[1:-1]
            values.append(value.decode("latin-1"))
        if end == -1:
            break
        at = header.find(marker, end)
    return values


def utcnow() -> datetime:
    return datetime.now(UTC)
