"""Known trackers: the provider table (``consent/data/trackers.json``) and fast lookups by URL and by snippet.

The table is data, versioned in the package; sites add or override entries with ``ConsentConfig.trackers``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from ._memo import Memo

CATEGORIES = ("analytics", "marketing")
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+\Z")
# The host of an absolute or scheme-relative URL, as bytes in an attribute value.
_URL_HOST = re.compile(rb"\s*(?:[A-Za-z][A-Za-z0-9+.-]*:)?//(?:[^/?#@\s]*@)?([^/?#:\s]+)(?::\d*)?([^?#\s]*)")


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    category: str
    hosts: tuple[str, ...]
    paths: tuple[str, ...] = ()
    snippets: tuple[str, ...] = ()
    embed: bool = False
    cookies: tuple[str, ...] = ()
    privacy_url: str = ""
    compiled: tuple[re.Pattern[bytes], ...] = field(default=(), compare=False, repr=False)


def load_table() -> tuple[str, list[dict[str, Any]]]:
    data = json.loads(files("consent").joinpath("data", "trackers.json").read_text(encoding="utf-8"))
    return str(data["version"]), list(data["providers"])


def provider_from(entry: Mapping[str, Any], where: str) -> Provider:
    """A Provider from one table entry; raises ValueError naming the field."""
    allowed = {
        "id",
        "name",
        "category",
        "hosts",
        "paths",
        "snippets",
        "embed",
        "embed_url_hint",
        "cookies",
        "privacy_url",
    }
    for key in entry:
        if key not in allowed:
            raise ValueError(f"{where}.{key}: unknown key (known: {', '.join(sorted(allowed))})")
    for key in ("id", "name", "category"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise ValueError(f"{where}.{key}: must be a non-empty string")

    def strings(key: str) -> tuple[str, ...]:
        value = entry.get(key, ())
        if isinstance(value, str) or not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{where}.{key}: must be a list of strings")
        return tuple(value)

    hosts = tuple(h.lower() for h in strings("hosts"))
    for host in hosts:
        if not _HOST.match(host):
            raise ValueError(f"{where}.hosts: {host!r} is not a host name")
    snippets = strings("snippets")
    compiled = []
    for i, snippet in enumerate(snippets):
        try:
            compiled.append(re.compile(snippet.encode()))
        except re.error as exc:
            raise ValueError(f"{where}.snippets[{i}]: not a valid regular expression: {exc}") from None
    if not hosts and not snippets:
        raise ValueError(f"{where}: needs hosts or snippets")
    return Provider(
        id=entry["id"],
        name=entry["name"],
        category=entry["category"],
        hosts=hosts,
        paths=strings("paths"),
        snippets=snippets,
        embed=bool(entry.get("embed", False)),
        cookies=strings("cookies"),
        privacy_url=str(entry.get("privacy_url", "")),
        compiled=tuple(compiled),
    )


def anchors(pattern: str) -> list[str] | None:
    """Literal text every match of ``pattern`` must contain (one per top-level branch), or None if some
    branch has none worth searching for. Used to skip the regular expressions on scripts that can't match."""
    branches: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(pattern, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            branches.append(pattern[start:i])
            start = i + 1
        i += 1
    branches.append(pattern[start:])
    found = []
    for branch in branches:
        runs = [r for r in _literal_runs(branch) if len(r) >= 3]
        if not runs:
            return None
        found.append(max(runs, key=_rarity))
    return found


# Words every script is full of make poor anchors: "gtag" beats "config", "fbq" beats "init".
_COMMON = frozenset(
    "config init create push send track load script function window document return new event data com net org www"
    " http https js".split()
)


def _rarity(run: str) -> int:
    return len(run) + 4 * any(c in run for c in "_./") - 10 * (run.lower().strip("._/ ") in _COMMON)


def _class_end(pattern: str, i: int) -> int:
    i += 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _literal_runs(branch: str) -> list[str]:
    """Runs of literal characters at the top level of a regex branch (groups and classes break runs)."""
    runs: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            runs.append("".join(run))
            run.clear()

    depth = 0
    i = 0
    while i < len(branch):
        c = branch[i]
        if c == "\\":
            nxt = branch[i + 1 : i + 2]
            i += 2
            if depth == 0 and nxt and not nxt.isalnum():  # \. \/ \( are literal; \b \s \d are not
                run.append(nxt)
            else:
                flush()
            continue
        i += 1
        if c == "[":
            i = _class_end(branch, i - 1)
            flush()
        elif c in "()":
            depth += 1 if c == "(" else -1
            flush()
        elif c in "?*{":
            if run:
                run.pop()  # the character before is optional
            flush()
            if c == "{":
                i = branch.find("}", i) + 1 or len(branch)
        elif c in "+|^$.":
            flush()  # "a+": the a is required, but what follows need not be adjacent to it
        elif depth == 0:
            run.append(c)
    flush()
    return runs


class Trackers:
    """The provider table, indexed: ``for_url`` and ``for_script`` are the per-tag lookups of the rewriter."""

    def __init__(self, providers: Iterable[Provider]) -> None:
        self.providers = {p.id: p for p in providers}
        self._by_host: dict[bytes, list[Provider]] = {}
        for provider in self.providers.values():
            for host in provider.hosts:
                self._by_host.setdefault(host.encode(), []).append(provider)
        # Inline snippets: one alternation of literal anchors finds candidates at C speed; only the providers
        # whose anchors occur run their own expressions.
        by_anchor: dict[str, list[Provider]] = {}
        self._always: list[Provider] = []
        for provider in self.providers.values():
            for snippet in provider.snippets:
                found = anchors(snippet)
                if found is None:
                    self._always.append(provider)
                    continue
                for anchor in found:
                    if provider not in by_anchor.setdefault(anchor, []):
                        by_anchor[anchor].append(provider)
        self._by_anchor = {a.encode(): ps for a, ps in by_anchor.items()}
        ordered = sorted(self._by_anchor, key=len, reverse=True)
        # A lookahead finds anchors at every position, overlapping ones included.
        self._anchor_rx = re.compile(b"(?=(" + b"|".join(re.escape(a) for a in ordered) + b"))") if ordered else None
        self._scripts: Memo[bytes, tuple[Provider, ...]] = Memo("tracker scripts", 4096, 8 << 20, 256 << 10)
        #: every host of the table (lower-case bytes): what the scanner is told to watch for
        self.hosts = frozenset(self._by_host)
        #: literal text every vendor snippet contains: what the scanner searches inline scripts for
        self.anchors = tuple(sorted(self._by_anchor))
        self.always_scan = bool(self._always)  # some snippet has no anchor: every inline script is searched

    def for_url(self, url: bytes) -> Provider | None:
        """The provider serving ``url`` (a plain absolute or scheme-relative URL), or None."""
        m = _URL_HOST.match(url)
        if m is None:
            return None
        return self.for_host(m[1].lower().rstrip(b"."), m[2].decode("latin-1"))

    def for_host(self, host: bytes, path: str | None = None) -> Provider | None:
        """The provider behind ``host`` (lower-case) or a parent domain of it. A provider listed with path
        prefixes matches only those paths; with ``path`` None (unknown), it matches any."""
        by_host = self._by_host
        while True:
            for provider in by_host.get(host, ()):
                if not provider.paths or path is None or any(path.startswith(p) for p in provider.paths):
                    return provider
            dot = host.find(b".")
            if dot < 0:
                return None
            host = host[dot + 1 :]

    def for_script(self, text: bytes) -> tuple[Provider, ...]:
        """Providers whose official inline snippet appears in ``text``.

        A site serves the same inline scripts on page after page, so answers are remembered (by the text
        itself, bounded), and the search runs only for new text."""
        found = self._scripts.get(text)
        if found is None:
            found = self._scripts.put(text, self._search(text), 16)
        return found

    def for_anchors(self, text: bytes, found: tuple[int, ...]) -> tuple[Provider, ...]:
        """`for_script`, when the anchors in ``text`` are already known (indices into `anchors`, as the
        scanner reports them): only those providers' expressions run."""
        candidates: list[Provider] = list(self._always)
        for index in found:
            for provider in self._by_anchor[self.anchors[index]]:
                if provider not in candidates:
                    candidates.append(provider)
        return tuple(p for p in candidates if any(rx.search(text) for rx in p.compiled))

    def _search(self, text: bytes) -> tuple[Provider, ...]:
        candidates: list[Provider] = list(self._always)
        if self._anchor_rx is not None:
            for anchor in set(self._anchor_rx.findall(text)):
                for provider in self._by_anchor[anchor]:
                    if provider not in candidates:
                        candidates.append(provider)
        return tuple(p for p in candidates if any(rx.search(text) for rx in p.compiled))
