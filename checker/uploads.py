"""Which requests may carry a screenshot, how large their bodies may be, and reading it, in memory only.

Only the three check routes (the form, the widget and the API) take a multipart body with an image,
up to ``CHECKER_UPLOAD_MAX_BYTES``; every other body keeps ``DATA_UPLOAD_MAX_MEMORY_SIZE``. The
limit is applied before Django parses anything (checker/middleware.py, checker/bodies.py), and
Django's only upload handler is the in-memory one (settings), so an image never touches the disk::

    >>> body_limit("/api/v1/check", "multipart/form-data")
    8650752
    >>> body_limit("/api/v1/check", "application/json")
    262144
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse

IMAGE_FIELD = "image"


@cache
def image_routes() -> frozenset[str]:
    return frozenset(reverse(name) for name in ("check", "widget_check", "api_check"))


def takes_image(path: str, content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() == "multipart/form-data" and path in image_routes()


def body_limit(path: str, content_type: str) -> int:
    if takes_image(path, content_type):
        return settings.CHECKER_UPLOAD_MAX_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def image_bytes(upload: UploadedFile | None) -> bytes | None:
    """The uploaded file's bytes, or None when none (or an empty file field) was sent."""
    if upload is None:
        return None
    data = upload.read()
    upload.close()
    return data or None
