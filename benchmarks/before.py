"""The rewriter as it was before the engine was rebuilt (commit 6a49121, "today" in issue 8), loaded from git, so
that the pure-Python fallback can be held to "no slower than before" in the same run."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import types
from pathlib import Path
from typing import Any

REVISION = "6a49121"
ROOT = Path(__file__).resolve().parents[1]


def load(revision: str = REVISION) -> types.ModuleType | None:
    """The old ``consent._html`` as a module (its ``HtmlRewriter``, ``Blocking``), or None without git."""
    folder = Path(tempfile.mkdtemp(prefix="consent-before-")) / "consent_before"
    folder.mkdir()
    try:
        for name in ("_html.py", "_trackers.py"):
            text = subprocess.run(
                ["git", "show", f"{revision}:consent/{name}"], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout
            (folder / name).write_text(text)
    except (OSError, subprocess.CalledProcessError):
        return None
    (folder / "__init__.py").write_text("")
    sys.path.insert(0, str(folder.parent))
    import consent_before._html as html

    return html


def rewriter_factory(html: types.ModuleType, options: dict[str, Any]) -> Any:
    """A maker of old rewriters with the same inputs as the new one: the tracker table, the banner, the
    placeholder and the head script."""
    import consent_before._trackers as old
    from consent._trackers import load_table

    _, entries = load_table()
    trackers = old.Trackers(old.provider_from(e, f"providers[{i}]") for i, e in enumerate(entries))
    blocking = html.Blocking(trackers)

    def make() -> Any:
        return html.HtmlRewriter(blocking=blocking, **options)

    return make
