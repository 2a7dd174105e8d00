from __future__ import annotations

import pytest

from consent._html import backend as b

from . import helpers

BACKENDS = b.available()


@pytest.fixture(autouse=True, params=[x.name for x in BACKENDS])
def scanner_backend(request):
    """Every engine test runs against each scanner back end this install has (C and pure Python)."""
    if request.param == "c" and len(BACKENDS) < 2:  # pragma: no cover - available() lists only what exists
        pytest.skip("the compiled scanner is not built")
    chosen = next(x for x in BACKENDS if x.name == request.param)
    helpers.current[0] = chosen
    yield chosen
    helpers.current[0] = b.DEFAULT
