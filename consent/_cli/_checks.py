"""What ``consent check`` says about a valid configuration: the effective values and the warnings."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import fields
from datetime import date, timedelta
from fnmatch import translate
from pathlib import PurePath
from typing import Any

from .._config import ConsentConfig
from .._scan._toml import duration
from .._text import TEXTS
from .._trackers import Provider, load_table, provider_from

_SKIP = {"on_decision", "secret_key", "categories", "cookies"}


def table_providers(config: ConsentConfig) -> list[Provider]:
    """The tracker table with the configuration's own entries added or replacing."""
    _, entries = load_table()
    providers = {e["id"]: provider_from(e, f"trackers.json providers[{i}]") for i, e in enumerate(entries)}
    for i, entry in enumerate(config.trackers):
        provider = provider_from(entry, f"trackers[{i}]")
        providers[provider.id] = provider
    return list(providers.values())


def warnings(config: ConsentConfig) -> list[str]:
    """Things that are valid but probably not what the site owner means."""
    out: list[str] = []
    keys = set(config.category_keys)
    providers = table_providers(config)
    if config.mode != "notice" and config.auto_block:
        by_category: dict[str, list[str]] = {}
        for provider in providers:
            by_category.setdefault(provider.category, []).append(provider.name)
        for category, names in sorted(by_category.items()):
            target = config.tracker_categories.get(category, category)
            if target not in keys:
                examples = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
                out.append(
                    f"tracker category {category!r} ({examples}) has no configured category, so those trackers can"
                    f" never be allowed: add [[categories]] key = {json.dumps(category)}, or map it with"
                    f' tracker_categories = {{ {category} = "..." }}'
                )
    declared_categories = {c.category for c in config.cookies}
    for key in config.optional_keys:
        if key not in declared_categories:
            out.append(
                f"category {key!r} declares no cookies: the policy page lists none for it"
                " (consent scan lists the cookies your pages set)"
            )
    seen: set[str] = set()
    table = [(re.compile(translate(name)), p) for p in providers for name in p.cookies]
    for cookie in config.cookies:
        if cookie.name in seen:
            out.append(f"cookie {cookie.name!r} is declared more than once: the first declaration wins")
        seen.add(cookie.name)
        probe = cookie.name.replace("*", "x").replace("?", "x")
        for pattern, provider in table:
            expected = config.tracker_categories.get(provider.category, provider.category)
            if pattern.match(probe) and expected != cookie.category:
                out.append(
                    f"cookie {cookie.name!r} is declared as {cookie.category!r}, but the tracker table lists it for"
                    f" {provider.name} ({expected!r})"
                )
                break
    if config.mode == "opt-out" and not config.modes_by_region:
        out.append(
            "mode 'opt-out' lets trackers run before a choice; the EU, the UK and Brazil require opt-in"
            " (see modes_by_region)"
        )
    return out


def _value(value: Any) -> str:
    if isinstance(value, timedelta):
        return str(int(value.total_seconds()))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, PurePath):
        return json.dumps(str(value))
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }" if value else "{}"
    if value is None:
        return "(none)"
    return json.dumps(value, ensure_ascii=False)


def effective(config: ConsentConfig, secret: str, stand_in: bool = False) -> Iterator[str]:
    """The configuration after validation, one ``key = value`` line each; the secret is never shown."""
    keys = config.secret_keys
    if stand_in:
        yield f"secret_key = (not here)  # {secret}"
    else:
        lengths = ", ".join(str(len(k)) for k in keys)
        yield f"secret_key = {'*' * 8}  # {len(keys)} key(s) of {lengths} characters, {secret}"
    for item in fields(ConsentConfig):
        if item.name in _SKIP:
            continue
        value = getattr(config, item.name)
        line = f"{item.name} = {_value(value)}"
        if item.name == "max_age":
            line += f"  # {config.max_age_seconds // 86400} days"
        if item.name == "trackers" and value:
            line = f"trackers = {len(value)} entr{'y' if len(value) == 1 else 'ies'} of your own"
        yield line
    yield ""
    yield "categories:"
    for category in config.category_list:
        title = category.title or f"{TEXTS.get('category_' + category.key, category.key)} (built-in, translated)"
        yield f"  {category.key:<14} {title}"
    yield ""
    yield "cookies:" if config.cookies else "cookies: none declared"
    for cookie in config.cookies:
        seconds = cookie.duration.total_seconds() if isinstance(cookie.duration, timedelta) else None
        lifetime = duration(seconds)
        party = ", third party" if cookie.third_party else ""
        yield f"  {cookie.name:<22} {cookie.category:<12} {cookie.provider} ({lifetime}{party})"
