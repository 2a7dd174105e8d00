"""Compile locales/<lang>/LC_MESSAGES/consent.po into consent/locales/…/consent.mo (``python build_catalogs.py``).

The .mo files are build artifacts (not in git): setup.py runs this for every wheel and editable install, so an
install can never silently fall back to English (invenio#4111). Every catalog is checked, and the build fails on
errors instead of shipping a broken one.
"""

from __future__ import annotations

from pathlib import Path


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


if __name__ == "__main__":  # compile in place, for running from a checkout
    for path in compile_catalogs(Path(__file__).parent):
        print(path)
