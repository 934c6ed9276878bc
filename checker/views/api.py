"""The JSON API for partners: POST /api/v1/check, and its OpenAPI document.

A check reads like the form's: rate limit → parse → the one pipeline (checker/pipeline.py) → respond. Every refusal is JSON with a 4xx status (checker/api.py says which).
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from checker.api import ApiError, check_response, ocr_details, parse_check_form, parse_check_request, too_large
from checker.openapi import openapi_document
from checker.pipeline import CheckError, run_check
from checker.ratelimits import seconds_until_allowed
from checker.trends import count_check
from checker.uploads import IMAGE_FIELD, image_bytes

# Chinese stays readable in the body rather than \uXXXX escapes.
JSON_OPTIONS = {"ensure_ascii": False}
# JSON answers get the strictest policy instead of the site's (django-csp keeps a header that is
# already set): nothing may load from them and nothing may frame them.
JSON_CSP = "default-src 'none'; frame-ancestors 'none'"


def _json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params=JSON_OPTIONS)
    # Answers carry the submitted (redacted) text: no shared cache may keep them.
    patch_cache_control(response, private=True, no_store=True)
    response["Content-Security-Policy"] = JSON_CSP
    return response


def _error(error: ApiError) -> JsonResponse:
    return _json(error.to_dict(), status=error.status)


# Exempt from CSRF: the API reads no cookies and creates no user state, so a forged cross-site
# request can do nothing a partner's own request could not; partners call it without a CSRF cookie.
@csrf_exempt
def check(request: HttpRequest) -> JsonResponse:
    if request.method != "POST":
        response = _error(ApiError(405, "method_not_allowed", "只接受 POST 请求。"))
        response["Allow"] = "POST"
        return response
    wait = seconds_until_allowed(request, group="api")
    if wait is not None:
        response = _error(ApiError(429, "rate_limited", f"请求太频繁了，请 {wait} 秒后再试。"))
        response["Retry-After"] = str(wait)
        return response
    try:
        if request.content_type == "multipart/form-data":
            # A screenshot, held in memory only (settings.FILE_UPLOAD_HANDLERS); request.body is not read.
            checked = parse_check_form(request.POST, image_bytes(request.FILES.get(IMAGE_FIELD)))
        else:
            checked = parse_check_request(request.body)
    except RequestDataTooBig:
        return _error(too_large())
    except ApiError as error:
        return _error(error)

    try:
        outcome = run_check(checked.text, save=checked.save, image=checked.image)
    except CheckError as error:
        response = _error(ApiError(error.status, error.code, error.message))
        if error.retry_after:
            response["Retry-After"] = str(error.retry_after)
        return response
    count_check(outcome, channel="api")
    # With the database down the verdict still comes back, only without a url. The delete key is
    # returned once, as the form shows it once, so a partner can offer its user the deletion.
    share_url = request.build_absolute_uri(outcome.result.get_absolute_url()) if outcome.saved else None
    body = check_response(
        outcome.redaction,
        outcome.assessment,
        absolute=request.build_absolute_uri,
        share_url=share_url,
        delete_key=outcome.delete_key,
    )
    if outcome.ocr is not None:
        body["ocr"] = ocr_details(outcome.ocr)
    return _json(body)


@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_document(request.build_absolute_uri("/").rstrip("/")), json_dumps_params=JSON_OPTIONS)
