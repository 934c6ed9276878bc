"""The embeddable widget's options, and which pages may frame it.

embed.js passes its options to the iframe as query parameters (``?origin=…&mode=…&accent=…&org=…``);
the widget's form carries them on as hidden fields. Everything here treats them as untrusted:
an option that does not validate falls back to its default, so a bad snippet still gives a working
widget, just without that option.

The embedding page's origin matters most: the widget posts its height to it with postMessage, so
it is echoed only when it matches a source in ``WIDGET_FRAME_ANCESTORS`` (the same list the
CSP ``frame-ancestors`` header is built from)::

    >>> origin_allowed("https://police.example.cn", ["https:"])
    True
    >>> origin_allowed("http://evil.example", ["https:", "http://localhost:*"])
    False
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

MODES = ("compact", "full")
ORG_MAX_CHARS = 40
DEFAULT_PORTS = {"http": 80, "https": 443}

_ACCENT = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
# A CSP host-source: optional scheme, a host that may start with "*.", an optional port or "*".
_HOST_SOURCE = re.compile(
    r"(?:(?P<scheme>[a-z][a-z0-9+.\-]*)://)?(?P<host>\*|(?:\*\.)?[a-z0-9.\-]+)(?::(?P<port>\d+|\*))?/?"
)


@dataclass(frozen=True)
class WidgetOptions:
    mode: str = "compact"
    accent: str = ""
    org: str = ""
    # The embedding page's origin, only when allowed to frame the widget; "" otherwise.
    origin: str = ""

    @property
    def accent_ink(self) -> str:
        """Black or white, whichever reads better on the accent colour (WCAG relative luminance)."""
        if not self.accent:
            return ""
        return "#000000" if _luminance(self.accent) > 0.179 else "#ffffff"

    def as_params(self) -> dict[str, str]:
        """The options as query parameters / hidden fields, leaving out the defaults."""
        params = {"origin": self.origin, "mode": "" if self.mode == "compact" else self.mode}
        params.update(accent=self.accent, org=self.org)
        return {key: value for key, value in params.items() if value}


def _luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def clean_org(value: str) -> str:
    """The organisation's name as shown in "由 XX 提供": one line, no control characters, at most 40 characters."""
    printable = "".join(" " if unicodedata.category(ch).startswith(("C", "Z")) else ch for ch in value)
    return " ".join(printable.split())[:ORG_MAX_CHARS]


def parse_origin(value: str) -> str | None:
    """``scheme://host[:port]`` in lower case, or None when ``value`` is not exactly an http(s) origin."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.username or parts.password:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal: urlsplit drops the brackets
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != DEFAULT_PORTS[parts.scheme] else "")


def _source_matches(origin: str, source: str, own_origin: str) -> bool:
    source = source.strip().lower()
    if source == "'self'":
        return origin == own_origin
    if source.endswith(":") and "/" not in source:  # scheme-source, e.g. "https:"
        return urlsplit(origin).scheme == source[:-1]
    match = _HOST_SOURCE.fullmatch(source)
    if match is None:  # 'none', nonces and anything else match no origin
        return False
    parts = urlsplit(origin)
    scheme, host = parts.scheme, parts.hostname or ""
    port = parts.port or DEFAULT_PORTS[scheme]
    # No scheme in the source: CSP allows the page's own scheme, and http → https upgrades.
    if match["scheme"] and match["scheme"] != scheme and not (match["scheme"] == "http" and scheme == "https"):
        return False
    pattern = match["host"]
    if pattern.startswith("*."):
        if not host.endswith(pattern[1:]):
            return False
    elif pattern != "*" and pattern != host:
        return False
    wanted = match["port"]
    if wanted == "*":
        return True
    if wanted is None:
        return port == DEFAULT_PORTS[scheme]
    return port == int(wanted)


def origin_allowed(origin: str, sources: Sequence[str], own_origin: str = "") -> bool:
    """Whether a CSP ``frame-ancestors`` list with ``sources`` lets ``origin`` frame the widget."""
    parsed = parse_origin(origin)
    return parsed is not None and any(_source_matches(parsed, source, own_origin) for source in sources)


def widget_options(data: Mapping[str, str], *, sources: Sequence[str], own_origin: str) -> WidgetOptions:
    """Read options from a query string or form; an option that does not validate is left at its default."""
    mode = data.get("mode", "")
    accent = data.get("accent", "").strip()
    origin = parse_origin(data.get("origin", "")) or ""
    return WidgetOptions(
        mode=mode if mode in MODES else "compact",
        accent=accent.lower() if _ACCENT.fullmatch(accent) else "",
        org=clean_org(data.get("org", "")),
        origin=origin if origin and origin_allowed(origin, sources, own_origin) else "",
    )
