"""The check form's target, the shareable result page, and its delete and feedback actions.

A check reads: the form → the one pipeline (checker/pipeline.py) → render. The same partial,
templates/partials/result.html, is the htmx response and the heart of the full page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails
from django_ratelimit.decorators import ratelimit

from checker.forms import CheckForm, FeedbackForm
from checker.models import Result
from checker.presentation import family_line
from checker.privacy import redact
from checker.results import keep_feedback, key_matches, live_result, present, qr_svg
from checker.trends import count_check

# Carries the creator's delete key across the no-JavaScript redirect, readable once, then dropped.
# Signed and scoped to the result's path; the key is never kept on the server.
DELETE_COOKIE = "delete_key"
DELETE_COOKIE_MAX_AGE = 600


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _checks_rate(group: str, request: HttpRequest) -> str:
    # Read per request, so RATELIMIT_CHECKS can be changed without touching the decorator.
    return settings.RATELIMIT_CHECKS


def _no_store(response: HttpResponse) -> HttpResponse:
    # Pages carrying a delete key, or a freshly submitted text, must not sit in a shared cache.
    patch_cache_control(response, private=True, no_store=True)
    return response


def _result_context(request: HttpRequest, result: Result, delete_key: str | None = None) -> dict:
    share_url = request.build_absolute_uri(result.get_absolute_url())
    shown = present(result)
    return {
        **shown,
        "share_url": share_url,
        "family_line": family_line(shown["level_info"].word, share_url),
        "qr_svg": qr_svg(share_url),
        "delete_key": delete_key,
        "feedback_form": FeedbackForm(),
    }


def _form_error(request: HtmxHttpRequest, form: CheckForm) -> HttpResponse:
    # 400 for the text; 413/415/422 for a picture we cannot read; 503 with Retry-After when OCR is busy.
    if request.htmx:
        response = render(request, "partials/check_error.html", {"form": form}, status=form.status)
    else:
        response = render(request, "home.html", {"form": form}, status=form.status)
    if form.failure is not None and form.failure.retry_after:
        response["Retry-After"] = str(form.failure.retry_after)
    return _no_store(response)


def too_many_requests(request: HtmxHttpRequest) -> HttpResponse:
    template = "partials/too_many.html" if request.htmx else "429.html"
    return _no_store(render(request, template, status=429))


@require_POST
@vary_on_headers("HX-Request")
@ratelimit(key="ip", rate=_checks_rate, method="POST", block=False)
def check(request: HtmxHttpRequest) -> HttpResponse:
    if getattr(request, "limited", False):
        return too_many_requests(request)
    form = CheckForm(request.POST, request.FILES)
    outcome = form.is_valid() and form.run()
    if not outcome:
        return _form_error(request, form)
    count_check(outcome, channel="site")
    result, delete_key = outcome.result, outcome.delete_key
    if delete_key is None:
        return _unsaved(request, result, ocr=outcome.ocr)

    if request.htmx or outcome.ocr is not None:
        # A screenshot's reading (what was recognised, its QR codes) is shown once and never stored,
        # so it cannot ride the redirect: without JavaScript the full page is the answer to the post.
        context = {
            **_result_context(request, result, delete_key),
            "show_share_link": True,
            "ocr": outcome.ocr,
            # htmx takes a <title> in the answer as the tab's title, so the tab carries the verdict.
            "htmx_title": bool(request.htmx),
        }
        response = render(request, "partials/result.html" if request.htmx else "result.html", context)
        # The address bar then holds the share link, as after the no-JavaScript redirect.
        response["HX-Push-Url"] = result.get_absolute_url()
        return _no_store(response)

    response = redirect(result)
    response.set_signed_cookie(
        DELETE_COOKIE,
        delete_key,
        salt=result.token,
        max_age=DELETE_COOKIE_MAX_AGE,
        path=result.get_absolute_url(),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return _no_store(response)


def _unsaved(request: HtmxHttpRequest, result: Result, ocr: object = None) -> HttpResponse:
    # The database is away: show the verdict anyway, say that no share link could be made.
    context = {**present(result), "not_saved": True, "ocr": ocr, "htmx_title": bool(request.htmx)}
    template = "partials/result.html" if request.htmx else "result.html"
    return _no_store(render(request, template, context))


def _live_or_404(token: str) -> Result:
    result = live_result(token)
    if result is None:
        raise Http404("unknown or expired result")
    return result


def _result_page(request: HttpRequest, result: Result, *, status: int = 200, **extra: object) -> HttpResponse:
    context = {**_result_context(request, result), **extra}
    response = render(request, "result.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def result(request: HttpRequest, token: str) -> HttpResponse:
    found = _live_or_404(token)
    delete_key = request.get_signed_cookie(DELETE_COOKIE, default=None, salt=found.token, max_age=DELETE_COOKIE_MAX_AGE)
    # Without the delete key this is someone the link was sent to: the page speaks to the reader.
    response = _result_page(
        request,
        found,
        delete_key=delete_key,
        for_reader=not delete_key,
        feedback_sent=request.GET.get("feedback") == "sent",
    )
    if delete_key:
        # One time only: a reload, or anyone the link is shared with, no longer sees the delete button.
        response.delete_cookie(DELETE_COOKIE, path=found.get_absolute_url())
        return _no_store(response)
    patch_cache_control(response, private=True)
    return response


@require_POST
def delete_result(request: HttpRequest, token: str) -> HttpResponse:
    found = _live_or_404(token)
    key = request.POST.get("key", "")
    if not key_matches(found, key):
        return _no_store(
            _result_page(request, found, status=403, delete_error="删除链接不对或已经用过，这条结果没有删除。")
        )
    if request.POST.get("confirm") != "yes":
        # Deleting cannot be undone: a second, explicit step, which works without JavaScript.
        return _no_store(render(request, "delete_confirm.html", {"result": found, "delete_key": key}))
    found.delete()  # the key was checked above
    messages.success(request, "这条体检结果已经删除，分享出去的链接也打不开了。")
    return redirect("home")


@require_POST
@vary_on_headers("HX-Request")
@ratelimit(key="ip", rate=_checks_rate, method="POST", block=False, group="feedback")
def feedback(request: HtmxHttpRequest, token: str) -> HttpResponse:
    if getattr(request, "limited", False):
        return too_many_requests(request)
    found = _live_or_404(token)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return render(request, "partials/feedback.html", {"result": found, "feedback_form": form}, status=400)
        return _no_store(_result_page(request, found, status=400, feedback_form=form))
    # Comments get the same redaction as the text: people write their numbers here too.
    keep_feedback(found, redact(form.cleaned_data["comment"]).text)
    if request.htmx:
        return render(request, "partials/feedback.html", {"result": found, "feedback_sent": True})
    # The thanks is shown in place of the form, where the anchor lands, not only at the top of the page.
    return redirect(found.get_absolute_url() + "?feedback=sent#feedback")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
