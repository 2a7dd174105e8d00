"""The example's URLs. /consent, /consent/settings, /privacy and the banner's assets are answered by the
middleware before these are looked at."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>", views.article, name="article"),
    path("api/consent-summary", views.summary, name="summary"),
]
