"""Plain pages: the home page with the form, and the liveness probe."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    # Liveness only: touches neither the database nor the model, so a load balancer keeps
    # routing to a server whose database is briefly away (checks still answer then).
    return JsonResponse({"status": "ok"})
