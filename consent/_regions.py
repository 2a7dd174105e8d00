"""Regions: which consent model applies where, chosen per request from a header the CDN sets.

The library never calls a geolocation service: ``region_header`` names a request header (``CF-IPCountry``,
``CloudFront-Viewer-Country``, or one of your own carrying ``US-CA``). A missing or unknown region is treated
as opt-in, the safe choice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ._errors import ConfigError
from ._modes import Mode

EU = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)  # 27 members (Greece is GR in ISO 3166; some CDNs send EL, accepted below)
EEA = EU | {"IS", "LI", "NO"}
GROUPS = {"EU": EU, "EEA": EEA}
# Where consent must be asked before non-necessary cookies (ePrivacy art. 5(3); UK PECR; Swiss sites using
# Google ads under Google's EU user consent policy; Quebec's Law 25): opt-out mode is refused there.
OPT_IN_ONLY = EEA | {"GB", "CH", "CA-QC"}
ALIASES = {"EL": "GR", "UK": "GB"}
_CODE = re.compile(r"[A-Z]{2}(?:-[A-Z0-9]{1,3})?\Z")


def normalize(value: str | None) -> str | None:
    """``"de"`` -> ``"DE"``, ``"us-ca"`` -> ``"US-CA"``, ``"EL"`` -> ``"GR"``; None when not a region code
    (Cloudflare's ``XX`` and ``T1`` included)."""
    if not value:
        return None
    code = value.strip().upper().replace("_", "-")
    if not _CODE.match(code) or code in ("XX", "T1", "ZZ"):
        return None
    country, _, sub = code.partition("-")
    country = ALIASES.get(country, country)
    return f"{country}-{sub}" if sub else country


def opt_in_only(region: str) -> bool:
    return region in OPT_IN_ONLY or region.split("-")[0] in OPT_IN_ONLY


def validate_modes_by_region(table: Mapping[str, str]) -> dict[str, Mode]:
    """Normalise the table; refuse opt-out where the law requires opt-in. Raises ConfigError."""
    out: dict[str, Mode] = {}
    for key, value in table.items():
        where = f"modes_by_region.{key}"
        mode = Mode.parse(value, where)
        if not isinstance(key, str):
            raise ConfigError(where, "must be an ISO 3166 code or a group (EU, EEA)")
        if key.upper() in GROUPS:
            members = GROUPS[key.upper()]
            name = key.upper()
        else:
            code = normalize(key)
            if code is None:
                raise ConfigError(where, "must be an ISO 3166-1 or 3166-2 code (DE, US-CA) or a group (EU, EEA)")
            members = frozenset((code,))
            name = code
        if not mode.asks_first and any(opt_in_only(m) for m in members):
            raise ConfigError(where, "opt-out is not allowed there: the law requires consent before tracking")
        out[name] = mode
    return out


def mode_for(region: str | None, table: Mapping[str, str], default_mode: str) -> Mode:
    """The mode for one request: the most specific entry wins (US-CA, then US, then EU/EEA, then the
    configured mode); an unknown region is opt-in; opt-out never applies where it is not allowed."""
    if region is None:
        return Mode.OPT_IN
    country = region.split("-")[0]
    mode = table.get(region) or table.get(country)
    if mode is None:
        for group in ("EU", "EEA"):
            if group in table and country in GROUPS[group]:
                mode = table[group]
                break
    found = Mode(mode if mode is not None else default_mode)
    if not found.asks_first and opt_in_only(region):
        return Mode.OPT_IN
    return found
