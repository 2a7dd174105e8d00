"""Settings of the Django example: asgi-consent configured with ``CONSENT``, its middleware after GZip, the
context processor and template tags, the policy and settings pages in the site's own layout.

Run it with ``python examples/django_site/manage.py runserver`` (after ``pip install -e ".[django]"``).
"""

import os
from pathlib import Path

from consent import Category
from consent.django import template_layout

BASE_DIR = Path(__file__).resolve().parent.parent
# A development key, as `django-admin startproject` writes one; a real site reads it from its environment.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-harbour-gazette-example-key-change-me-0123")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.staticfiles",
    "consent.django",  # {% load consent %} and the system checks
    "gazette",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.gzip.GZipMiddleware",  # compression outside …
    "consent.django.ConsentMiddleware",  # … consent inside: it must see plain HTML
    "django.middleware.locale.LocaleMiddleware",  # request.LANGUAGE_CODE: the banner follows it
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

CONSENT = {
    # The consent cookie's key; here the site's SECRET_KEY (the cookie is signed with a salt of its own).
    "secret_key": os.environ.get("CONSENT_SECRET", SECRET_KEY),
    "policy_version": "2026-11",
    "categories": [Category("analytics"), Category("marketing")],
    "site_name": "The Harbour Gazette",
    "layout": template_layout("gazette/consent_page.html"),  # the policy and settings pages inside base.html
    "reopen_link": False,  # the footer's {% consent_settings_url %} link reopens the choice
    "locales": ["en", "de", "fr"],
}

ROOT_URLCONF = "gazette.urls"
WSGI_APPLICATION = "gazette.wsgi.application"
ASGI_APPLICATION = "gazette.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "consent.django.context_processor",  # consent_state, consent_settings_url, consent_policy_url
            ],
        },
    },
]

DATABASES = {}  # the example keeps nothing
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("fr", "Français")]
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
