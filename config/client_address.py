"""The client's address, the one rate limits, login lockouts and logs count by.

Behind proxies every request arrives from the nearest proxy, so REMOTE_ADDR names it for
every buyer. Each trusted proxy appends the address it received the request from to
X-Forwarded-For; with settings.TRUSTED_PROXY_COUNT = N hops, the client is the Nth address
from the right. Anything further left was sent by the client itself and is ignored, so a
forged header cannot rotate addresses.
"""

from ipware import get_client_ip

from django.conf import settings

HEADERS = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")


def client_address(request):
    """The client's address, worked out once per request (django-ratelimit and django-axes call this)."""
    if not hasattr(request, "_client_address"):
        request._client_address = _from_hops(request, settings.TRUSTED_PROXY_COUNT)
    return request._client_address


def _from_hops(request, hops):
    # A Unix socket gives no peer address: one shared bucket rather than a 500 in the rate limit.
    peer = request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 (an address counted, not one bound)
    if hops <= 0:
        return peer
    # django-ipware counts the proxies listed in the header; the nearest one is REMOTE_ADDR, not listed.
    address, _routable = get_client_ip(
        request, proxy_order="left-most", proxy_count=hops - 1, request_header_order=HEADERS, strict=False
    )
    return address or peer


class ClientAddressMiddleware:
    """Puts the client's address in REMOTE_ADDR, the proxy's in PROXY_ADDR, for whatever logs or reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = client_address(request)
        if address != request.META.get("REMOTE_ADDR"):
            request.META["PROXY_ADDR"] = request.META.get("REMOTE_ADDR", "")
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
