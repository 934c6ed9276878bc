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
                    "and something visible (text of only zero-width or control characters is refused as empty)."
                ),
            },
            "save": {"type": "boolean", "default": False, "description": "Save the result and return a share URL."},
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
                        "the image is never stored or logged."
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
                f"Each client (IP address) may make {settings.RATELIMIT_CHECKS} checks."
            ),
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/v1/check": {
                "post": {
                    "operationId": "check",
                    "summary": "Assess a text",
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
            }
        },
        "components": {"schemas": _schemas()},
    }
