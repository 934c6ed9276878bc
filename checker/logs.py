"""Logging filters: a share token is as good as the result it opens, so it never reaches a log.

Django logs every 4xx and 5xx with its path ("Not Found: /r/<token>"); the filter rewrites such
records to name the route instead::

    Not Found: /r/k3Jd…9Q/feedback  →  Not Found: /r/<token>/feedback
"""

from __future__ import annotations

import logging
import re

# Share and delete paths of the site and the widget: /r/<token>, /widget/r/<token>/delete.
_TOKEN_PATH = re.compile(r"(/r/)[A-Za-z0-9_-]+")


def without_tokens(text: str) -> str:
    return _TOKEN_PATH.sub(r"\1<token>", text)


class NoShareTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = without_tokens(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
