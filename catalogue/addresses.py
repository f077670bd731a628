"""Django's reverse(), remembered per process: the addresses every page writes (the header's
links, each record's and producer's page, the sample-order and QR addresses) are the same from
one request to the next.

Django's reverse() walks the URL resolver on every call, about a hundred Python calls, half of
them reading thread-locals; a product page writes some thirty addresses. The same name and
arguments give the same address as long as the language (i18n_patterns), the script prefix and
the URLconf are the same: those are the key. Only names and arguments that are plain strings or
integers are remembered (an object's address could follow more than its identity); anything
else, and a name Django cannot reverse, goes to Django every time. Any change of a setting in
tests (a URLconf swapped in) forgets everything.
"""

from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils.translation import get_language

# Each product's own addresses in two languages: enough for the pages being read at the moment,
# bounded so that a crawl of the whole catalogue does not grow a process.
MAX_ADDRESSES = 8192


def plain(value):
    # A template's literal is a SafeString, a str all the same; a bool is an int but not plain.
    return isinstance(value, str) or type(value) is int


def reverse(viewname, args=None, kwargs=None, current_app=None):
    """django.urls.reverse(viewname, args=…, kwargs=…, current_app=…), remembered."""
    if (
        isinstance(viewname, str)
        and (not args or all(plain(arg) for arg in args))
        and (not kwargs or all(plain(value) for value in kwargs.values()))
    ):
        named = tuple(sorted(kwargs.items())) if kwargs else ()
        return _remembered(
            viewname, tuple(args or ()), named, current_app, get_urlconf(), get_script_prefix(), get_language()
        )
    return django_reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)


@lru_cache(maxsize=MAX_ADDRESSES)
def _remembered(viewname, args, kwargs, current_app, urlconf, prefix, language):
    # The prefix and the language are the ones active now (the caller read them): they key the cache.
    return django_reverse(viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)


def _forget(**kwargs):
    _remembered.cache_clear()


setting_changed.connect(_forget, dispatch_uid="catalogue_addresses_forget")
