"""``consent log show``: one visitor's decisions, oldest first, each with the words they were shown."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

SOURCE_NAMES = {
    "banner": "the banner",
    "settings": "the settings page",
    "embed": "an embed's placeholder",
    "api": "the JSON API (the site's own interface)",
}


def show(consent_id: str, records: Sequence[Any], texts: Mapping[str, Any], form: str) -> str:
    if form == "json":
        return (
            json.dumps(
                {
                    "consent_id": consent_id,
                    "records": [r.to_json() for r in records],
                    "texts": {digest: text.document for digest, text in texts.items()},
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    out = [f"Consent id {consent_id}: {len(records)} decision{'s' if len(records) != 1 else ''}", ""]
    seen: set[str] = set()
    for r in records:
        out += _record(r)
        digest = r.text_digest
        if not digest:
            out.append("  Shown: not recorded")
        elif digest in seen:
            out.append(f"  Shown: the same text as above ({digest[:12]})")
        elif digest in texts:
            seen.add(digest)
            out += _text(texts[digest].document, digest)
        else:
            out.append(f"  Shown: text {digest[:12]} is missing from the store")
        out.append("")
    return "\n".join(out)


def _record(r: Any) -> list[str]:
    yes = {True: "yes", False: "no"}
    return [
        f"{r.time:%Y-%m-%d %H:%M:%S} UTC  {r.action.upper()}  on {SOURCE_NAMES.get(r.source, r.source)}",
        f"  Granted: {' '.join(r.granted) or '-'}",
        f"  Refused: {' '.join(r.refused) or '-'}",
        f"  Policy version {r.policy_version}, mode {r.mode}, language {r.locale or '-'}, region {r.region or '-'}",
        f"  Page {r.path or '-'}, browser {r.user_agent or '-'}, network {r.ip or 'not kept'}",
        f"  Signals as received: GPC {yes[r.gpc]}, DNT {yes[r.dnt]}",
        f"  Record {r.record_id}",
    ]


def _text(document: Mapping[str, Any], digest: str) -> list[str]:
    out = [f"  Shown ({document.get('locale', '?')}, text {digest[:12]}):"]
    for line in document.get("lines", ()):
        out.append(f"    | {line}")
    categories = document.get("categories", ())
    if categories:
        out.append("    Categories:")
        for c in categories:
            out.append(f"    - {c.get('title', c.get('key'))}: {c.get('description', '')}")
    return out
