"""asgi-consent: server-side cookie consent for ASGI apps."""

from ._config import Category, ConfigError, ConsentConfig, CookieDeclaration
from ._log import ConsentRecord, LogStore, ShownText
from ._middleware import ConsentMiddleware
from ._modes import Mode
from ._site import MiddlewareMissing, consent_state, policy_html, policy_url, settings_html, settings_url
from ._state import ConsentDecision, ConsentState
from ._tags import csp_hashes

__version__ = "0.1.0"

__all__ = [
    "Category",
    "ConfigError",
    "ConsentConfig",
    "ConsentDecision",
    "ConsentMiddleware",
    "ConsentRecord",
    "ConsentState",
    "CookieDeclaration",
    "LogStore",
    "MiddlewareMissing",
    "Mode",
    "ShownText",
    "consent_state",
    "csp_hashes",
    "policy_html",
    "policy_url",
    "settings_html",
    "settings_url",
]
