"""What people are checking: /trends/, /trends.csv and GET /api/v1/trends (checker/trends.py).

Each reads: this process's waiting counts written → the figures, already suppressed → render.
The figures hold nothing personal, so shared caches may keep them for a few minutes.
"""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from checker.trends import Figures, as_json, chart, csv_rows, figures, flush
from checker.views.api import JSON_CSP, JSON_OPTIONS

CACHE_SECONDS = 300


def _public(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def _figures() -> Figures:
    # So a check made a moment ago on this server shows up; the other servers write within seconds.
    flush()
    return figures()


@require_GET
def trends(request: HttpRequest) -> HttpResponse:
    found = _figures()
    return _public(render(request, "trends.html", {"figures": found, "chart": chart(found.days)}))


@require_GET
def trends_csv(request: HttpRequest) -> HttpResponse:
    found = _figures()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="trends-{found.today.isoformat()}.csv"'
    # The byte-order mark tells Excel the file is UTF-8, so the Chinese reads right.
    response.write("\ufeff")
    csv.writer(response).writerows(csv_rows(found))
    return _public(response)


# No CSRF check: a GET that changes nothing; exempt so a POST gets a plain 405, not the CSRF 403 page.
@csrf_exempt
@require_GET
def api_trends(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(as_json(_figures(), request.build_absolute_uri), json_dumps_params=JSON_OPTIONS)
    response["Content-Security-Policy"] = JSON_CSP
    return _public(response)
