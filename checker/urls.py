"""URL map. Paths match view names; each group of views lives in its own module under checker/views/."""

from django.conf import settings
from django.contrib import admin
from django.urls import path

from checker.views import api, errors, pages, results, widget
from checker.views import content as content_views
from checker.views import trends as trends_views

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("readyz", pages.readyz, name="readyz"),
    path("elder", pages.elder_mode, name="elder_mode"),
    path("check", results.check, name="check"),
    path("r/<slug:token>", results.result, name="result"),
    path("r/<slug:token>/delete", results.delete_result, name="delete_result"),
    path("r/<slug:token>/feedback", results.feedback, name="feedback"),
    path("patterns/", content_views.patterns_index, name="patterns_index"),
    path("patterns/<slug:pattern_id>/", content_views.pattern_detail, name="pattern_detail"),
    path("laws/", content_views.laws, name="laws"),
    path("report/", content_views.channels, name="channels"),
    path("widget/", widget.widget, name="widget"),
    path("widget/check", widget.widget_check, name="widget_check"),
    path("widget/r/<slug:token>/delete", widget.widget_delete_result, name="widget_delete_result"),
    path("embed/", widget.embed, name="embed"),
    path("trends/", trends_views.trends, name="trends"),
    path("trends.csv", trends_views.trends_csv, name="trends_csv"),
    path("embed.js", widget.embed_js, name="embed_js"),
    path("api/v1/check", api.check, name="api_check"),
    path("api/v1/trends", trends_views.api_trends, name="api_trends"),
    path("api/v1/openapi.json", api.openapi, name="api_openapi"),
    path(settings.ADMIN_PATH, admin.site.urls),
]

handler404 = results.not_found
handler400 = errors.bad_request
handler500 = errors.server_error
