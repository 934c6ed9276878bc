"""The site's own error pages for 400, 500 and an expired form (CSRF).

Django's default handlers carry ``@requires_csrf_token``, which reads ``request.POST`` again on a
POST. When reading it was what failed (a form posted as ``charset=gbk``: Django raises
``BadRequest``), the handler fails the same way and the visitor gets the server's bare 500. These
handlers read nothing from the request body.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

BAD_REQUEST = "这次提交的内容无法读取（可能是浏览器或输入法用了非 UTF-8 编码）。请回到首页，直接粘贴文字后再试。"


def _page(request: HttpRequest, template: str, status: int, **context: object) -> HttpResponse:
    # loader.render_to_string with the request, but without the CSRF machinery reading the body.
    return HttpResponse(loader.render_to_string(template, context, request), status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "bad_request", "message": BAD_REQUEST}, status=400)
    return _page(request, "400.html", 400, message=BAD_REQUEST)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "server_error", "message": "服务出错了，请稍后再试。"}, status=500)
    try:
        return _page(request, "500.html", 500)
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        return HttpResponse("<h1>出错了，请稍后再试。</h1>", status=500)


EXPIRED = "页面过期了，请刷新后再试一次。"


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """An expired or cookieless form: a plain sentence, never Django's technical 403 (settings.CSRF_FAILURE_VIEW)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "form_expired", "message": EXPIRED}, status=403)
    # htmx swaps the answer into the result area (static/js/checker.js lets 403s through).
    template = "partials/expired.html" if request.headers.get("HX-Request") == "true" else "403.html"
    response = _page(request, template, 403, message=EXPIRED)
    response["Cache-Control"] = "no-store"
    return response
