"""Turns a missing or stale model into a clear 503 instead of a crash on a request."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from checker.analysis import ModelError

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
        if request.path.startswith("/api/"):
            response = JsonResponse({"error": "model_unavailable", "message": MESSAGE}, status=503)
        else:
            response = render(request, "503.html", {"message": MESSAGE}, status=503)
        response["Retry-After"] = "60"
        return response
