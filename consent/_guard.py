"""The client guard: ``consent/static/guard.js`` with the tracker table's hosts written in, and its tag.

The server gates the HTML it sends; what code in the page asks for at run time (a script element created by
a tag, ``fetch``, ``sendBeacon``, ``document.write``) it cannot see. The guard, the first script of every
page whose visitor has not allowed everything, holds those requests back per category. Its file is built
once at startup from the tracker table (plus the site's ``trackers`` entries, under the site's categories,
less the providers left alone), so its versioned name changes when the table does; it is external like
consent.js, so a strict ``script-src 'self'`` works and the nonce, if any, is the response's.
"""

from __future__ import annotations

import hashlib
import json
from html import escape
from importlib.resources import files

from ._assets import Asset, minify_js
from ._config import NECESSARY, ConsentConfig
from ._html.gate import Blocking
from ._modes import Mode

_SLOT = "__CONSENT_GUARD__"


def host_table(blocking: Blocking) -> dict[str, str]:
    """``{category: "host host|/path|/path …"}``: every host of the table under the site's category (sorted, so
    the file is the same bytes for the same table), without necessary and exempt providers."""
    entries: dict[str, set[str]] = {}
    for provider in blocking.trackers.providers.values():
        category = blocking.category_of(provider)
        if category == NECESSARY or provider.id in blocking.exempt:
            continue
        paths = "".join("|" + p for p in provider.paths)
        entries.setdefault(category, set()).update(host + paths for host in provider.hosts)
    return {category: " ".join(sorted(hosts)) for category, hosts in sorted(entries.items())}


def guard_asset(config: ConsentConfig, blocking: Blocking) -> Asset:
    """The guard script with this configuration's hosts and cookie written in, under a versioned name."""
    sale = [c.key for c in config.category_list if config.sale_or_share(c)]
    table = {
        "t": host_table(blocking),
        "c": config.cookie_name,
        "v": config.policy_version,
        "s": sale,
        "n": 1 if config.honor_dnt else 0,
    }
    source = files("consent").joinpath("static", "guard.js").read_text(encoding="utf-8")
    data = json.dumps(table, separators=(",", ":"), ensure_ascii=True).replace("</", "<\\/")
    body = minify_js(source).replace(_SLOT, data).encode()
    digest = hashlib.sha256(body).hexdigest()[:10]
    return Asset(f"/static/guard.{digest}.js", body, "text/javascript; charset=utf-8")


class Guard:
    """The guard's file and the tag that loads it, per page."""

    def __init__(self, config: ConsentConfig, blocking: Blocking) -> None:
        self.asset = guard_asset(config, blocking)
        self.categories = frozenset(host_table(blocking))  # what it can hold back
        self._optional = frozenset(config.optional_keys)
        self._url = config.prefix + self.asset.path

    def tag(self, root_path: str, allowed: frozenset[str], shared: bool, mode: str) -> bytes | None:
        """The ``<script>`` start of the guard for one page (the caller adds the nonce and closes it), or None
        when the visitor allows everything it could hold back. ``allowed``: what the server allows this
        visitor; on a shared page the guard reads the cookie, and is told what a visitor without one gets in
        ``mode``. Built once per visitor kind by the caller (`consent._plan.head_markup`)."""
        allow = allowed - {NECESSARY}
        if not shared and self.categories <= allow:
            return None
        wanted = " ".join(sorted(Mode(mode).undecided(self._optional) if shared else allow))
        data = "data-undecided" if shared else "data-allow"
        url = escape(root_path + self._url, quote=True)
        return f'<script src="{url}" {data}="{escape(wanted, quote=True)}"'.encode()
