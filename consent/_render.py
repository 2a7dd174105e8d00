"""HTML for the banner, the settings page and the policy page, rendered with Jinja2 from package templates.

Markup that goes into every page (the banner, the reopen control) is rendered once per locale and variant
and cut into a `Snippet`: fixed parts around the few per-request values (the ``next`` path, a CSP nonce), so
a request only joins strings.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from html import escape
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from babel.dates import format_date
from markupsafe import Markup

from ._config import NECESSARY, ConsentConfig
from ._i18n import bcp47, is_rtl, load_translations
from ._state import ConsentState
from ._text import PLURALS, TEXTS
from ._trackers import Trackers

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


@dataclass(frozen=True)
class Asset:
    path: str  # under the prefix, with a content hash: "/static/consent.3f2a9c1e.js"
    body: bytes
    media_type: str


def minify_css(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*([{};,>])\s*", r"\1", text).replace(";}", "}").strip()


def minify_js(text: str) -> str:
    """Comments and indentation out; conservative, for our own script's style (no multi-line strings, no
    '//' after ';', '{', '}' or ',' inside a string)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    lines = []
    for line in text.splitlines():
        line = re.sub(r"(?<=[;{},])\s+//\s.*$", "", line).strip()
        if line and not line.startswith("//"):
            lines.append(line)
    return "\n".join(lines) + "\n"


def load_assets() -> dict[str, Asset]:
    """The client script and stylesheet, minified, under versioned names (a hash of the content)."""
    assets = {}
    for name, media_type in (
        ("consent.js", "text/javascript; charset=utf-8"),
        ("consent.css", "text/css; charset=utf-8"),
    ):
        source = files("consent").joinpath("static", name).read_text(encoding="utf-8")
        body = (minify_js(source) if name.endswith(".js") else minify_css(source)).encode()
        stem, ext = name.rsplit(".", 1)
        digest = hashlib.sha256(body).hexdigest()[:10]
        assets[ext] = Asset(f"/static/{stem}.{digest}.{ext}", body, media_type)
    return assets


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
        self._asset_paths = {ext: config.prefix + asset.path for ext, asset in assets.items()}
        self._snippets: dict[tuple[str, str, str, str], Snippet] = {}
        self._policy_html: dict[str, Markup] = {}
        self._placeholders: dict[tuple[object, ...], bytes] = {}
        # Every catalog is loaded (and every text resolved) at startup: a missing one fails here.
        self._texts = {
            locale: Texts(load_translations(locale), config.text.get(locale, {})) for locale in config.locales or ()
        }

    def texts(self, locale: str) -> Texts:
        return self._texts[locale]

    def _context(self, locale: str, root_path: str) -> dict[str, Any]:
        config = self.config
        policy_url = config.policy_url
        lang_query = "" if locale == config.default_locale else "lang=" + quote(locale)
        if policy_url.startswith("/"):
            policy_url = root_path + policy_url + ("?" + lang_query if lang_query else "")
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
            "optional": " ".join(config.optional_keys),
            "gcm": json.dumps(config.google_consent_types, separators=(",", ":")) if config.google_consent_mode else "",
            "matomo": config.matomo,
            "action": root_path + config.prefix,
            "settings_url": root_path + config.prefix + "/settings",
            "policy_url": policy_url,
            "css_url": root_path + self._asset_paths["css"],
            "js_url": root_path + self._asset_paths["js"],
            "categories": self.categories(locale),
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
            context = self._context(locale, root_path)
            context.update(
                mode=mode,
                next_attr=_NEXT_ATTR,
                next_url=_NEXT_URL,
                nonce=_NONCE,
                gpc=_GPC,
                shared=kind == "shared",
                shared_script=Markup(SHARED_CACHE_SCRIPT),
            )
            html = self.env.get_template(f"snippet_{kind}.html").render(context)
            notice = self.env.get_template("gpc_notice.html").render(context)
            snippet = Snippet(html.strip(), notice.strip())
            if len(self._snippets) < 4096:  # bounded: kinds x locales x modes x mount points
                self._snippets[key] = snippet
        return snippet

    def prerender(self, locale: str) -> None:
        """Render every snippet of ``locale`` once, so a template or catalog problem fails at startup."""
        for mode in {self.config.mode, *self.config.modes_by_region.values(), "opt-in"}:
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
            cached = self._placeholder(locale, root_path, provider, category, url, next_path)
            if len(self._placeholders) >= 1024:
                self._placeholders.clear()
            self._placeholders[key] = cached
        return cached

    def _placeholder(
        self, locale: str, root_path: str, provider: str | None, category: str, url: bytes, next_path: str
    ) -> bytes:
        context = self._context(locale, root_path)
        texts = context["t"]
        titles = {c["key"]: c["title"] for c in context["categories"]}
        wanted = category.split()
        category_title = ", ".join(titles.get(c, c) for c in wanted)
        target = url.decode("latin-1").strip()
        link = target if target.lower().startswith(("https://", "http://", "//")) else None
        host = urlsplit(link if link and not link.startswith("//") else f"https:{link}").hostname if link else None
        name = provider or host or ""
        context.update(
            provider=name,
            link=link,
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

    def settings_page(self, locale: str, root_path: str, state: ConsentState, next_path: str) -> str:
        context = self._context(locale, root_path)
        context.update(state=state, next_path=next_path)
        return self.env.get_template("settings.html").render(context)

    def policy_page(self, locale: str, root_path: str, state: ConsentState, cookie_name: str) -> str:
        context = self._context(locale, root_path)
        texts = context["t"]
        config = self.config
        consent_cookie = {
            "name": cookie_name,
            "provider": texts.this_site,
            "purpose": texts.consent_cookie_purpose,
            "duration": format_duration(timedelta(seconds=self.config.max_age_seconds), locale),
            "third_party": False,
        }
        groups = []
        for category in context["categories"]:
            rows = [
                {
                    "name": c.name,
                    "provider": c.text.get(locale, {}).get("provider") or c.provider,
                    "purpose": c.text.get(locale, {}).get("purpose") or c.purpose,
                    "duration": format_duration(c.duration, locale) if c.duration is not None else texts.session,
                    "third_party": c.third_party,
                }
                for c in self.config.cookies
                if c.category == category["key"]
            ]
            if category["key"] == NECESSARY:
                rows.insert(0, consent_cookie)
            groups.append({**category, "cookies": rows})
        partners = {c.provider for c in config.cookies if c.third_party}
        contact = config.contact
        context.update(
            state=state,
            groups=groups,
            next_path=root_path + config.policy_path,
            controller=config.controller,
            contact=contact,
            contact_href=_contact_href(contact),
            dpo=config.dpo,
            body=self._markdown(locale),
            updated=format_date(config.policy_updated, "long", locale=locale) if config.policy_updated else None,
            partners=texts.plural("partners", len(partners)) if partners else None,
        )
        return self.env.get_template("policy.html").render(context)

    def _markdown(self, locale: str) -> Markup | None:
        """The configured policy text for ``locale`` (or the default locale's), rendered once."""
        files = self.config.policy_markdown
        path = files.get(locale) or files.get(self.config.default_locale)
        if path is None:
            return None
        key = str(path)
        if key not in self._policy_html:
            from markdown_it import MarkdownIt

            # html=False: raw HTML in the file is shown as text, never passed to the page; markdown-it also
            # refuses javascript:, vbscript: and file: links.
            renderer = MarkdownIt("commonmark", {"html": False})
            self._policy_html[key] = Markup(renderer.render(Path(path).read_text(encoding="utf-8")))
        return self._policy_html[key]


def _contact_href(contact: str | None) -> str | None:
    """A link for the contact only when it is plainly an e-mail address or an http(s) URL."""
    if not contact or any(c.isspace() for c in contact):
        return None
    if contact.startswith(("https://", "http://")):
        return contact
    if "@" in contact and ":" not in contact and "/" not in contact:
        return "mailto:" + contact
    return None


_UNITS = (("year", 365 * 86400), ("month", 30 * 86400), ("week", 7 * 86400), ("day", 86400), ("hour", 3600))


def format_duration(duration: timedelta, locale: str) -> str:
    """'13 months', '13 Monate': the largest unit that divides the duration exactly, written out by Babel."""
    from babel.units import format_unit

    seconds = int(duration.total_seconds())
    for unit, size in _UNITS:
        if seconds >= size and seconds % size == 0:
            return str(format_unit(seconds // size, f"duration-{unit}", length="long", locale=locale))
    if seconds % 60 == 0:
        return str(format_unit(seconds // 60, "duration-minute", length="long", locale=locale))
    return str(format_unit(seconds, "duration-second", length="long", locale=locale))
