"""URL map. Paths match view names; each group of views lives in its own module under checker/views/."""

from django.conf import settings
from django.contrib import admin
from django.urls import path

from checker.views import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path(settings.ADMIN_PATH, admin.site.urls),
]
