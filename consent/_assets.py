"""The client script and stylesheet: minified once at startup and served under versioned names."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib.resources import files


@dataclass(frozen=True)
class Asset:
    path: str  # under the prefix, with a content hash: "/static/consent.3f2a9c1e.js"
    body: bytes
    media_type: str


def minify_css(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*([{};,>])\s*", r"\1", text).replace(";}", "}").strip()


def minify_js(text: str) -> str:
    """Comments and indentation out; conservative, for our own script's style (no multi-line strings, no
    '//' after ';', '{', '}' or ',' inside a string)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    lines = []
    for line in text.splitlines():
        line = re.sub(r"(?<=[;{},])\s+//\s.*$", "", line).strip()
        if line and not line.startswith("//"):
            lines.append(line)
    return "\n".join(lines) + "\n"


def load_assets() -> dict[str, Asset]:
    """The client script and stylesheet, minified, under versioned names (a hash of the content)."""
    assets = {}
    for name, media_type in (
        ("consent.js", "text/javascript; charset=utf-8"),
        ("consent.css", "text/css; charset=utf-8"),
    ):
        source = files("consent").joinpath("static", name).read_text(encoding="utf-8")
        body = (minify_js(source) if name.endswith(".js") else minify_css(source)).encode()
        stem, ext = name.rsplit(".", 1)
        digest = hashlib.sha256(body).hexdigest()[:10]
        assets[ext] = Asset(f"/static/{stem}.{digest}.{ext}", body, media_type)
    return assets
