"""Turns a missing or stale model, or an unreachable database, into a clear 503 instead of a crash."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from checker.analysis import ModelError
from checker.uploads import body_limit

log = logging.getLogger(__name__)
MESSAGE = "检测服务暂时不可用，请稍后再试。急事请直接拨打 110，咨询请拨打 96110。"


class ModelUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ModelError):
            return None
        # The operator needs the reason (it names the command to run); the visitor does not.
        log.error("model unavailable: %s", exception)
        return unavailable(request, "model_unavailable", MESSAGE, retry_after=60)


DATABASE_MESSAGE = "保存的体检结果暂时打不开，请过几分钟再试。新的体检不受影响，可以照常使用。"


class DatabaseUnavailableMiddleware:
    """A database that is down or unreachable is a 503 with a kind page, not a 500.

    Checks already survive it (the verdict comes back marked "not saved"); this covers what needs
    the database itself: share pages, feedback and delete.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # The class only: a database error's message can quote the SQL parameters.
        log.warning("database unavailable (%s) on %s", exception.__class__.__name__, route_of(request))
        return unavailable(request, "database_unavailable", DATABASE_MESSAGE, retry_after=30)


def unavailable(request: HttpRequest, code: str, message: str, *, retry_after: int) -> HttpResponse:
    """A 503 with a kind message: JSON on the API, the site's page elsewhere."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": code, "message": message}, status=503)
    else:
        response = render(request, "503.html", {"message": message}, status=503)
    response["Retry-After"] = str(retry_after)
    return response


def route_of(request: HttpRequest) -> str:
    """The route's pattern, never the path: a share path carries its token (``r/<slug:token>``)."""
    match = getattr(request, "resolver_match", None)
    return match.route if match is not None else "?"


TOO_LARGE_MESSAGE = "提交的内容太大了。请只粘贴对方发来的文字，不要附带文件。"


IMAGE_TOO_LARGE_MESSAGE = "图片太大了：最多 8 MB。请截取有文字的那一屏再试。"


class BoundedBodyMiddleware:
    """Any body longer than DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 before anything reads it.

    Django bounds form fields and ``request.body`` by that setting but not the file parts of a
    multipart form. Only the check routes take a file, a screenshot, and their multipart bodies may
    be up to CHECKER_UPLOAD_MAX_BYTES (checker/uploads.py); uploads are kept in memory, never on disk.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request.path, request.META.get("CONTENT_TYPE", ""))
        if length <= limit:
            return self.get_response(request)
        image = limit != settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request.path.startswith("/api/"):
            from checker.api import too_large

            error = too_large(limit)
            return JsonResponse(error.to_dict(), status=413, json_dumps_params={"ensure_ascii": False})
        message = IMAGE_TOO_LARGE_MESSAGE if image else TOO_LARGE_MESSAGE
        return render(request, "413.html", {"message": message}, status=413)
