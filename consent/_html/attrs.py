"""A start tag's attributes, parsed once (the first occurrence of a name wins, as in browsers), and edits to
them that keep everything else byte for byte: the author's quoting, spacing and escaping."""

from __future__ import annotations

import re

from .pytag import ATTR, TAG_NAME

_SPACE = frozenset(b"\t\n\f\r ")


class Tag:
    """``Tag(raw)``: read attributes with `get`, edit with `rename`/`remove`/`insert`/`set`, then `bytes()`.

    Values are raw (character references not decoded): the gate decodes what it needs to decide on.
    """

    __slots__ = ("raw", "name", "_attrs", "_edits", "_name_end")

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        m = TAG_NAME.match(raw)
        self._name_end = m.end() if m is not None else 1
        self.name = m[1].lower() if m is not None else b""
        attrs: dict[bytes, re.Match[bytes]] = {}
        for a in ATTR.finditer(raw, self._name_end, len(raw) - 1):
            key = a[1].lower()
            if key not in attrs:
                attrs[key] = a
        self._attrs = attrs
        self._edits: list[tuple[int, int, bytes]] = []

    # -- reading ----------------------------------------------------------------------------------------

    def __contains__(self, name: bytes) -> bool:
        return name in self._attrs

    def names(self) -> list[bytes]:
        return list(self._attrs)

    def get(self, name: bytes) -> bytes | None:
        """The raw value (quotes removed), b"" for an attribute without one, None when absent."""
        m = self._attrs.get(name)
        if m is None:
            return None
        value = m[2]
        if not value:
            return b""
        return value[1:-1] if value[:1] in (b'"', b"'") else value

    def quote(self, name: bytes) -> bytes:
        """The quote character the author used for ``name`` (b'"' when unquoted or absent)."""
        m = self._attrs.get(name)
        value = m[2] if m is not None else None
        return value[:1] if value and value[:1] in (b'"', b"'") else b'"'

    # -- editing ------------------------------------------------------------------------------------------

    def rename(self, old: bytes, new: bytes) -> None:
        """Give attribute ``old`` the name ``new``; its value keeps its quoting and escaping."""
        m = self._attrs[old]
        self._edits.append((m.start(1), m.end(1), new))

    def remove(self, name: bytes) -> None:
        m = self._attrs[name]
        start = m.start(1)
        if self.raw[start - 1] in _SPACE:
            start -= 1  # take the separating space with it
        self._edits.append((start, _end(m), b""))

    def set(self, name: bytes, value: bytes) -> None:
        """Set ``name`` to ``value`` (already escaped for a double-quoted attribute), replacing its old value."""
        m = self._attrs.get(name)
        if m is None:
            self.insert(b" " + name + b'="' + value + b'"')
        else:
            self._edits.append((m.start(1), _end(m), name + b'="' + value + b'"'))

    def replace(self, name: bytes, text: bytes) -> None:
        """Put ``text`` in place of attribute ``name`` (its name and value)."""
        m = self._attrs[name]
        self._edits.append((m.start(1), _end(m), text))

    def insert(self, text: bytes) -> None:
        """Insert ``text`` (with its leading space) right after the tag name: before every other attribute,
        so that it wins over any later duplicate."""
        self._edits.append((self._name_end, self._name_end, text))

    def append(self, text: bytes) -> None:
        """Insert ``text`` (with its leading space) right before the closing ``>``."""
        end = len(self.raw) - 1
        self._edits.append((end, end, text))

    @property
    def changed(self) -> bool:
        return bool(self._edits)

    def __bytes__(self) -> bytes:
        if not self._edits:
            return self.raw
        parts = []
        pos = 0
        for start, end, text in sorted(self._edits, key=lambda e: (e[0], e[1])):
            if start < pos:  # edits never overlap; a second edit of one attribute is a bug
                raise ValueError("overlapping attribute edits")
            parts.append(self.raw[pos:start])
            parts.append(text)
            pos = end
        parts.append(self.raw[pos:])
        return b"".join(parts)


def _end(m: re.Match[bytes]) -> int:
    """Where an attribute ends: after its value, or its name (not the spaces that follow)."""
    return m.end(2) if m[2] is not None else m.end(1)
