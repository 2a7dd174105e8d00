"""A ready ``[[cookies]]`` block for every cookie the scan saw that the configuration does not declare.

Provider and category come from the tracker table where it knows the cookie; for the others the block
says so in a comment and picks the first category a visitor can refuse, so that pasting it as is keeps the
cookie off until consent (move it to ``necessary`` only if the site cannot work without it).
"""

from __future__ import annotations

import json

from .._config import NECESSARY
from ._classify import Classifier
from ._model import InventoryCookie

_UNITS = (("year", 365 * 86400), ("month", 30 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60))


def duration(seconds: float | None) -> str:
    """The cookie's lifetime as the configuration writes it: ``"13 months"``, ``"session"``… in the largest
    unit that says it within 5 % (400 days, the browsers' cap, is "13 months", not "1 year")."""
    if seconds is None:
        return "session"
    for unit, size in _UNITS:
        count = round(seconds / size)
        if count >= 1 and abs(count * size - seconds) <= 0.05 * seconds or unit == "minute":
            count = max(1, count)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    raise AssertionError("unreachable")  # pragma: no cover


def _string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, except that TOML also forbids a raw DEL)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def block(cookie: InventoryCookie, classifier: Classifier) -> str:
    """One ``[[cookies]]`` table for ``cookie``."""
    lines = ["[[cookies]]", f"name = {_string(cookie.name)}"]
    configured = classifier.categories
    optional = [c for c in configured if c != NECESSARY]
    category = cookie.category
    if not category:
        category = optional[0] if optional else NECESSARY
        shown = "".join(c if c.isprintable() else "?" for c in cookie.name)  # a comment cannot escape
        lines.insert(
            0,
            f"# {shown}: not in the tracker table; {category!r} keeps it off until consent, "
            "use 'necessary' only if the site cannot work without it",
        )
    elif classifier.config is not None and category not in configured:
        lines.insert(0, f"# needs a [[categories]] entry with key = {_string(category)}")
    lines.append(f"category = {_string(category)}")
    provider = cookie.provider or ("This site" if cookie.first_party else cookie.domain.lstrip("."))
    lines.append(f"provider = {_string(provider)}")
    if cookie.provider:
        purpose = f"Used by {cookie.provider} for {category}."
    else:
        purpose = f"Set by {cookie.source or 'this site'}: say what it is for."
    lines.append(f"purpose = {_string(purpose)}  # in your own words, for the policy page")
    lines.append(f"duration = {_string(duration(cookie.expires_in))}")
    if cookie.provider or not cookie.first_party:  # set by someone else, or on their domain
        lines.append("third_party = true")
    if cookie.first_party and cookie.domain.startswith("."):
        lines.append(f"domain = {_string(cookie.domain)}")
    if cookie.path != "/":
        lines.append(f"path = {_string(cookie.path)}")
    return "\n".join(lines)


def undeclared(cookies: list[InventoryCookie], classifier: Classifier) -> str:
    """Blocks for the cookies not declared (each name once), or "" when there are none."""
    seen: set[str] = set()
    blocks = []
    for cookie in cookies:
        if cookie.declared or cookie.name in seen:
            continue
        seen.add(cookie.name)
        blocks.append(block(cookie, classifier))
    return "\n\n".join(blocks) + ("\n" if blocks else "")
