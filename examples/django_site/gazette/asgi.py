"""ASGI entry point: ``uvicorn --app-dir examples/django_site gazette.asgi:application``.

The Django middleware does the work here too. The other recipe, for sites that prefer it, wraps the ASGI
application instead; Django's GZipMiddleware must then leave MIDDLEWARE (it would hand the wrapper compressed
pages, which get no banner: compress in front of it, at the proxy)::

    from consent import ConsentMiddleware
    from consent.django import get_config
    application = ConsentMiddleware(get_asgi_application(), config=get_config())
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gazette.settings")
application = get_asgi_application()
