"""Cache-Control for the answers marked shareable (catalogue.caching): public for anonymous
visitors, private for anyone else.

It sits outside the session, CSRF, authentication and messages middleware, so it sees the
answer as they leave it: a session read only to learn that the visitor is anonymous adds
`Vary: Cookie`, which would make a proxy keep one copy per visitor (or none); a page that is
the same for every anonymous visitor drops it. The proxy in front must pass every request that
carries a session or messages cookie to the site uncached (see docs/deploy.md), since the
logged-in answer differs (Wagtail's user bar) and is marked private.
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils.cache import cc_delim_re, patch_cache_control

from catalogue.caching import lifetime

SAFE_METHODS = ("GET", "HEAD")
# A product withdrawn answers 410 with its record: the same for everyone, purged like the page.
SHAREABLE_STATUSES = (200, 410)


def per_visitor(request, response):
    """True when this answer belongs to this visitor only, whatever the view said."""
    if request.method not in SAFE_METHODS or response.status_code not in SHAREABLE_STATUSES:
        return True
    # A Set-Cookie (session, messages shown and cleared, CSRF) or a CSRF token in the page.
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True
    # A visitor with a session or pending messages may see something of their own (messages,
    # a password-protected page they unlocked, the user bar).
    if settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES:
        return True
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


class SharedCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        seconds = getattr(response, "shared_cache_seconds", None)
        if seconds is None:
            return response
        if per_visitor(request, response):
            patch_cache_control(response, private=True, no_cache=True)
            return response
        browser, proxy = lifetime(seconds)
        response.headers["Cache-Control"] = f"public, max-age={browser}, s-maxage={proxy}"
        if response.has_header("Vary"):
            kept = [v for v in cc_delim_re.split(response.headers["Vary"]) if v and v.lower() != "cookie"]
            if kept:
                response.headers["Vary"] = ", ".join(kept)
            else:
                del response.headers["Vary"]
        return response
