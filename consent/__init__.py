"""asgi-consent: server-side cookie consent for ASGI apps."""

from ._config import Category, ConfigError, ConsentConfig, CookieDeclaration
from ._middleware import ConsentMiddleware
from ._state import ConsentDecision, ConsentState

__version__ = "0.1.0"

__all__ = [
    "Category",
    "ConfigError",
    "ConsentConfig",
    "ConsentDecision",
    "ConsentMiddleware",
    "ConsentState",
    "CookieDeclaration",
]
