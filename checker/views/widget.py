"""The embeddable widget (/widget/…), the page partners copy its snippet from (/embed/) and its script (/embed.js).

The widget is the only part of the site that may be framed: its views replace CSP
``frame-ancestors`` with ``WIDGET_FRAME_ANCESTORS`` and drop X-Frame-Options; every other response
keeps ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``. A check in the widget reads like the
form's: rate limit → the form → the one pipeline (checker/pipeline.py) → render, all inside the frame, with or
without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.html import format_html, format_html_join
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from checker.forms import CheckForm
from checker.ratelimits import describe_rate, seconds_until_allowed
from checker.results import delete_with_key, live_result, present
from checker.trends import count_check
from checker.widget import ORG_MAX_CHARS, WidgetOptions, widget_options

View = Callable[..., HttpResponse]


def frame_ancestors() -> list[str]:
    # 'self' too, so the live preview on /embed/ works whatever the partner list says.
    return list(dict.fromkeys([*settings.WIDGET_FRAME_ANCESTORS, "'self'"]))


def frameable(view: View) -> View:
    """Let the pages in WIDGET_FRAME_ANCESTORS frame this view; read per request so overrides apply."""

    @xframe_options_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return csp_replace({"frame-ancestors": frame_ancestors()})(view)(request, *args, **kwargs)

    return wrapped


def _own_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _options(request: HttpRequest, data: QueryDict) -> WidgetOptions:
    return widget_options(data, sources=frame_ancestors(), own_origin=_own_origin(request))


def _render(request: HttpRequest, options: WidgetOptions, status: int = 200, **context: Any) -> HttpResponse:
    context = {
        "options": options,
        "max_chars": settings.CHECKER_MAX_CHARS,
        "retention_days": settings.RESULT_RETENTION_DAYS,
        **context,
    }
    response = render(request, "widget/widget.html", context, status=status)
    # A result page holds the submitted text and a delete key: no shared cache may keep it.
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
@frameable
def widget(request: HttpRequest) -> HttpResponse:
    return _render(request, _options(request, request.GET), form=CheckForm())


# Exempt from CSRF, so the widget works where third-party cookies are blocked: a check reads no
# cookie and creates no user state (no session, no login), so a forged post can only run a check
# the attacker could run anyway. Rate limiting, not CSRF, protects it from abuse.
@csrf_exempt
@require_POST
@frameable
def widget_check(request: HttpRequest) -> HttpResponse:
    options = _options(request, request.POST)
    wait = seconds_until_allowed(request, group="widget")
    if wait is not None:
        response = _render(request, options, status=429, form=CheckForm(), too_many=True)
        response["Retry-After"] = str(wait)
        return response
    form = CheckForm(request.POST, request.FILES)
    outcome = form.is_valid() and form.run()
    if not outcome:
        response = _render(request, options, status=form.status, form=form)
        if form.failure is not None and form.failure.retry_after:
            response["Retry-After"] = str(form.failure.retry_after)
        return response
    count_check(outcome, channel="widget", origin=options.origin)
    # Unsaved (the database is down): the verdict still shows, without a link to a full result.
    result, delete_key = outcome.result, outcome.delete_key
    share_url = request.build_absolute_uri(result.get_absolute_url()) if delete_key else None
    # After a screenshot the form holds what was read, to correct and check again.
    next_form = CheckForm(initial={"text": result.redacted_text}) if outcome.ocr else CheckForm()
    return _render(
        request,
        options,
        form=next_form,
        **present(result),
        share_url=share_url,
        delete_key=delete_key,
        ocr=outcome.ocr,
    )


# Exempt from CSRF for the same reason as the check: the one-time delete key in the form is the
# proof of ownership, and a forger without it can delete nothing.
@csrf_exempt
@require_POST
@frameable
def widget_delete_result(request: HttpRequest, token: str) -> HttpResponse:
    options = _options(request, request.POST)
    found = live_result(token)
    if found is None:
        return _render(request, options, status=404, form=CheckForm(), deleted="gone")
    if not delete_with_key(found, request.POST.get("key", "")):
        return _render(request, options, status=403, form=CheckForm(), deleted="refused")
    return _render(request, options, form=CheckForm(), deleted="done")


def snippet(script_url: str, options: WidgetOptions) -> str:
    """The copy-paste embed code, its attribute values escaped for HTML."""
    attributes = [("data-mode", options.mode)]
    if options.accent:
        attributes.append(("data-accent", options.accent))
    if options.org:
        attributes.append(("data-org", options.org))
    data = format_html_join("", ' {}="{}"', attributes)
    return format_html('<div class="fangpian-widget"></div>\n<script src="{}"{} async></script>', script_url, data)


# Long enough that partner pages do not ask on every visit, short enough that a release reaches them soon.
EMBED_JS_MAX_AGE = 300


@require_GET
def embed_js(request: HttpRequest) -> HttpResponse:
    """The stable address partners paste: a redirect to this release's embed.js.

    The static file's own name carries a content hash and is cached for a year, so it changes with
    every release and the old name stops existing; ``/embed.js`` stays. embed.js finds the widget
    from its ``src`` attribute (this address), so the redirect does not change where it points.
    """
    response = HttpResponseRedirect(static("js/embed.js"))
    patch_cache_control(response, public=True, max_age=EMBED_JS_MAX_AGE)
    return response


@require_GET
def embed(request: HttpRequest) -> HttpResponse:
    options = _options(request, request.GET)
    home_url = request.build_absolute_uri(reverse("home"))
    context = {
        "options": options,
        "snippet": snippet(request.build_absolute_uri(reverse("embed_js")), options),
        # Where a page on plain http can send its visitors instead (see the HTTPS note on /embed/).
        "link_snippet": format_html('<a href="{}">打开防骗体检</a>', home_url),
        "home_url": home_url,
        "org_max_chars": ORG_MAX_CHARS,
        "retention_days": settings.RESULT_RETENTION_DAYS,
        "rate": describe_rate(settings.RATELIMIT_CHECKS),
    }
    return render(request, "embed.html", context)
