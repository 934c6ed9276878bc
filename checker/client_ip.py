"""The client's address for rate limits, also behind a load balancer.

Behind ``DJANGO_PROXY_HOPS`` trusted proxies (default 1, the load balancer), each appends the
address it received the request from to ``X-Forwarded-For``; everything further left was written by
the client and can be forged. So the address is read that many entries from the right::

    X-Forwarded-For: 6.6.6.6, 203.0.113.9          hops=1 → 203.0.113.9
    X-Forwarded-For: 6.6.6.6, 203.0.113.9, 10.0.0.5  hops=2 → 203.0.113.9

Ports are stripped (``1.2.3.4:5678``, ``[::1]:80``). Anything that is not an address (``unknown``,
``999.1.1.1``, garbage) becomes one shared :data:`UNKNOWN` client, so it can neither crash the rate
limit nor give each request a fresh allowance.
"""

from __future__ import annotations

import ipaddress
import re

from django.conf import settings
from django.http import HttpRequest

# One bucket for every client whose address cannot be read; a valid address, so the rate limit's
# own IP masking accepts it.
UNKNOWN = "0.0.0.0"  # noqa: S104 - a bucket name, nothing binds to it
_IPV4_WITH_PORT = re.compile(r"(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}")
_BRACKETED_IPV6 = re.compile(r"\[([0-9A-Fa-f:.]+)\](?::\d{1,5})?")


def parse_address(value: str) -> str:
    """A clean IP address from one X-Forwarded-For entry, or :data:`UNKNOWN`.

    >>> parse_address("1.2.3.4:5678"), parse_address("[::1]:80"), parse_address("unknown")
    ('1.2.3.4', '::1', '0.0.0.0')
    """
    value = value.strip()
    match = _IPV4_WITH_PORT.fullmatch(value) or _BRACKETED_IPV6.fullmatch(value)
    if match:
        value = match.group(1)
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return UNKNOWN


def client_ip(request: HttpRequest) -> str:
    """The address ``settings.PROXY_HOPS`` entries from the right of X-Forwarded-For.

    Without the header (a health check, a direct call) the peer address is used. With fewer entries
    than trusted hops the request did not come through all our proxies, and the peer (our own proxy)
    is used too: a shared bucket rather than an address the client chose.
    """
    hops = settings.PROXY_HOPS
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry for entry in forwarded.split(",") if entry.strip()]
    if len(entries) >= hops:
        return parse_address(entries[-hops])
    return parse_address(request.META.get("REMOTE_ADDR", "") or "")
