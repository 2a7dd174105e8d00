"""From a request to its `ConsentState`: the signed cookie, the region's mode and the browser's privacy signals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from types import MappingProxyType

from starlette.types import Scope

from ._config import NECESSARY, ConsentConfig
from ._cookie import ConsentCookie, StoredChoice, cookie_values
from ._memo import Memo
from ._modes import Mode
from ._regions import mode_for, normalize
from ._state import ConsentState


class Visitor:
    """Reads what a request says about the visitor's consent, once per request, in one pass over the headers."""

    def __init__(self, config: ConsentConfig, cookie: ConsentCookie) -> None:
        self.config = config
        self.cookie = cookie
        self.keys = config.category_keys
        self.optional = frozenset(config.optional_keys)
        self.sale_or_share = frozenset(c.key for c in config.category_list if config.sale_or_share(c))
        self._region_header = config.region_header.lower().encode() if config.region_header else None
        self._cookie_name = config.cookie_name
        self._cookie_marker = config.cookie_name.encode() + b"="
        # States are immutable, so one object serves every request with the same inputs (bounded).
        self._states: Memo[tuple[object, ...], ConsentState] = Memo("visitor states", 4096, 2 << 20)
        self._allowed: Memo[int, tuple[Mapping[str, bool], frozenset[str]]] = Memo("allowed categories", 4096)
        self._pairs: Memo[bytes, tuple[str, ...]] = Memo("consent cookies by Cookie header", 4096, 2 << 20, 8 << 10)
        self._categories: Memo[frozenset[str], Mapping[str, bool]] = Memo("category maps", 256)

    def read(self, scope: Scope) -> tuple[ConsentState, bool]:
        """The visitor's state, and whether the request carried ``DNT: 1`` (for the decision record)."""
        cookies: list[str] = []
        gpc = dnt = False
        region_value = None
        region_header = self._region_header
        marker = self._cookie_marker
        for key, value in scope.get("headers", ()):
            key = key.lower()
            if key == b"cookie":
                if marker in value:  # most requests of a site carry cookies, not always ours
                    found = self._pairs.get(value)  # a browser sends the same header page after page
                    if found is None:
                        found = self._pairs.put(value, tuple(cookie_values(value, marker)))
                    cookies.extend(found)
            elif key == b"sec-gpc":
                # Only exactly "1" counts (W3C GPC); with several headers, any "1" wins.
                gpc = gpc or value.strip() == b"1"
            elif key == b"dnt":
                dnt = dnt or value.strip() == b"1"
            elif key == region_header:
                region_value = value.decode("latin-1")
        best = self._choice(cookies)
        region = normalize(region_value) if region_header else None
        mode = mode_for(region, self.config.modes_by_region, self.config.mode) if region_header else self.config.mode
        key = (best, mode, gpc, dnt, region)
        state = self._states.get(key)
        if state is None:
            state = self._states.put(key, self.state(best, mode, gpc, dnt, region), 256)
        return state, dnt

    def _choice(self, values: list[str]) -> StoredChoice | None:
        """The stored choice. The same name may come several times (another path or domain, or a copy that a
        sibling subdomain planted with ``Domain=`` the parent): then the most restrictive wins, so that a
        planted cookie can only narrow consent, never widen it."""
        if len(values) < 2:  # nearly every request: none or one
            return self.cookie.loads(values[0]) if values else None
        choices = [c for c in map(self.cookie.loads, values) if c is not None]
        if len(choices) < 2:
            return choices[0] if choices else None
        narrowest = min(choices, key=lambda c: (len(c.granted), -c.timestamp))
        granted = frozenset.intersection(*(c.granted for c in choices))
        if granted == narrowest.granted:
            return narrowest
        return StoredChoice(granted, narrowest.consent_id, narrowest.decided_at, narrowest.timestamp)

    def allowed(self, state: ConsentState) -> frozenset[str]:
        """The categories ``state`` allows (cached per distinct mapping)."""
        categories = state.categories
        found = self._allowed.get(id(categories))
        if found is None or found[0] is not categories:
            found = self._allowed.put(id(categories), (categories, frozenset(k for k, v in categories.items() if v)))
        return found[1]

    def state(
        self,
        choice: StoredChoice | None,
        mode: str,
        gpc: bool,
        dnt: bool,
        region: str | None,
        granted: Iterable[str] | None = None,
        consent_id: str | None = None,
        decided_at: datetime | None = None,
    ) -> ConsentState:
        """The effective state: the stored choice (or ``granted``, or the mode's defaults), then the signals."""
        if granted is not None:
            allowed = frozenset(granted) & self.optional
            decided = True
        elif choice is not None:
            allowed, decided = choice.granted, True
            consent_id, decided_at = choice.consent_id, choice.decided_at
        else:
            allowed = Mode(mode).undecided(self.optional)
            decided = False
        allowed &= Mode(mode).grantable(self.optional)  # a notice-only region: nothing but necessary exists
        if gpc:
            allowed -= self.sale_or_share  # overrides an earlier Accept (CCPA regulations § 7025)
        if dnt and self.config.honor_dnt:
            allowed = frozenset()
        categories = self._categories.get(allowed)
        if categories is None:  # one per combination of categories
            categories = self._categories.put(
                allowed, MappingProxyType({k: k == NECESSARY or k in allowed for k in self.keys})
            )
        return ConsentState(
            decided=decided,
            categories=categories,
            policy_version=self.config.policy_version,
            mode=mode,
            consent_id=consent_id,
            decided_at=decided_at,
            gpc=gpc,
            region=region,
        )
