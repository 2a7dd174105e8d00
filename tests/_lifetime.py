"""Servers the tests start stop by themselves: each asks the kernel for SIGTERM when the test process that
started it dies, however it dies (a timeout's SIGKILL included), so none outlives its run."""

from __future__ import annotations

import ctypes
import signal
from collections.abc import Callable

PR_SET_PDEATHSIG = 1


def die_with_test(then: Callable[[], None] | None = None) -> Callable[[], None]:
    """A ``preexec_fn`` for ``subprocess.Popen``: the child gets SIGTERM when its parent dies (Linux; elsewhere
    a no-op), then runs ``then`` (another ``preexec_fn``, for example one that drops privileges)."""

    def preexec() -> None:
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):  # pragma: no cover - not Linux
            pass
        if then is not None:
            then()

    return preexec
