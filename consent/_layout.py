"""The site's own layout around the policy and settings pages.

A page is three parts: its title, what goes into ``<head>`` (our stylesheet) and its body. They are laid out
by, in this order of preference: the site's ``layout(request, title, body_html)`` callable, the site's Jinja2
``page_template`` (rendered with ``consent_title``, ``consent_head``, ``consent_body``, ``request``, ``lang``,
``dir``, ``site_name`` and ``site_url``), or our own plain ``page.html`` with the site's name and a link home.
"""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ._errors import ConfigError


@dataclass(frozen=True)
class Page:
    """A policy or settings page before its layout: everything is already escaped HTML."""

    title: str
    css_url: str
    body: Markup
    lang: str
    dir: str
    site_url: str  # the link back to the site, under the app's root_path

    @property
    def head(self) -> Markup:
        """What the page needs in ``<head>``: our stylesheet (a file, so a strict CSP needs nothing inline)."""
        return Markup('<link rel="stylesheet" href="{}">').format(self.css_url)


def environment(templates: Any) -> jinja2.Environment:
    """The Jinja2 environment ``templates`` names: an Environment, Starlette's ``Jinja2Templates`` (its
    ``env``), or one or more directories (then autoescaping, with a ``url_for`` global as Starlette's)."""
    if isinstance(templates, jinja2.Environment):
        return templates
    env = getattr(templates, "env", None)
    if isinstance(env, jinja2.Environment):
        return env
    if isinstance(templates, (str, os.PathLike)):
        templates = [templates]
    if isinstance(templates, Sequence) and templates and all(isinstance(t, (str, os.PathLike)) for t in templates):
        for directory in templates:
            if not Path(directory).is_dir():
                raise ConfigError("templates", f"not a directory: {directory}")
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(t) for t in templates]),
            autoescape=jinja2.select_autoescape(default_for_string=True, default=True),
        )
        env.globals.setdefault("url_for", _url_for)
        return env
    raise ConfigError(
        "templates", "must be a directory, a list of directories, a jinja2.Environment or Jinja2Templates"
    )


@jinja2.pass_context
def _url_for(context: Any, name: str, /, **params: Any) -> Any:
    return context["request"].url_for(name, **params)


class Layout:
    """Lays a `Page` out for one request, as the configuration says."""

    def __init__(self, config: Any, own: jinja2.Template) -> None:
        self.config = config
        self.own = own
        self.template = (
            environment(config.templates).get_template(config.page_template) if config.page_template else None
        )

    async def render(self, page: Page, request: Any) -> str:
        config = self.config
        if config.layout is not None:
            html = config.layout(request, page.title, page.body)
            if inspect.isawaitable(html):
                html = await html
            return _with_head(str(html), page.head)
        context = {
            "request": request,
            "css_url": page.css_url,
            "consent_title": page.title,
            "consent_head": page.head,
            "consent_body": page.body,
            "lang": page.lang,
            "dir": page.dir,
            "site_name": config.site_name or _host(request),
            "site_url": page.site_url,
        }
        if self.template is not None:
            # Starlette's Jinja2Templates: its context processors feed every TemplateResponse; ours too.
            for processor in getattr(config.templates, "context_processors", ()):
                context = {**processor(request), **context}
            if "url_for" not in self.template.environment.globals:  # an Environment of the site's own
                context["url_for"] = _url_for
            if self.template.environment.is_async:
                return _with_head(await self.template.render_async(context), page.head)
            return _with_head(self.template.render(context), page.head)
        return self.own.render(context)


def _host(request: Any) -> str | None:
    """The site's host name for the pages' masthead when ``site_name`` is not set (only a plain host name)."""
    host = (request.headers.get("host") or "").rsplit(":", 1)[0].lower()
    return host if re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)*", host) else None


def _with_head(html: str, head: str) -> str:
    """Our stylesheet in the site's page, even if its template forgot ``consent_head``."""
    head = str(head)  # plain text from here: the site's HTML is already HTML
    if head in html:
        return html
    index = html.lower().find("</head>")
    return html[:index] + head + html[index:] if index >= 0 else head + html
