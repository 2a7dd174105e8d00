"""What the app sees of a visitor's choice (`ConsentState`) and what the proof-of-consent hook receives."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from ._config import NECESSARY


@dataclass(frozen=True)
class ConsentState:
    """The visitor's consent for this request, at ``request.scope["consent"]``.

    ``decided`` is False until the visitor chooses (or when the stored choice is invalid, expired or for
    another policy version); ``categories`` then holds the mode's defaults: everything refused in opt-in and
    notice mode, everything granted in opt-out mode. ``necessary`` is always granted.
    """

    decided: bool
    categories: Mapping[str, bool]
    policy_version: str
    mode: str
    consent_id: str | None = None
    decided_at: datetime | None = None
    #: The request carried ``Sec-GPC: 1``: categories marked ``sale_or_share`` are refused whatever was stored.
    gpc: bool = False
    #: The visitor's region, from ``region_header`` (None when not configured or unknown).
    region: str | None = None

    def __post_init__(self) -> None:
        # Read-only: the same mapping is shared by every request with the same choice, so an app that wrote
        # into it would grant consent on behalf of other visitors.
        if not isinstance(self.categories, MappingProxyType):
            object.__setattr__(self, "categories", MappingProxyType(dict(self.categories)))

    def allows(self, category: str) -> bool:
        """True if scripts and cookies of ``category`` may run for this visitor."""
        return category == NECESSARY or self.categories.get(category, False)

    def to_json(self) -> dict[str, Any]:
        return {
            "decided": self.decided,
            "categories": dict(self.categories),
            "policy_version": self.policy_version,
            "mode": str(self.mode),
            "gpc": self.gpc,
        }


@dataclass(frozen=True)
class ConsentDecision:
    """One decision, passed to ``ConsentConfig.on_decision`` so the site can keep proof of consent.

    It carries no IP address, user agent or account id: add those in the hook if your policy says so.
    ``action`` is ``accept``, ``reject``, ``save`` or ``withdraw``.
    """

    consent_id: str
    time: datetime
    action: str
    categories: Mapping[str, bool]
    policy_version: str
    mode: str
    gpc: bool = False  # the request carried a Global Privacy Control signal
    dnt: bool = False  # … a Do Not Track signal (recorded whether or not honor_dnt is on)

    def to_json(self) -> dict[str, Any]:
        return {
            "consent_id": self.consent_id,
            "time": self.time.isoformat(),
            "action": self.action,
            "categories": dict(self.categories),
            "policy_version": self.policy_version,
            "mode": str(self.mode),
            "gpc": self.gpc,
            "dnt": self.dnt,
        }
