"""Hatch build hook: compile locales/<lang>/LC_MESSAGES/consent.po into consent/locales/…/consent.mo.

The .mo files are build artifacts (not in git), so a wheel or an editable install built without this hook
would silently fall back to English (invenio#4111). The hook checks every catalog and fails the build on
errors instead of shipping a broken one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def compile_catalogs(root: Path) -> list[Path]:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po_path in sorted((root / "locales").glob("*/LC_MESSAGES/consent.po")):
        lang = po_path.parent.parent.name
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=lang, domain="consent")
        problems = [f"{msg.id!r}: {err}" for msg, errors in catalog.check() for err in errors]
        if problems:
            raise RuntimeError(f"{po_path}: {len(problems)} broken message(s): " + "; ".join(problems[:5]))
        mo_path = root / "consent" / "locales" / lang / "LC_MESSAGES" / "consent.mo"
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with mo_path.open("wb") as f:
            write_mo(f, catalog, use_fuzzy=False)
        written.append(mo_path)
    if not written:
        raise RuntimeError(f"no catalogs found under {root / 'locales'}")
    return written


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return  # the sdist ships the .po sources; a wheel built from it compiles them
        root = Path(self.root)
        written = compile_catalogs(root)
        if version == "editable":
            return  # an editable install imports consent/ from the source tree, where the .mo files now are
        for mo_path in written:
            build_data["force_include"][str(mo_path)] = str(mo_path.relative_to(root))


if __name__ == "__main__":  # python hatch_build.py: compile in place, for running from a checkout
    for path in compile_catalogs(Path(__file__).parent):
        print(path)
