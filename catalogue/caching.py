"""Which answers a shared proxy cache may keep, and for how long.

A view or page marks its answer with `shared(response, seconds)` (the `shared_cache`
decorator for views, `SharedCachePage` for Wagtail pages); whether the mark holds is decided
per request by config.caching.SharedCacheMiddleware, once every other middleware has had its
say: only an anonymous visitor's answer that sets no cookie and holds no CSRF token is public.

The lifetime never reaches past the next midnight, Vietnam time: a certificate lapses on its
expiry day and a decision signed for a later day comes into force on it, with nobody acting,
so no purge is sent; a page cached before midnight must not be served after it.
Purges for the changes someone makes are catalogue.purging's.
"""

import datetime
import functools
import math

from django.utils import timezone

# Pages whose content follows from many products (home, listings, search, collections):
# kept a minute, since nobody can name every address that shows a change (each search).
LISTING = 60
# Pages about one thing (a product, producer, record, fair): purged when it changes.
DETAIL = 3600
# A browser cannot be purged: it keeps a page at most this long, whatever the proxy may.
BROWSER = 60


def shared(response, seconds):
    """Mark `response` as one a shared cache may keep for `seconds` (if the middleware agrees)."""
    response.shared_cache_seconds = seconds
    return response


def shared_cache(seconds):
    """View decorator: the view's answer is the same for every anonymous visitor."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            return shared(view(request, *args, **kwargs), seconds)

        return wrapped

    return decorator


class SharedCachePage:
    """A Wagtail page whose public answer a shared cache may keep `cache_seconds`.

    Wagtail's own answers before `serve` (a password form for a restricted page) and previews
    (`serve_preview`) are not marked.
    """

    cache_seconds = DETAIL

    def serve(self, request, *args, **kwargs):
        return shared(super().serve(request, *args, **kwargs), self.cache_seconds)


def seconds_to_midnight(now=None):
    """Whole seconds from `now` until the next midnight in the site's time zone (at least 1)."""
    local = timezone.localtime(now)
    midnight = datetime.datetime.combine(local.date() + datetime.timedelta(days=1), datetime.time(), local.tzinfo)
    return max(1, math.floor((midnight - local).total_seconds()))


def lifetime(seconds, now=None):
    """(browser max-age, proxy s-maxage) for a page marked `seconds`: neither outlives midnight."""
    proxy = min(seconds, seconds_to_midnight(now))
    return min(BROWSER, proxy), proxy
