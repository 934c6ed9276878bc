"""The client's address for rate limits, also behind a load balancer."""

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The right-most X-Forwarded-For address: the one our own load balancer appended.

    Addresses to its left come from the client and can be forged, so they must never pick the
    rate-limit bucket. Without the header (a health check, a direct call) the peer address is used.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    return hops[-1] if hops else request.META.get("REMOTE_ADDR", "") or "unknown"
