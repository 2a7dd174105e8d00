"""The example site's settings, plus the views only the tests need (a streamed page held open until the test
lets it go on). Servers in the tests run with this module; pytest's process is configured with it too."""

import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "django_site"
if str(EXAMPLE) not in sys.path:
    sys.path.insert(0, str(EXAMPLE))

from gazette.settings import *  # noqa: E402, F403

ROOT_URLCONF = "tests.django_adapter.project.urls"
CONSENT = {**CONSENT, "secret_key": "django-tests-" + "d" * 40}  # noqa: F405
