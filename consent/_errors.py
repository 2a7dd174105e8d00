"""`ConfigError`, the one exception for a wrong configuration, and the "did you mean" hint its messages use.

A leaf module: every module that validates something imports it, and it imports nothing of the package.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class ConfigError(ValueError):
    """A configuration value is wrong. The message starts with the key path, e.g. ``categories[1].key``, and,
    for a value read from a TOML file, with the file: ``consent.toml: max_age: …``.

    ``key`` is the key path, ``message`` the explanation and ``file`` the TOML file (or None). Messages never
    quote a secret key.
    """

    def __init__(self, key: str, message: str, file: str | None = None) -> None:
        self.key = key
        self.message = message
        self.file = file
        where = [part for part in (file, key) if part]  # a file-level error has no key
        super().__init__(": ".join([*where, message]))

    def in_file(self, file: str) -> ConfigError:
        """The same error, said of a value read from ``file``."""
        return ConfigError(self.key, self.message, file)


def did_you_mean(value: object, choices: Iterable[str]) -> str:
    """`` (did you mean 'analytics'?)`` when ``value`` is close to one of ``choices``, else an empty string."""
    if not isinstance(value, str):
        return ""
    by_lower = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(value.lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean {by_lower[close[0]]!r}?)" if close else ""
