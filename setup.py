"""The build: the compiled scanner (an optional C extension, one translation unit) and the gettext catalogs.

setuptools, because it is the simplest thing that builds a CPython extension in C from an sdist everywhere
(any C compiler and the Python headers, nothing else: no CMake, no Meson, no Rust) and can mark it optional:
without a compiler the install goes on and the package runs on its pure-Python scanner. Release wheels for
Linux, macOS and Windows are built by cibuildwheel (see README, "Building wheels").
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
from build_catalogs import compile_catalogs  # noqa: E402

NOTE = (
    "asgi-consent: the compiled scanner could not be built ({}); the package installs and runs on its pure-Python "
    "scanner, several times slower. Install a C compiler and the Python headers (Debian: gcc python3-dev) and "
    "reinstall for full speed."
)


class BuildPy(build_py):
    def run(self) -> None:
        compile_catalogs(ROOT)
        super().run()


def _required() -> bool:
    """Release wheels set CONSENT_REQUIRE_COMPILED=1 (see [tool.cibuildwheel]): a wheel must never ship pure
    by accident, so there a failed build fails."""
    return os.environ.get("CONSENT_REQUIRE_COMPILED", "") not in ("", "0")


class OptionalBuildExt(build_ext):
    """The extension is optional: a missing compiler is a clear note, not a failed install (unless required)."""

    def run(self) -> None:
        compile_catalogs(ROOT)  # an editable install runs build_ext but not always build_py
        if os.environ.get("CONSENT_PURE_PYTHON", "") not in ("", "0"):
            if _required():
                raise SystemExit("error: CONSENT_PURE_PYTHON and CONSENT_REQUIRE_COMPILED are both set")
            print(NOTE.format("CONSENT_PURE_PYTHON is set"), file=sys.stderr)
            return
        try:
            super().run()
        except Exception as exc:  # setuptools' own errors for a missing compiler vary by platform
            if _required():
                raise
            print(NOTE.format(exc), file=sys.stderr)

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:
            if _required():
                raise
            print(NOTE.format(exc), file=sys.stderr)


setup(
    ext_modules=[
        Extension(
            "consent._html._cscan",
            ["consent/_html/_cscan.c"],  # one translation unit: it includes its parts from _cscan_src/
            depends=sorted(str(p.relative_to(ROOT)) for p in (ROOT / "consent/_html/_cscan_src").glob("*.c")),
            optional=not _required(),
            extra_compile_args=["-O2"] if sys.platform != "win32" else [],
        )
    ],
    cmdclass={"build_py": BuildPy, "build_ext": OptionalBuildExt},
)
