from django.urls import include, path

from . import views

urlpatterns = [
    path("stream", views.stream),
    path("release", views.release),
    path("file", views.file),
    path("", include("gazette.urls")),
]
