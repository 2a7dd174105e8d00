"""Tag-manager integrations written first in ``<head>``: Google Consent Mode v2 and Matomo's consent calls.

Each is a small inline script whose text depends only on the consent state, so there are few variants:
`csp_hashes` lists them for a Content-Security-Policy that uses hashes instead of nonces.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
from collections.abc import Mapping

from ._config import NECESSARY, ConsentConfig
from ._modes import reachable_modes


def consent_types(config: ConsentConfig, categories: Mapping[str, bool]) -> dict[str, str]:
    """All seven Consent Mode types, granted or denied from the categories (an unknown category denies)."""
    out = {}
    for name, category in config.google_consent_types.items():
        granted = category == NECESSARY or categories.get(category, False)
        out[name] = "granted" if granted else "denied"
    return out


def head_script(config: ConsentConfig, defaults: Mapping[str, bool], current: Mapping[str, bool] | None) -> str:
    """The JavaScript for the top of ``<head>``: Consent Mode defaults (from the undecided state of this
    mode, ``defaults``) and, for a visitor whose choice is known, the update; Matomo's consent calls."""
    parts = []
    if config.google_consent_mode:
        default = consent_types(config, defaults)
        default_args: dict[str, object] = dict(default)
        default_args["wait_for_update"] = config.google_wait_for_update
        parts.append("window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}")
        parts.append(f"gtag('consent','default',{json.dumps(default_args, separators=(',', ':'))});")
        state = consent_types(config, current) if current is not None else default
        if current is not None:
            parts.append(f"gtag('consent','update',{json.dumps(state, separators=(',', ':'))});")
        if state["ad_storage"] == "denied":
            parts.append("gtag('set','ads_data_redaction',true);")
    if config.matomo:
        analytics = (current if current is not None else defaults).get("analytics", False)
        call = "setConsentGiven" if analytics else "forgetConsentGiven"
        parts.append(f"window._paq=window._paq||[];_paq.push(['requireConsent']);_paq.push(['{call}']);")
    return "".join(parts)


def csp_hashes(config: ConsentConfig) -> list[str]:
    """Every ``'sha256-…'`` source a strict ``script-src`` needs for the inline scripts this configuration can
    write (Consent Mode and Matomo variants, and the shared-cache snippet), for sites that use hashes."""
    from ._render import SHARED_CACHE_SCRIPT

    keys = config.optional_keys
    scripts = {SHARED_CACHE_SCRIPT}
    for mode in reachable_modes(config):
        by_default = mode.undecided(frozenset(keys))
        undecided = {k: k in by_default for k in keys}
        choices: list[Mapping[str, bool] | None] = [None]
        for granted in itertools.product((False, True), repeat=len(keys)):
            choices.append(dict(zip(keys, granted, strict=False)))
        for base in (undecided, {k: False for k in keys}):  # the second: GPC or DNT refusing everything
            for choice in choices:
                text = head_script(config, base, choice)
                if text:
                    scripts.add(text)
    return sorted(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts)
