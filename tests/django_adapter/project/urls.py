from django.urls import include, path

from . import views

urlpatterns = [
    path("stream", views.stream),
    path("release", views.release),
    path("file", views.file),
    path("page", views.page),
    path("cookies", views.cookies),
    path("state", views.state),
    path("", include("gazette.urls")),
]
