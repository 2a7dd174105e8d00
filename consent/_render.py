"""HTML that goes into the site's pages: the banner, the reopen link and the embed placeholders, rendered
with Jinja2 from package templates (the policy and settings pages are `consent._pages`).

Markup that goes into every page (the banner, the reopen control) is rendered once per locale and variant
and cut into a `Snippet`: fixed parts around the few per-request values (the ``next`` path, a CSP nonce), so
a request only joins strings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from ._assets import Asset, load_assets
from ._browser.urls import fetch_host
from ._config import ConsentConfig
from ._i18n import bcp47, is_rtl, load_translations
from ._memo import Memo
from ._modes import Mode, reachable_modes
from ._text import PLURALS, TEXTS
from ._trackers import Trackers

__all__ = ["Asset", "Renderer", "Snippet", "Texts", "load_assets"]

# Placeholders rendered into the cached templates and replaced per request. Plain letters: they survive
# HTML escaping and URL quoting unchanged, and no translation contains them.
_NEXT_ATTR = "QQconsentNEXTattrQQ"
_NEXT_URL = "QQconsentNEXTurlQQ"
_NONCE = "QQconsentNONCEQQ"
_GPC = "QQconsentGPCQQ"

# Written right after the banner of a page every visitor shares (cache_mode "shared"): hides the banner before
# the first paint when the visitor's cookie holds a choice for this policy version. Constant text, so a CSP
# can allow it by hash (see consent.csp_hashes). The server never trusts this reading; it is display only.
SHARED_CACHE_SCRIPT = (
    "(function(d){var b=d.currentScript.previousElementSibling,n=b.getAttribute('data-cookie')+'=',"
    "v=b.getAttribute('data-version'),c=d.cookie.split('; '),i;for(i=0;i<c.length;i++)"
    "if(c[i].indexOf(n)===0&&c[i].slice(n.length).split(':')[1]===v){b.hidden=true;"
    "d.documentElement.classList.add('consent-decided');}})(document);"
)


class Snippet:
    """Pre-rendered markup with per-request slots: the ``next`` path, the CSP nonce, the GPC notice."""

    def __init__(self, html: str, gpc_notice: str = "") -> None:
        self._parts: list[tuple[str, str]] = []  # (text, slot that follows it)
        self._gpc_notice = gpc_notice
        rest = html
        slots = (_NEXT_ATTR, _NEXT_URL, _NONCE, _GPC)
        while True:
            hits = [(rest.find(s), s) for s in slots if s in rest]
            if not hits:
                break
            index, slot = min(hits)
            self._parts.append((rest[:index], slot))
            rest = rest[index + len(slot) :]
        self._tail = rest
        self._static = html if not self._parts else None

    def render(self, next_path: str, nonce: str | None = None, gpc: bool = False) -> str:
        if self._static is not None:
            return self._static
        values = {
            _NEXT_ATTR: escape(next_path, quote=True),
            _NEXT_URL: quote(next_path, safe=""),
            _NONCE: f' nonce="{escape(nonce, quote=True)}"' if nonce else "",
            _GPC: self._gpc_notice if gpc else "",
        }
        out = []
        for text, slot in self._parts:
            out.append(text)
            out.append(values[slot])
        out.append(self._tail)
        return "".join(out)


class Texts:
    """The strings of one locale: configured overrides first, then the catalog."""

    def __init__(self, translations: Any, overrides: Mapping[str, str]) -> None:
        self._values = {key: overrides.get(key) or translations.gettext(msgid) for key, msgid in TEXTS.items()}
        self._ngettext = translations.ngettext

    def plural(self, key: str, count: int) -> str:
        singular, plural = PLURALS[key]
        return str(self._ngettext(singular, plural, count)).format(count=count)

    def __getattr__(self, key: str) -> str:
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(key) from None

    def get(self, key: str, default: str = "") -> str:
        return self._values.get(key, default)


def breakable(name: str) -> Markup:
    """A cookie name that may wrap after its underscores and dots (``VISITOR_<wbr>INFO1_<wbr>LIVE``), never
    inside a part: narrow table columns without breaking words."""
    escaped = str(Markup.escape(name))  # quotes too: the name is the site's text, never markup
    return Markup(escaped.replace("_", "_<wbr>").replace(".", ".<wbr>"))


class Renderer:
    def __init__(self, config: ConsentConfig, assets: Mapping[str, Asset], trackers: Trackers) -> None:
        self.config = config
        self.trackers = trackers
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("consent", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["breakable"] = breakable
        self._asset_paths = {ext: config.prefix + asset.path for ext, asset in assets.items()}
        # Kinds x locales x modes x mount points; the same embeds come back on every view of an article.
        self._snippets: Memo[tuple[str, str, str, str], Snippet] = Memo("snippets", 4096, 8 << 20)
        self._placeholders: Memo[tuple[object, ...], bytes] = Memo("placeholders", 1024, 4 << 20)
        # Every catalog is loaded (and every text resolved) at startup: a missing one fails here.
        self._texts = {
            locale: Texts(load_translations(locale), config.text.get(locale, {})) for locale in config.locales or ()
        }

    def texts(self, locale: str) -> Texts:
        return self._texts[locale]

    def context(self, locale: str, root_path: str) -> dict[str, Any]:
        """What every template of ``locale`` sees, for an app mounted at ``root_path``."""
        config = self.config
        policy_url = config.policy_url
        lang_query = "" if locale == config.default_locale else "lang=" + quote(locale)
        if policy_url.startswith("/"):
            policy_url = root_path + policy_url + ("?" + lang_query if lang_query else "")
        site_url = config.site_url
        return {
            "t": self.texts(locale),
            "lang": bcp47(locale),
            "dir": "rtl" if is_rtl(locale) else "ltr",
            "lang_query": "&" + lang_query if lang_query else "",
            "mode": config.mode,
            "honor_dnt": config.honor_dnt,
            "cookie_name": config.cookie_name,
            "policy_version": config.policy_version,
            "sale": " ".join(c.key for c in config.category_list if config.sale_or_share(c)),
            "gcm": json.dumps(config.google_consent_types, separators=(",", ":")) if config.google_consent_mode else "",
            "matomo": config.matomo,
            "action": root_path + config.prefix,
            "settings_url": root_path + config.prefix + "/settings",
            "policy_url": policy_url,
            "css_url": root_path + self._asset_paths["css"],
            "js_url": root_path + self._asset_paths["js"],
            "categories": self.categories(locale),
            "site_name": config.site_name,
            "site_url": root_path + site_url if site_url.startswith("/") else site_url,
            "reopen_link": config.reopen_link,
        }

    def categories(self, locale: str) -> list[dict[str, str]]:
        texts = self.texts(locale)
        default = locale == self.config.default_locale
        out = []
        for category in self.config.category_list:
            own = category.text.get(locale, {})
            entry = {"key": category.key}
            for field, builtin in (
                ("title", f"category_{category.key}"),
                ("description", f"category_{category.key}_description"),
            ):
                # The category's own wording is in the default language; a built-in translation beats it
                # in other languages, a per-locale override beats both.
                plain = getattr(category, field)
                entry[field] = own.get(field) or (plain if default else "") or texts.get(builtin) or plain
            out.append(entry)
        return out

    def snippet(self, kind: str, locale: str, root_path: str, mode: str) -> Snippet:
        """What goes into a page: ``"banner"`` (with its stylesheet and script), ``"reopen"`` (the link that
        reopens the choice) or ``"shared"`` (both, for a page every visitor shares), in ``mode``'s wording."""
        key = (kind, locale, root_path, mode)
        snippet = self._snippets.get(key)
        if snippet is None:
            context = self.context(locale, root_path)
            optional = frozenset(self.config.optional_keys)
            context.update(
                mode=mode,
                # What an undecided visitor gets, for the client script on shared pages (never re-derived there).
                undecided=" ".join(k for k in self.config.optional_keys if k in Mode(mode).undecided(optional)),
                next_attr=_NEXT_ATTR,
                next_url=_NEXT_URL,
                nonce=_NONCE,
                gpc=_GPC,
                shared=kind == "shared",
                shared_script=Markup(SHARED_CACHE_SCRIPT),
            )
            html = self.env.get_template(f"snippet_{kind}.html").render(context)
            notice = self.env.get_template("gpc_notice.html").render(context)
            snippet = self._snippets.put(key, Snippet(html.strip(), notice.strip()), len(html) + len(notice))
        return snippet

    def prerender(self, locale: str) -> None:
        """Render every snippet of ``locale`` once, so a template or catalog problem fails at startup."""
        for mode in reachable_modes(self.config):
            for kind in ("banner", "reopen", "shared"):
                self.snippet(kind, locale, "", mode)
        self.placeholder(locale, "", "YouTube", "marketing", b"https://www.youtube.com/embed/x", "/")

    def placeholder(
        self,
        locale: str,
        root_path: str,
        provider: str | None,
        category: str,
        url: bytes,
        next_path: str,
    ) -> bytes:
        """The escaped ``srcdoc`` of a blocked iframe: a same-size notice naming the provider, with "Load this
        once" (the iframe navigates to the content itself) and "Always allow" (a form post to the top page).
        The same embeds come back on every view of an article: rendered once each (bounded)."""
        key = (locale, root_path, provider, category, url, next_path)
        cached = self._placeholders.get(key)
        if cached is None:
            cached = self._placeholders.put(
                key, self._placeholder(locale, root_path, provider, category, url, next_path)
            )
        return cached

    def _placeholder(
        self, locale: str, root_path: str, provider: str | None, category: str, url: bytes, next_path: str
    ) -> bytes:
        context = self.context(locale, root_path)
        texts = context["t"]
        titles = {c["key"]: c["title"] for c in context["categories"]}
        wanted = category.split()
        category_title = ", ".join(titles.get(c, c) for c in wanted)
        target = url.decode("latin-1").strip()
        link = target if target.lower().startswith(("https://", "http://", "//")) else None
        host = fetch_host(link) if link else None  # never raises, whatever the URL holds (http://[ …)
        name = provider or host or ""
        context.update(
            provider=name,
            link=link,
            # "Always allow" only for categories a visitor can allow: never a button that records nothing.
            allowable=bool(wanted) and set(wanted) <= set(self.config.optional_keys),
            category_title=category_title,
            wanted=wanted,
            next_path=next_path,
            blocked=texts.embed_blocked.format(provider=name),
            needs=texts.embed_needs.format(category=category_title),
            always=texts.embed_always.format(category=category_title),
            open_on=texts.embed_open.format(provider=name),
        )
        html = self.env.get_template("placeholder.html").render(context)
        return escape(" ".join(html.split()), quote=True).encode("ascii", "xmlcharrefreplace")
