"""The Harbour Gazette: a small Django news site with asgi-consent (examples/django_site)."""
