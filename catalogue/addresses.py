"""Django's reverse() remembered per process for the addresses every page writes the same:
the header's and footer's links (home, search and its suggestions, verify, the sourcing form,
the sitemap), the breadcrumbs' search address, the page-view beacon's.

Django's reverse() walks the URL resolver on every call, about a hundred Python calls, half of
them reading thread-locals; a product page writes some fifteen such fixed addresses. A name
gives the same address as long as the language (i18n_patterns), the script prefix and the
URLconf are the same: those are the key, read anew on every call. Only a `{% url %}` naming a
view with constant arguments (`catalogue.templatetags.addresses`) is remembered: an address
naming one product, record or order (`{% url 'orders:order' page.pk %}`) goes to Django every
time, since the page that writes it is read once and then served from the proxy's cache, so
remembering it would only flatter a benchmark that asks for one page again and again. Any change
of a setting (a URLconf swapped in by a test) forgets everything.
"""

from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils.translation import get_language

# The site's fixed addresses in two languages: a few dozen.
MAX_ADDRESSES = 512


def fixed(viewname, args=(), kwargs=None, current_app=None):
    """django.urls.reverse(viewname, args=…, kwargs=…, current_app=…) for constant arguments
    (hashable: strings and numbers), remembered."""
    named = tuple(sorted(kwargs.items())) if kwargs else ()
    return _remembered(viewname, tuple(args), named, current_app, get_urlconf(), get_script_prefix(), get_language())


@lru_cache(maxsize=MAX_ADDRESSES)
def _remembered(viewname, args, kwargs, current_app, urlconf, prefix, language):
    # The prefix and the language are the ones active now (the caller read them): they key the cache.
    return django_reverse(viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)


def _forget(**kwargs):
    _remembered.cache_clear()


setting_changed.connect(_forget, dispatch_uid="catalogue_addresses_forget")
