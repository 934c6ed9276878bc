"""Plain pages: the home page with the form, and the liveness and readiness probes."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from checker import health
from checker.content import get_patterns
from checker.context_processors import ELDER_COOKIE


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"coverage_patterns": get_patterns().values()})


@require_GET
def elder_mode(request: HttpRequest) -> HttpResponse:
    """The 长辈模式 switch: larger type, higher contrast, fewer words, for the rest of the visit.

    A session cookie holding only "1" or nothing; it works without JavaScript (a GET form in the
    header), and static/js/checker.js flips it in place when it can.
    """
    on = request.GET.get("on") == "1"
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    response = redirect(back)
    if on:
        response.set_cookie(ELDER_COOKIE, "1", samesite="Lax", secure=request.is_secure(), httponly=False)
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")
    return response


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    # Liveness only: touches neither the database nor the model, so a load balancer keeps
    # routing to a server whose database is briefly away (checks still answer then).
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when this server can answer checks (model loaded and current, database answering).

    A 503 names the parts that are not ready, in fixed sentences (checker/health.py)::

        {"status": "unavailable", "problems": {"model": "the model is missing, stale or unreadable: …"}}
    """
    problems = health.problems()
    if problems:
        response = JsonResponse({"status": "unavailable", "problems": problems}, status=503)
        response["Retry-After"] = "30"
        return response
    return JsonResponse({"status": "ok"})
