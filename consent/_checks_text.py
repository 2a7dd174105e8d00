"""Validation of what the configuration says to visitors: languages, wording, the policy page and the pages'
layout. Each check returns the normalised values (see `consent._checks`)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import ConfigError, did_you_mean

if TYPE_CHECKING:
    from ._config import ConsentConfig

Updates = dict[str, Any]


def languages(config: ConsentConfig) -> Updates:
    from ._i18n import shipped_locales
    from ._text import PLURALS, TEXTS

    shipped = shipped_locales()
    if not shipped:
        raise ConfigError(
            "locales", "no compiled catalogs in the package: install it (pip install -e .) or run python hatch_build.py"
        )
    if config.locales is None:
        offered = shipped
    else:
        if isinstance(config.locales, str) or not isinstance(config.locales, Sequence) or not config.locales:
            raise ConfigError("locales", "must be a non-empty list of locale ids such as ['en', 'de', 'pt_BR']")
        offered = []
        for i, loc in enumerate(config.locales):
            found = catalog(loc, f"locales[{i}]")
            if found not in offered:  # "de-DE" and "de-AT" are both the German catalog
                offered.append(found)
    default = catalog(config.default_locale, "default_locale")
    if default not in offered:
        raise ConfigError("default_locale", f"{default!r} is not one of the offered locales ({', '.join(offered)})")
    texts = locale_texts(config.text, "text", set(TEXTS) - set(PLURALS))
    return {"locales": tuple(offered), "default_locale": default, "text": texts}


def catalog(value: object, key: str) -> str:
    """The shipped catalog for a locale as people spell it: ``pt-BR`` -> ``pt_BR``, ``de-DE`` -> ``de``,
    ``zh-TW`` -> ``zh_Hant``, ``es-MX`` -> ``es_419`` (the fallbacks visitors' languages get), ``deu`` -> ``de``;
    anything that is not a valid locale id is refused, with the closest catalog."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    from ._i18n import Negotiator, shipped_locales

    shipped = shipped_locales()
    found = None
    if isinstance(value, str) and value.strip():
        tag = value.strip().replace("-", "_")
        language, _, rest = tag.partition("_")
        language = get_global("language_aliases").get(language.lower(), language)  # deu, ger -> de
        tag = f"{language}_{rest}" if rest else language
        try:
            Locale.parse(tag)
        except (UnknownLocaleError, ValueError):
            pass
        else:
            found = Negotiator(shipped, "en").match(tag)
    if found is None:
        raise ConfigError(key, f"no catalog for locale {value!r}{_hint(value, shipped)} (shipped: {' '.join(shipped)})")
    return found


def _hint(value: object, shipped: list[str]) -> str:
    from babel import Locale

    if not isinstance(value, str):
        return ""
    by_name = {name.lower(): code for code, name in Locale("en").languages.items() if code in shipped}
    if value.strip().lower() in by_name:  # "German"
        return f" (did you mean {by_name[value.strip().lower()]!r}?)"
    return did_you_mean(value.replace("-", "_"), shipped)


def locale_texts(value: object, key: str, allowed: set[str]) -> dict[str, dict[str, str]]:
    if not isinstance(value, Mapping):
        raise ConfigError(key, "must map locale ids to tables of text")
    out: dict[str, dict[str, str]] = {}
    for locale, table in value.items():
        loc = catalog(locale, f"{key}.{locale}")
        if not isinstance(table, Mapping):
            raise ConfigError(f"{key}.{locale}", "must be a table of text keys")
        for name, text in table.items():
            if name not in allowed:
                raise ConfigError(
                    f"{key}.{locale}.{name}",
                    f"unknown text key{did_you_mean(name, allowed)} (known: {', '.join(sorted(allowed))})",
                )
            if not isinstance(text, str) or not text.strip():
                raise ConfigError(f"{key}.{locale}.{name}", "must be a non-empty string")
        out[loc] = {**out.get(loc, {}), **table}
    return out


def policy(config: ConsentConfig) -> Updates:
    for name in ("controller", "contact", "dpo", "site_name"):
        value = getattr(config, name)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ConfigError(name, "must be a non-empty string")
    updates: Updates = {}
    updated = config.policy_updated
    if isinstance(updated, str):
        try:
            updates["policy_updated"] = date.fromisoformat(updated)
        except ValueError:
            raise ConfigError("policy_updated", f"{updated!r} is not a date (YYYY-MM-DD)") from None
    elif updated is not None and not isinstance(updated, date):
        raise ConfigError("policy_updated", "must be a date")
    markdown = config.policy_markdown
    if not isinstance(markdown, Mapping):
        raise ConfigError("policy_markdown", "must map locale ids to Markdown file paths")
    if markdown:
        try:
            import markdown_it  # noqa: F401
        except ImportError:
            raise ConfigError(
                "policy_markdown", "needs the markdown-it-py package: pip install 'asgi-consent[markdown]'"
            ) from None
    resolved: dict[str, Path] = {}
    for locale, path in markdown.items():
        loc = catalog(locale, f"policy_markdown.{locale}")
        if loc not in (config.locales or ()):
            raise ConfigError(f"policy_markdown.{locale}", "is not one of the offered locales")
        if not isinstance(path, (str, os.PathLike)) or not Path(path).is_file():
            raise ConfigError(f"policy_markdown.{locale}", f"file not found: {path}")
        resolved[loc] = Path(path)
    updates["policy_markdown"] = resolved
    return updates


def pages(config: ConsentConfig) -> Updates:
    """The site's layout for the policy and settings pages: a Jinja2 template of its own, or a callable."""
    from ._layout import environment

    if not isinstance(config.reopen_link, bool):
        raise ConfigError("reopen_link", "must be true or false")
    if config.layout is not None and not callable(config.layout):
        raise ConfigError("layout", "must be a callable (sync or async): layout(request, title, body_html) -> html")
    name = config.page_template
    if name is None:
        if config.templates is not None:
            raise ConfigError("templates", "is only used with page_template: name the template to use")
        return {}
    if config.layout is not None:
        raise ConfigError("page_template", "give either page_template or layout, not both")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError("page_template", "must be the name of a template, such as 'consent_page.html'")
    if config.templates is None:
        raise ConfigError(
            "page_template", "needs templates: the directory it is in, or your jinja2.Environment / Jinja2Templates"
        )
    env = environment(config.templates)  # raises ConfigError("templates", …)
    import jinja2

    try:
        env.get_template(name)
    except jinja2.TemplateNotFound:
        raise ConfigError("page_template", f"{name!r} is not in templates ({_where(config.templates)})") from None
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError("page_template", f"{exc.filename or name}, line {exc.lineno}: {exc.message}") from None
    return {}


def _where(templates: object) -> str:
    if isinstance(templates, (str, os.PathLike)):
        return str(templates)
    if isinstance(templates, Sequence):
        return ", ".join(str(t) for t in templates)
    return type(templates).__name__
