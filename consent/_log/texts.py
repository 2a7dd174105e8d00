"""The exact wording a visitor was shown when they chose: rendered by the same Renderer that served it, reduced
to its visible text, and kept once per (source, locale, mode, …) in a bounded memo."""

from __future__ import annotations

import html
from html.parser import HTMLParser

from .._config import NECESSARY, ConsentConfig
from .._memo import Memo
from .._pages import Pages
from .._render import Renderer
from .._state import ConsentState
from .record import ShownText

# Elements whose text runs on inside a line; every other tag starts a new line.
_INLINE = frozenset(("span", "strong", "em", "b", "i", "abbr", "small", "code", "bdi", "bdo", "mark", "q"))
_HIDDEN = frozenset(("script", "style", "head", "title", "template", "noscript"))
# A stand-in for the embed's address: the placeholder's wording does not depend on it, only on whether it is
# a link (it is, for every embed the gate blocks).
_EMBED_URL = b"https://embed.invalid/"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._line: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag not in _INLINE:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag not in _INLINE:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._line.append(data)

    def _break(self) -> None:
        line = " ".join("".join(self._line).split())
        if line:
            self.lines.append(line)
        self._line = []

    def close(self) -> None:
        super().close()
        self._break()


def visible_lines(markup: str) -> list[str]:
    """The text a reader sees in ``markup``, one entry per block, whitespace collapsed."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return parser.lines


class ShownTexts:
    """`ShownText` for each way of being asked: computed on first use, then served from a bounded memo."""

    def __init__(self, config: ConsentConfig, renderer: Renderer, pages: Pages) -> None:
        self.config = config
        self.renderer = renderer
        self.pages = pages
        self._memo: Memo[tuple[object, ...], ShownText] = Memo("shown texts", max_entries=2048, max_bytes=8 << 20)

    def get(
        self,
        source: str,
        locale: str,
        mode: str,
        *,
        gpc: bool = False,
        decided: bool = False,
        provider: str = "",
        categories: tuple[str, ...] = (),
    ) -> ShownText:
        """What ``source`` (banner, settings, embed, api) showed in ``locale`` and ``mode``. ``gpc`` adds the
        notice shown to a visitor sending the signal; ``decided`` the settings page's Withdraw button;
        ``provider`` and ``categories`` fill an embed placeholder's sentences."""
        if source != "embed":
            provider, categories = "", ()
        if source != "settings":
            decided = False
        key = (source, locale, mode, gpc, decided, provider, categories)
        found = self._memo.get(key)
        if found is None:
            found = self._memo.put(key, self._make(source, locale, mode, gpc, decided, provider, categories))
        return found

    def _make(
        self,
        source: str,
        locale: str,
        mode: str,
        gpc: bool,
        decided: bool,
        provider: str,
        categories: tuple[str, ...],
    ) -> ShownText:
        renderer = self.renderer
        if source == "banner":
            markup = renderer.snippet("banner", locale, "", mode).render("/", None, gpc)
        elif source == "settings":
            markup = str(self.pages.settings(locale, "", self._state(mode, gpc, decided), "/").body)
        elif source == "embed":
            srcdoc = renderer.placeholder(locale, "", provider or None, " ".join(categories), _EMBED_URL, "/")
            markup = html.unescape(srcdoc.decode("ascii"))
        else:  # the JSON API: the site's own interface, whose words we cannot know
            markup = ""
        document = {
            "source": source,
            "locale": locale,
            "mode": mode,
            "lines": visible_lines(markup),
            "categories": renderer.categories(locale),
        }
        return ShownText.of(document)

    def _state(self, mode: str, gpc: bool, decided: bool) -> ConsentState:
        # No consent id: the page shows the visitor's own id, which is not part of the wording.
        keys = self.config.category_keys
        return ConsentState(
            decided=decided,
            categories={k: k == NECESSARY for k in keys},
            policy_version=self.config.policy_version,
            mode=mode,
            gpc=gpc,
        )
