"""The authored content as pages: the patterns, the laws they cite and where to report."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from checker.content import APPLIES_TO_LABELS, get_channels, get_laws, get_pattern, get_patterns, patterns_citing


@require_GET
def patterns_index(request: HttpRequest) -> HttpResponse:
    return render(request, "patterns/index.html", {"patterns": get_patterns().values()})


@require_GET
def pattern_detail(request: HttpRequest, pattern_id: str) -> HttpResponse:
    try:
        pattern = get_pattern(pattern_id)
    except KeyError:
        raise Http404("没有这个骗局套路") from None
    groups = [(APPLIES_TO_LABELS[key], pattern.refs_for(key)) for key in ("fraudster", "you", "rights")]
    return render(
        request,
        "patterns/detail.html",
        {"pattern": pattern, "ref_groups": [(label, refs) for label, refs in groups if refs]},
    )


@require_GET
def laws(request: HttpRequest) -> HttpResponse:
    entries = [
        {
            "law": law,
            "articles": [{"article": a, "patterns": patterns_citing(law.key, a.key)} for a in law.articles],
        }
        for law in get_laws().values()
    ]
    return render(request, "laws.html", {"entries": entries})


@require_GET
def channels(request: HttpRequest) -> HttpResponse:
    all_channels = get_channels()
    sections = [
        {
            "id": "report-title",
            "title": "去哪里报警、咨询、举报",
            "intro": "",
            "channels": [c for c in all_channels if c.kind == "report"],
        },
        {
            "id": "check-title",
            "title": "查一查名下的手机卡和银行卡",
            "intro": "骗子拿到你的身份信息后，可能用你的名字办卡。下面两个官方服务可以自己查。",
            "channels": [c for c in all_channels if c.kind == "self-check"],
        },
    ]
    return render(request, "channels.html", {"sections": sections})
