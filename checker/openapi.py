"""The OpenAPI 3.1 document of the JSON API, built from the same constants the code uses.

Built in Python rather than kept as a static file, so the pattern ids, risk levels and the length
limit in the document are always the ones the server enforces. tests/test_openapi.py validates
real responses against it and lets schemathesis probe the endpoint with it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from checker.analysis.types import PATTERN_IDS, RISK_LEVELS
from checker.content import APPLIES_TO_LABELS
from checker.privacy import KINDS
from checker.ratelimits import describe_rate
from checker.trends import DAYS_SHOWN, SUPPRESS_BELOW, SUPPRESSED, TZ

_SPAN = {
    "type": "array",
    "description": "Half-open character offsets [start, end) into the returned `text`.",
    "items": {"type": "integer", "minimum": 0},
    "minItems": 2,
    "maxItems": 2,
}
_STRINGS = {"type": "array", "items": {"type": "string"}}


def _object(properties: dict[str, Any], *, required: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        **extra,
    }


def _schemas() -> dict[str, Any]:
    legal_ref = _object(
        {
            "law": {"type": "string", "description": "The law's name, with its edition."},
            "law_key": {"type": "string"},
            "article": {"type": "string", "description": "e.g. 第二十八条"},
            "text": {"type": "string", "description": "The article's text."},
            "effective": {"type": "string", "format": "date"},
            "url": {"type": "string"},
            "applies_to": {"enum": list(APPLIES_TO_LABELS)},
            "why": {"type": "string"},
        }
    )
    pattern = _object(
        {
            "id": {"enum": list(PATTERN_IDS), "description": "A pattern id of the taxonomy."},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "evidence": {"type": "array", "items": {"$ref": "#/components/schemas/Span"}},
            "via": {"enum": ["rules", "model", "rules+model"]},
            "title": {"type": "string"},
            "warning": {"type": "string"},
            "advice": _object({"before": _STRINGS, "after": _STRINGS}),
            "legal_refs": {"type": "array", "items": {"$ref": "#/components/schemas/LegalRef"}},
            "url": {"type": ["string", "null"], "description": "The pattern's page on this site."},
        }
    )
    redaction = _object(
        {
            "kind": {"enum": list(KINDS)},
            "label": {"type": "string"},
            "count": {"type": "integer", "minimum": 1},
            "why": {"type": "string"},
        }
    )
    assessment = _object(
        {
            "risk_level": {"enum": list(RISK_LEVELS)},
            "score": {"type": "number", "minimum": 0, "maximum": 1},
            "patterns": {"type": "array", "items": {"$ref": "#/components/schemas/Pattern"}},
            "lawful_evidence": {"type": "array", "items": {"$ref": "#/components/schemas/Span"}},
            "note": {"type": "string"},
            "text": {"type": "string", "description": "The text that was assessed: the input with numbers redacted."},
            "redactions": {"type": "array", "items": {"$ref": "#/components/schemas/Redaction"}},
            "saved": {
                "type": "boolean",
                "description": "Whether the result was stored: asked for, and the database was up.",
            },
            "url": {"type": "string", "format": "uri", "description": "The shareable result page; only when saved."},
            "ocr": {"$ref": "#/components/schemas/OcrReading"},
            "delete_key": {
                "type": "string",
                "description": (
                    "Only when saved, and only in this answer (the server keeps just its hash): lets the "
                    "person delete the result before it expires, by posting `key=<delete_key>` as a form to "
                    "`/widget/r/{token}/delete`, where `{token}` is the last part of `url`."
                ),
            },
        },
        required=["risk_level", "score", "patterns", "lawful_evidence", "note", "text", "redactions", "saved"],
    )
    error = _object(
        {
            "error": {
                "enum": [
                    "invalid_json",
                    "missing_text",
                    "wrong_type",
                    "empty",
                    "invalid_characters",
                    "too_long",
                    "too_large",
                    "rate_limited",
                    "method_not_allowed",
                    "model_unavailable",
                    "database_unavailable",
                    "bad_request",
                    "missing_image",
                    "empty_image",
                    "image_too_large",
                    "unsupported_image",
                    "unreadable_image",
                    "no_text_in_image",
                    "ocr_failed",
                    "ocr_busy",
                    "ocr_unavailable",
                ]
            },
            "message": {"type": "string", "description": "For a person, in Chinese."},
        }
    )
    request = _object(
        {
            "text": {
                "type": "string",
                "maxLength": settings.CHECKER_MAX_CHARS,
                # Not blank, and no NUL. Text of only invisible characters (zero-width, control) also
                # gets 400 "empty": the engine strips those, and a regex cannot list them all.
                "pattern": r"^[^\u0000]*[^\s\u0000][^\u0000]*$",
                "description": (
                    "What the person was asked or offered, as they wrote or pasted it. Not blank, no NUL, "
                    "and something visible (text of only zero-width or control characters is refused as empty). "
                    "对方让你做的事，原样写下或粘贴；不能为空。"
                ),
            },
            "save": {
                "type": "boolean",
                "default": False,
                "description": "Save the result and return a share URL. 保存结果并返回分享链接。",
            },
        },
        required=["text"],
    )
    return {
        "Span": _SPAN,
        "LegalRef": legal_ref,
        "Pattern": pattern,
        "Redaction": redaction,
        "Assessment": assessment,
        "Error": error,
        "CheckRequest": request,
        "ImageCheckRequest": _object(
            {
                "image": {
                    "type": "string",
                    "contentMediaType": "image/png",
                    "description": (
                        f"A screenshot: PNG, JPEG or WebP, at most {settings.CHECKER_IMAGE_MAX_BYTES // (1024 * 1024)} MB "
                        f"and {settings.CHECKER_IMAGE_MAX_PIXELS // 1_000_000} megapixels. Its text is read by OCR "
                        "(status bar, time stamps, the contact's name and buttons left out) and QR codes are decoded; "
                        "the image is never stored or logged. 一张截图：只读出文字和二维码，图片本身不保存、不写进日志。"
                    ),
                },
                "text": {
                    "type": "string",
                    "maxLength": settings.CHECKER_MAX_CHARS,
                    "description": "Optional: what the person adds to the screenshot; assessed with its text.",
                },
                "save": {"enum": ["true", "false"], "default": "false", "description": "As in the JSON request."},
            },
            required=["image"],
        ),
        "OcrReading": _object(
            {
                "text": {
                    "type": "string",
                    "description": "The text read from the screenshot, without the screen around it, numbers redacted.",
                },
                "qr": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "What its QR codes say (redacted), as plain text: show it, never link it.",
                },
            },
            description=(
                "Only for a screenshot. The assessed `text` is the typed text, then this text, then the line "
                "“（图片里有二维码）” when a QR code was decoded (in a gift or download offer the code is a cue)."
            ),
        ),
    }


def _trends_schemas() -> dict[str, Any]:
    """GET /api/v1/trends (checker/trends.py): the figures of /trends/, small counts suppressed."""
    span = _object({"from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"}})
    count = {"$ref": "#/components/schemas/TrendCount"}
    return {
        "TrendCount": {
            "oneOf": [{"type": "integer", "minimum": SUPPRESS_BELOW}, {"const": SUPPRESSED}],
            "description": (
                f"A number of checks. Any count below {SUPPRESS_BELOW}, zero included, is the string "
                f"“{SUPPRESSED}” (the same on the page and in the CSV), so a small number never points at "
                f"a person. 少于 {SUPPRESS_BELOW} 次（包括 0 次）一律写作“{SUPPRESSED}”。"
            ),
        },
        "Trends": _object(
            {
                "timezone": {"const": str(TZ), "description": "Days are dates in this time zone."},
                "today": {"type": "string", "format": "date", "description": "The last day counted (still going on)."},
                "suppressed_below": {"const": SUPPRESS_BELOW},
                "total": {**count, "description": f"Checks in the last {DAYS_SHOWN} days."},
                "days": {
                    "type": "array",
                    "minItems": DAYS_SHOWN,
                    "maxItems": DAYS_SHOWN,
                    "description": f"The last {DAYS_SHOWN} days, oldest first, today last.",
                    "items": _object({"date": {"type": "string", "format": "date"}, "checks": count}),
                },
                "this_week": {**span, "description": "The last 7 days, today included."},
                "last_week": {**span, "description": "The 7 days before those."},
                "patterns": {
                    "type": "array",
                    "description": (
                        "Every pattern of the taxonomy, counted by a check's first pattern, most checked this "
                        "week first. Checks that matched no pattern are in `days` only."
                    ),
                    "items": _object(
                        {
                            "id": {"enum": list(PATTERN_IDS)},
                            "title": {"type": "string", "description": "The pattern's name, in Chinese."},
                            "url": {"type": ["string", "null"], "description": "The pattern's page on this site."},
                            "this_week": count,
                            "last_week": count,
                        }
                    ),
                },
            }
        ),
    }


def _error_response(description: str, **headers: Any) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if headers:
        response["headers"] = headers
    return response


def openapi_document(server_url: str) -> dict[str, Any]:
    """The whole document; ``server_url`` is this site's address, e.g. ``https://example.org``."""
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "防骗体检 API",
            "version": "1.0.0",
            "description": (
                "Check what a person was asked to do against reported scam patterns. Numbers (ID, bank card, "
                "mobile, e-mail, QQ, WeChat) are removed before anything is assessed; evidence offsets point into "
                "the returned `text`. Nothing is stored unless `save` is true; submitted text is never logged. "
                f"Each client (IP address) may make {settings.RATELIMIT_CHECKS} checks.\n\n"
                "对照已报道的骗局套路，检查一个人被要求做的事。身份证号、银行卡号、手机号、邮箱、QQ 和微信号在检查之前就被删掉；"
                "证据位置指向返回的 `text`。只有 `save` 为 true 时才保存结果；提交的文字从不写进日志。"
                f"每个客户端（IP 地址）的检查次数上限：{describe_rate(settings.RATELIMIT_CHECKS)}。"
            ),
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/v1/check": {
                "post": {
                    "operationId": "check",
                    "summary": "Assess a text · 检查一段话",
                    "description": (
                        "Send the text as JSON, or a screenshot as multipart/form-data. The answer: risk level, "
                        "matched patterns with evidence spans, advice, legal references and the reasons.\n\n"
                        "用 JSON 发送文字，或用 multipart/form-data 上传截图。返回风险等级、对上的套路和证据位置、"
                        "应对办法、法律依据以及判断的理由。"
                    ),
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/CheckRequest"}},
                            "multipart/form-data": {
                                "schema": {"$ref": "#/components/schemas/ImageCheckRequest"},
                                "encoding": {"image": {"contentType": "image/png, image/jpeg, image/webp"}},
                            },
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The assessment.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Assessment"}}},
                        },
                        "400": _error_response("Not JSON, not an object, no text, a wrong type, empty text."),
                        "405": _error_response("Only POST is allowed."),
                        "413": _error_response("The body, the text or the image is too large."),
                        "415": _error_response("The image is not PNG, JPEG or WebP (or not an image)."),
                        "422": _error_response("No text could be read from the image."),
                        "429": _error_response(
                            "Too many checks from this client.",
                            **{
                                "Retry-After": {
                                    "description": "Seconds to wait before trying again.",
                                    "required": True,
                                    "schema": {"type": "integer", "minimum": 1},
                                }
                            },
                        ),
                        "503": _error_response(
                            "The checker's model is missing or being rebuilt, or every OCR process is busy "
                            "(`ocr_busy`); try again after `Retry-After` seconds.",
                            **{"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
                        ),
                    },
                }
            },
            "/api/v1/trends": {
                "get": {
                    "operationId": "trends",
                    "summary": "What people are checking",
                    "description": (
                        f"The figures of /trends/ (also at /trends.csv): checks per day over the last {DAYS_SHOWN} "
                        "days, and each pattern's checks in the last 7 days against the 7 before. Only counts are "
                        "kept (day, risk level, first pattern, channel), never a text, a share link or an IP "
                        f"address; any count below {SUPPRESS_BELOW} is “{SUPPRESSED}”. Cached for up to 5 minutes. "
                        f"每天的体检次数和各套路最近两周的次数；只记次数，不记文字、链接或 IP，少于 {SUPPRESS_BELOW} 次写作“{SUPPRESSED}”。"
                    ),
                    "responses": {
                        "200": {
                            "description": "The figures.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Trends"}}},
                        },
                    },
                }
            },
        },
        "components": {"schemas": {**_schemas(), **_trends_schemas()}},
    }
