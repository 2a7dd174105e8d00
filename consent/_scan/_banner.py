"""The banner checks: found, in the page's language, Reject as prominent as Accept, reachable by keyboard.

The banner is recognised by ``banner.js`` (dialog-like or fixed boxes holding an Accept button); the words
of the buttons come from the package's own catalogs, so the middleware's banner is recognised in every
shipped language, and from common English wording for other banners.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from .._config import ConsentConfig
from .._i18n import Negotiator, load_translations, shipped_locales
from .._text import TEXTS
from ._model import Banner, Button

if TYPE_CHECKING:
    from playwright.sync_api import Page

FIND = files("consent._scan").joinpath("banner.js").read_text(encoding="utf-8")
SIZE_TOLERANCE = 2.0  # px, for width and height
MIN_CONTRAST = 4.5  # WCAG AA for normal text
MAX_TABS = 100
# What has focus: the scanner's mark of a banner button, "-" for anything else, "" for no element (focus has
# left the page's last control).
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return "";
  return e.getAttribute("data-consent-scan") || "-";
}"""
_ACCEPT_KEYS = ("accept_all", "accept", "dismiss")
_REJECT_KEYS = ("reject_all", "opt_out")


@dataclass(frozen=True)
class Words:
    """Button words per shipped language (lower case), and all of them for the page script."""

    by_locale: dict[str, tuple[frozenset[str], frozenset[str]]]
    negotiator: Negotiator

    def script_argument(self) -> dict[str, list[str]]:
        accept = sorted({w for a, _ in self.by_locale.values() for w in a})
        reject = sorted({w for _, r in self.by_locale.values() for w in r})
        return {"accept": accept, "reject": reject}

    def locales_of(self, accept: str, reject: str | None) -> list[str]:
        """The languages whose words the buttons use (both buttons when there are two)."""
        a, r = accept.strip().lower(), (reject or "").strip().lower()
        return [loc for loc, (acc, rej) in self.by_locale.items() if a in acc and (reject is None or r in rej)]


def load_words(config: ConsentConfig | None) -> Words:
    by_locale: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    overrides = config.text if config else {}
    for locale in shipped_locales():
        translations = load_translations(locale)
        own = overrides.get(locale, {})

        def word(key: str, own: Any = own, translations: Any = translations) -> str:
            return str(own.get(key) or translations.gettext(TEXTS[key])).strip().lower()

        by_locale[locale] = (frozenset(word(k) for k in _ACCEPT_KEYS), frozenset(word(k) for k in _REJECT_KEYS))
    return Words(by_locale, Negotiator(list(by_locale), "en"))


def find(page: Page, words: Words) -> Banner:
    """Find and measure the banner of the page as loaded (marks the buttons for `keyboard` and clicks)."""
    data = page.evaluate(FIND, words.script_argument())
    banner = Banner(found=bool(data.get("where")), where=data.get("where", ""), page_lang=data.get("page_lang", ""))
    if not banner.found:
        return banner
    banner.banner_lang = data.get("banner_lang") or ""
    banner.accept = Button(**data["accept"])
    banner.reject = Button(**data["reject"]) if data.get("reject") else None
    _language(banner, words)
    _prominence(banner)
    return banner


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def _language(banner: Banner, words: Words) -> None:
    assert banner.accept is not None
    page = banner.page_lang
    found = words.locales_of(banner.accept.text, banner.reject.text if banner.reject else None)
    page_catalog = words.negotiator.match(page) if page else None
    if page_catalog in found:
        banner.wording_lang = page_catalog or ""
    elif found:
        banner.wording_lang = found[0]
    if not page:
        banner.language_ok = None  # the page does not say its language
    elif banner.banner_lang and _primary(banner.banner_lang) != _primary(page):
        banner.language_ok = False
    elif found and page_catalog is not None:
        banner.language_ok = page_catalog in found
    elif found:
        banner.language_ok = any(_primary(loc) == _primary(page) for loc in found)
    else:
        banner.language_ok = None if not banner.banner_lang else True


def _prominence(banner: Banner) -> None:
    accept, reject = banner.accept, banner.reject
    assert accept is not None
    if reject is None:
        banner.prominence_ok = False
        banner.prominence_problem = "no Reject button next to Accept"
        return
    problems = []
    if abs(accept.width - reject.width) > SIZE_TOLERANCE or abs(accept.height - reject.height) > SIZE_TOLERANCE:
        problems.append(
            f"Reject is {reject.width:g}x{reject.height:g} px, Accept {accept.width:g}x{accept.height:g} px"
            f" (more than {SIZE_TOLERANCE:g} px apart)"
        )
    if accept.font_size != reject.font_size or accept.font_weight != reject.font_weight:
        problems.append(
            f"Reject text is {reject.font_size} weight {reject.font_weight}, "
            f"Accept {accept.font_size} weight {accept.font_weight}"
        )
    if (reject.tag == "a") != (accept.tag == "a"):
        problems.append(f"Reject is a <{reject.tag}>, Accept a <{accept.tag}>")
    if reject.contrast is not None and reject.contrast < MIN_CONTRAST and (accept.contrast or 0) >= MIN_CONTRAST:
        problems.append(f"Reject text contrast is {reject.contrast:g}:1 (Accept {accept.contrast:g}:1)")
    banner.prominence_ok = not problems
    banner.prominence_problem = "; ".join(problems)


def keyboard(page: Page, banner: Banner) -> None:
    """Press Tab from the top of the page until focus has reached both buttons, has gone round the whole page
    (back to the document), or `MAX_TABS` presses."""
    wanted = {"accept"} | ({"reject"} if banner.reject else set())
    tabs: dict[str, int | None] = dict.fromkeys(sorted(wanted))
    for press in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused in wanted and tabs[focused] is None:
            tabs[focused] = press
        if all(v is not None for v in tabs.values()) or (focused == "" and press > 1):
            break
    banner.keyboard_tabs = tabs
    banner.keyboard_ok = all(v is not None for v in tabs.values())
    page.evaluate("() => document.activeElement && document.activeElement.blur()")


def screenshot(page: Page) -> bytes | None:
    try:
        return page.locator("[data-consent-scan=banner]").first.screenshot(timeout=5000)
    except Exception:  # off screen, or gone: the report goes without the picture
        return None
