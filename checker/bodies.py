"""WSGI-level help for request bodies sent without a Content-Length.

A client may send ``Transfer-Encoding: chunked``. gunicorn decodes the chunks into ``wsgi.input``
but sets no ``CONTENT_LENGTH``, and Django then reads the body as empty: a JSON check became
``invalid_json``. :class:`ChunkedBodies` reads such a body first (never more than the upload limit
and one byte) and hands Django its length, so Django's own size limit applies as to any body::

    application = ChunkedBodies(get_wsgi_application())
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from checker.uploads import body_limit

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ChunkedBodies:
    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not environ.get("CONTENT_LENGTH"):
            # One byte over the limit is enough for Django to refuse it as too large. A check route's
            # multipart body may carry a screenshot, and has the larger limit (checker/uploads.py).
            limit = body_limit(environ.get("PATH_INFO", ""), environ.get("CONTENT_TYPE", ""))
            body = environ["wsgi.input"].read(limit + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)
