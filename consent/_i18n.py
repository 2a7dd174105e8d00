"""Languages: the shipped catalogs, and choosing one per request without global state.

Catalog ids are Babel's (``de``, ``pt_BR``, ``zh_Hans``, ``es_419``); pages carry them as BCP 47 tags
(``pt-BR``, ``zh-Hans``, ``es-419``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.support import NullTranslations, Translations

from ._memo import Memo

DOMAIN = "consent"
LOCALES_DIR = Path(str(files("consent").joinpath("locales")))

# Territories of Latin America and the Caribbean (UN M.49 region 419), for es-MX -> es_419 and the like.
LATIN_AMERICA = frozenset(
    "AR BO BR BZ CL CO CR CU DO EC GT HN MX NI PA PE PR PY SV UY VE US".split()
)  # es-US is Latin-American Spanish in practice
_TAG = re.compile(r"[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*\Z")


def shipped_locales() -> list[str]:
    """The catalog ids compiled into the package (``consent/locales/<id>/LC_MESSAGES/consent.mo``)."""
    if not LOCALES_DIR.is_dir():
        return []
    return sorted(p.name for p in LOCALES_DIR.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file())


def load_translations(locale: str) -> Translations:
    """The catalog for ``locale``; raises LookupError if it is missing (never a silent English fallback)."""
    translations = Translations.load(str(LOCALES_DIR), [locale], domain=DOMAIN)
    if type(translations) is NullTranslations or not isinstance(translations, Translations):
        raise LookupError(locale)
    return translations


def bcp47(locale: str) -> str:
    return locale.replace("_", "-")


def is_rtl(locale: str) -> bool:
    try:
        return Locale.parse(locale).character_order == "right-to-left"
    except (UnknownLocaleError, ValueError):
        return False


def parse_accept_language(header: str) -> list[str]:
    """Language tags by preference: q-values honoured (missing q is 1), ``q=0`` dropped, malformed skipped."""
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate(header.split(",")[:32]):  # a bounded amount of work per request
        tag, _, params = item.strip().partition(";")
        tag = tag.strip()
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = -1.0
        if not 0 < quality <= 1 or not (tag == "*" or _TAG.match(tag)):
            continue
        ranked.append((-quality, index, tag))
    return [tag for _, _, tag in sorted(ranked)]


class Negotiator:
    """Maps language tags to the offered catalog ids, with regional fallbacks (de-AT -> de, pt-PT -> pt,
    pt-BR -> pt_BR, zh-TW -> zh_Hant, zh-CN -> zh_Hans, es-MX -> es_419, no/nn -> nb)."""

    def __init__(self, offered: Iterable[str], default: str) -> None:
        self.offered = list(offered)
        self.default = default
        self._by_key = {loc.lower(): loc for loc in self.offered}
        # Keyed by what the request says: bounded in bytes, and long keys are never kept.
        self._cache: Memo[str, str] = Memo("language tags", 1024, 256 << 10, 256)
        self._header_cache: Memo[str, str] = Memo("Accept-Language headers", 1024, 512 << 10, 512)

    def match(self, tag: str) -> str | None:
        """The offered catalog for one language tag, or None."""
        key = tag.strip().replace("-", "_").lower()
        found = self._cache.get(key)
        if found is None:
            found = self._cache.put(key, self._match(key) or "")
        return found or None

    def _match(self, key: str) -> str | None:
        by_key = self._by_key
        if key in by_key:
            return by_key[key]
        parts = key.split("_")
        language = {"iw": "he", "in": "id", "no": "nb", "nn": "nb", "fil": "tl"}.get(parts[0], parts[0])
        try:
            locale = Locale.parse("_".join([language, *parts[1:]]))
        except (UnknownLocaleError, ValueError):
            return by_key.get(language)
        script = locale.script
        territory = locale.territory
        if script is None:
            # Fill in the likely script from CLDR: zh_TW -> zh_Hant_TW, zh_CN -> zh_Hans_CN.
            likely = get_global("likely_subtags").get(f"{language}_{territory}" if territory else language, "")
            likely_parts = likely.split("_")
            if len(likely_parts) > 1 and len(likely_parts[1]) == 4:
                script = likely_parts[1]
        candidates = []
        if territory:
            candidates.append(f"{language}_{territory}")
        if script:
            candidates.append(f"{language}_{script}")
        if territory in LATIN_AMERICA:
            candidates.append(f"{language}_419")
        candidates.append(language)
        for candidate in candidates:
            found = by_key.get(candidate.lower())
            if found:
                return found
        return None

    def from_header(self, header: str | None) -> str | None:
        """The best offered catalog for an ``Accept-Language`` header (``*`` means the default)."""
        if not header:
            return None
        cached = self._header_cache.get(header)
        if cached is not None:
            return cached or None
        found: str | None = None
        for tag in parse_accept_language(header):
            found = self.default if tag == "*" else self.match(tag)
            if found:
                break
        self._header_cache.put(header, found or "")
        return found
