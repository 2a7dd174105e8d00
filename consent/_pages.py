"""The policy and settings pages: their content from the package templates, laid out as the site says
(`consent._layout`), or returned as fragments for the app's own pages (`consent.policy_html`)."""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from babel.dates import format_date
from markupsafe import Markup
from starlette.requests import Request

from ._config import NECESSARY, ConsentConfig
from ._layout import Layout, Page
from ._memo import Memo
from ._render import Renderer
from ._state import ConsentState


class Pages:
    """Builds `Page` objects for a locale and a visitor, and lays them out."""

    def __init__(self, config: ConsentConfig, renderer: Renderer) -> None:
        self.config = config
        self.renderer = renderer
        self.layout = Layout(config, renderer.env.get_template("page.html"))
        self._markdown_html: Memo[str, Markup] = Memo("policy_markdown", 64, 4 << 20, 1 << 20)

    def settings(self, locale: str, root_path: str, state: ConsentState, next_path: str) -> Page:
        context = self.renderer.context(locale, root_path)
        context.update(state=state, next_path=next_path)
        return self._page("settings.html", context)

    def policy(self, locale: str, root_path: str, state: ConsentState, cookie_name: str, here: str) -> Page:
        """The policy page; ``here`` is its own address (the settings link comes back to it)."""
        context = self.renderer.context(locale, root_path)
        texts = context["t"]
        config = self.config
        consent_cookie = {
            "name": cookie_name,
            "provider": texts.this_site,
            "purpose": texts.consent_cookie_purpose,
            "duration": format_duration(timedelta(seconds=config.max_age_seconds), locale),
            "third_party": False,
        }
        groups = []
        for category in context["categories"]:
            rows = [
                {
                    "name": c.name,
                    "provider": c.text.get(locale, {}).get("provider") or c.provider,
                    "purpose": c.text.get(locale, {}).get("purpose") or c.purpose,
                    "duration": format_duration(c.duration, locale)
                    if isinstance(c.duration, timedelta)
                    else texts.session,
                    "third_party": c.third_party,
                }
                for c in config.cookies
                if c.category == category["key"]
            ]
            if category["key"] == NECESSARY:
                rows.insert(0, consent_cookie)
            groups.append({**category, "cookies": rows})
        partners = {c.provider for c in config.cookies if c.third_party}
        context.update(
            state=state,
            groups=groups,
            next_path=here,
            controller=config.controller,
            contact=config.contact,
            contact_href=_contact_href(config.contact),
            dpo=config.dpo,
            body=self._markdown(locale),
            updated=format_date(config.policy_updated, "long", locale=locale) if config.policy_updated else None,
            partners=texts.plural("partners", len(partners)) if partners else None,
        )
        return self._page("policy.html", context)

    def _page(self, name: str, context: dict[str, Any]) -> Page:
        template = self.renderer.env.get_template(name)
        parts = {}
        for block in ("title", "main"):
            render = template.blocks[block]
            parts[block] = Markup("".join(render(template.new_context(context))).strip())
        body = Markup('<div class="consent-content">{}</div>').format(parts["main"])
        css = context["css_url"]
        return Page(parts["title"].unescape(), css, body, context["lang"], context["dir"], context["site_url"])

    async def html(self, page: Page, scope: MutableMapping[str, Any]) -> str:
        """The whole page, in the site's layout (or ours)."""
        return await self.layout.render(page, Request(scope))

    def _markdown(self, locale: str) -> Markup | None:
        """The configured policy text for ``locale`` (or the default locale's), rendered once."""
        files = self.config.policy_markdown
        path = files.get(locale) or files.get(self.config.default_locale)
        if path is None:
            return None
        key = str(path)
        found = self._markdown_html.get(key)
        if found is None:
            from markdown_it import MarkdownIt

            # html=False: raw HTML in the file is shown as text, never passed to the page; markdown-it also
            # refuses javascript:, vbscript: and file: links.
            renderer = MarkdownIt("commonmark", {"html": False})
            found = self._markdown_html.put(key, Markup(renderer.render(Path(path).read_text(encoding="utf-8"))))
        return found


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
