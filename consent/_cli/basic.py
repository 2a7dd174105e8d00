"""``consent version``."""

from __future__ import annotations

import argparse
import platform
from typing import Any


def register(sub: Any) -> None:
    version = sub.add_parser("version", help="print the version of asgi-consent", description="Print the version.")
    version.set_defaults(run=run_version)


def run_version(args: argparse.Namespace) -> int:
    from .. import __version__

    print(f"asgi-consent {__version__} (Python {platform.python_version()})")
    return 0
