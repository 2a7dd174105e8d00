"""The proof-of-consent record: one visitor's decision, where and how it was made, and what they were shown."""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .._state import ConsentDecision

#: Where a choice can be made: the banner, the settings page, an embed's placeholder, or the JSON API (any
#: other client: the site's own interface, a mobile app).
SOURCES = ("banner", "settings", "embed", "api")
#: The actions that are decisions. An embed's "Load this once" is not one: it is a plain link to the content.
ACTIONS = ("accept", "reject", "save", "withdraw", "allow")
MAX_PATH = 512


@dataclass(frozen=True)
class ShownText:
    """The words a visitor was shown when they chose, and their digest (SHA-256 of ``body``).

    ``body`` is canonical JSON (sorted keys, no spaces): ``source``, ``locale``, ``mode``, ``lines`` (the
    visible text of the banner, settings page or placeholder, in reading order) and ``categories`` (key,
    title and description of each). Stores keep each body once, under its digest.
    """

    digest: str
    body: str = field(repr=False)

    @classmethod
    def of(cls, document: Mapping[str, Any]) -> ShownText:
        body = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return cls(hashlib.sha256(body.encode()).hexdigest(), body)

    @property
    def document(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.body)
        return value


@dataclass(frozen=True)
class ConsentRecord(ConsentDecision):
    """A `ConsentDecision` with what proves it: the record the consent log keeps (and `on_decision` gets).

    ``record_id`` is random and unique: a record written twice (replayed from the spool after a crash) is
    stored once. ``categories`` is the choice as made (``necessary`` always true); ``gpc``/``dnt`` are the
    signals as received, which the site applies on top. ``text`` is what the visitor was shown
    (`ShownText`); ``user_agent`` is the browser family only ("Firefox"); ``ip`` is ``None`` unless
    ``consent_log_truncated_ip`` is set, and then a /24 (IPv4) or /48 (IPv6) network.
    """

    record_id: str = ""
    region: str | None = None
    locale: str = ""
    source: str = "api"
    path: str = ""
    text: ShownText | None = None
    user_agent: str = ""
    ip: str | None = None

    @property
    def granted(self) -> tuple[str, ...]:
        return tuple(k for k, v in self.categories.items() if v)

    @property
    def refused(self) -> tuple[str, ...]:
        return tuple(k for k, v in self.categories.items() if not v)

    @property
    def text_digest(self) -> str:
        return self.text.digest if self.text is not None else ""

    def to_json(self) -> dict[str, Any]:
        """The record as JSON-able values (the text by digest only)."""
        return {
            "record_id": self.record_id,
            **super().to_json(),
            "granted": list(self.granted),
            "refused": list(self.refused),
            "region": self.region,
            "locale": self.locale,
            "source": self.source,
            "path": self.path,
            "text_digest": self.text_digest,
            "user_agent": self.user_agent,
            "ip": self.ip,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], text: ShownText | None = None) -> ConsentRecord:
        """The inverse of `to_json` (``text``: the body for ``text_digest``, when known)."""
        categories = {k: True for k in data["granted"]} | {k: False for k in data["refused"]}
        return cls(
            consent_id=str(data["consent_id"]),
            time=parse_time(data["time"]),
            action=str(data["action"]),
            categories=categories,
            policy_version=str(data["policy_version"]),
            mode=str(data["mode"]),
            gpc=bool(data["gpc"]),
            dnt=bool(data["dnt"]),
            record_id=str(data["record_id"]),
            region=data.get("region"),
            locale=str(data.get("locale", "")),
            source=str(data.get("source", "api")),
            path=str(data.get("path", "")),
            text=text if text is not None else _digest_only(str(data.get("text_digest", ""))),
            user_agent=str(data.get("user_agent", "")),
            ip=data.get("ip"),
        )


def _digest_only(digest: str) -> ShownText | None:
    return ShownText(digest, "") if digest else None


def new_record_id() -> str:
    return secrets.token_urlsafe(16)


def format_time(value: datetime) -> str:
    """UTC, fixed width, microseconds: ``2026-11-28T09:15:02.123456Z`` (sorts as text in time order)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(value: str | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def truncate_ip(address: str | None) -> str | None:
    """The visitor's network, never their address: ``203.0.113.0/24``, ``2001:db8:1::/48`` (None if unknown)."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip().split("%")[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


# Order matters: Edge and Opera say "Chrome", Chrome says "Safari", bots say everything.
_FAMILIES: Sequence[tuple[str, re.Pattern[str]]] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("Bot", r"bot\b|crawl|spider|slurp|headless|lighthouse|preview"),
        ("Edge", r"\bEdg(e|A|iOS)?/"),
        ("Opera", r"\bOPR/|\bOpera\b"),
        ("Samsung Internet", r"SamsungBrowser/"),
        ("Firefox", r"\bFirefox/|\bFxiOS/"),
        ("Chrome", r"\bChrome/|\bCriOS/|\bChromium/"),
        ("Safari", r"\bVersion/[\d.]+.*\bSafari/|\bAppleWebKit/.*\bMobile/"),
        ("Tool", r"^(curl|wget|python|httpx|okhttp|go-http-client|java|libwww|wrk)"),
    )
)


def user_agent_family(header: str | None) -> str:
    """The browser family of a ``User-Agent`` ("Chrome", "Firefox", …, "Bot", "Tool", "Other"): enough to
    read the log, too little to single out a visitor."""
    if not header:
        return "Other"
    text = header[:512]
    for name, pattern in _FAMILIES:
        if pattern.search(text):
            return name
    return "Other"


def record_path(value: str | None) -> str:
    """The page path a choice was made on, without its query (it may carry tokens) and at most 512 characters."""
    if not value:
        return ""
    path = value.split("?", 1)[0].split("#", 1)[0]
    return path[:MAX_PATH]
