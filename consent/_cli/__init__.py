"""The ``consent`` command line (also ``python -m consent``).

argparse, from the standard library: the command line must work in every install of the package, and the
core dependencies are fixed (starlette, itsdangerous, babel, jinja2); click or typer would be one more for
four commands. Each command lives in a module of this package with a ``register(subcommands)`` function that
adds its parser and sets ``run`` (a function of the parsed arguments returning the exit status).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import basic, config_cmds, log_cmds, scan_cmd

# One line per command module; each adds its own subcommands.
COMMANDS = (config_cmds, scan_cmd, log_cmds, basic)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="consent",
        description="asgi-consent: cookie consent on the server. Configure, check and test a site's consent set-up.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``consent check … | head``): stop quietly, as a Unix tool does. Python would
        # otherwise report the broken pipe again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
