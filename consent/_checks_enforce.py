"""Validation of enforcement: the tracker table's categories, Consent Mode, the flags (see `consent._checks`).

Categories that something refers to must exist, or a tracker would stay blocked whatever the visitor chose
and an embed's "Always allow …" would name a category nobody can allow. The rule:

- a built-in category the **tracker table** gates trackers under (``analytics``, ``marketing``), missing from
  ``categories``, is **added** (translated title and description), except in notice mode, where nothing but
  necessary cookies exists and those trackers stay blocked: declaring one category must not silently leave
  the others' trackers blocked forever;
- a category the **site's own configuration** names (``tracker_categories``, its ``trackers`` entries, a
  ``google_consent_types`` entry other than the built-in default) must be declared: the start fails, naming
  it. A Consent Mode type whose *default* category is not declared (``functionality_storage`` ->
  ``preferences``) is simply denied.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._config import BUILTIN_CATEGORIES, GOOGLE_CONSENT_TYPES, NECESSARY, Category
from ._durations import parse_duration
from ._errors import ConfigError, did_you_mean
from ._modes import Mode

if TYPE_CHECKING:
    from ._config import ConsentConfig
    from ._trackers import Provider

logger = logging.getLogger("consent")
Updates = dict[str, Any]


def enforcement(config: ConsentConfig) -> Updates:
    for name in ("auto_block", "block_undeclared_cookies", "client_guard", "honor_dnt", "matomo"):
        if not isinstance(getattr(config, name), bool):
            raise ConfigError(name, "must be true or false")
    own = _own_trackers(config)
    mapping = config.tracker_categories
    if not isinstance(mapping, Mapping):
        raise ConfigError("tracker_categories", "must map tracker categories to your categories")
    keys = config.category_keys
    for source, target in mapping.items():
        if target not in keys:
            raise ConfigError(f"tracker_categories.{source}", _undeclared(target, keys))
    added = _table_categories(config, own, mapping)
    keys = (*keys, *added)
    for i, provider in enumerate(own):
        category = mapping.get(provider.category, provider.category)
        if category not in keys:
            raise ConfigError(f"trackers[{i}].category", _undeclared(category, keys))
    updates: Updates = {"trackers": tuple(config.trackers)}
    if added:
        logger.info("categories: added %s, used by the tracker table", ", ".join(added))
        updates["categories"] = (*config.category_list, *(Category(key) for key in added))
    updates.update(_google(config, keys))
    return updates


def _own_trackers(config: ConsentConfig) -> list[Provider]:
    from ._trackers import provider_from

    trackers = config.trackers
    if isinstance(trackers, (str, Mapping)) or not isinstance(trackers, Sequence):
        raise ConfigError("trackers", "must be a list of tracker table entries")
    out = []
    for i, entry in enumerate(trackers):
        if not isinstance(entry, Mapping):
            raise ConfigError(f"trackers[{i}]", "must be a table")
        try:
            out.append(provider_from(entry, f"trackers[{i}]"))
        except ValueError as exc:
            key, _, message = str(exc).partition(": ")
            raise ConfigError(key, message) from None
    return out


def _table_categories(config: ConsentConfig, own: list[Provider], mapping: Mapping[str, str]) -> list[str]:
    """The built-in categories the table (less the entries the site replaces) needs and the site lacks."""
    if not config.auto_block or config.mode == Mode.NOTICE:
        return []
    replaced = {p.id for p in own}
    used = {mapping.get(category, category) for id_, category in _table() if id_ not in replaced}
    keys = set(config.category_keys)
    return [key for key in BUILTIN_CATEGORIES if key in used and key not in keys]


@functools.cache
def _table() -> tuple[tuple[str, str], ...]:
    """(id, category) of every entry of the shipped table (read once: it is package data)."""
    from ._trackers import load_table

    return tuple((str(e["id"]), str(e["category"])) for e in load_table()[1])


def _google(config: ConsentConfig, keys: Sequence[str]) -> Updates:
    gcm = config.google_consent_mode
    if gcm is True:
        gcm = "basic"
    if gcm not in (False, "basic", "advanced"):
        raise ConfigError("google_consent_mode", "must be false, true, 'basic' or 'advanced'")
    types = config.google_consent_types
    if not isinstance(types, Mapping):
        raise ConfigError("google_consent_types", f"must map Consent Mode types ({', '.join(GOOGLE_CONSENT_TYPES)})")
    for name, category in types.items():
        where = f"google_consent_types.{name}"
        if name not in GOOGLE_CONSENT_TYPES:
            raise ConfigError(
                where,
                f"unknown Consent Mode type{did_you_mean(name, GOOGLE_CONSENT_TYPES)} "
                f"(known: {', '.join(GOOGLE_CONSENT_TYPES)})",
            )
        if not isinstance(category, str):
            raise ConfigError(where, "must be a category key")
        if category not in keys and category != NECESSARY and category != GOOGLE_CONSENT_TYPES[name]:
            raise ConfigError(where, _undeclared(category, keys))
    wait = config.google_wait_for_update
    if isinstance(wait, float):
        raise ConfigError("google_wait_for_update", "must be a whole number of milliseconds or '500 milliseconds'")
    delay = parse_duration(wait, "google_wait_for_update", number_unit=0.001)
    milliseconds = round(delay.total_seconds() * 1000) if delay is not None else -1
    if not 0 <= milliseconds <= 10_000:
        raise ConfigError("google_wait_for_update", "must be between 0 and 10000 milliseconds")
    return {
        "google_consent_mode": gcm,
        "google_consent_types": {**GOOGLE_CONSENT_TYPES, **types},
        "google_wait_for_update": milliseconds,
    }


def _undeclared(category: object, keys: Sequence[str]) -> str:
    return f"{category!r} is not a declared category{did_you_mean(category, keys)} (declared: {', '.join(keys)})"
