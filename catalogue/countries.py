"""Country names in the active language, looked up once per process, country and language.

django-countries translates a name on every `Country.name` (some hundred Python calls: the
alpha-2 lookup, the override options, the fallback names); a product page shows a dozen (its
export markets, each review's buyer country). The names come from the installed catalogs and
the settings, neither of which changes while a process runs.
"""

from functools import lru_cache

from django_countries import countries

from django.utils.translation import get_language

# Some 250 countries in two languages.
MAX_NAMES = 1024


def country_name(country):
    """The name of `country` (a Country or its code) in the active language; "" for no country."""
    code = getattr(country, "code", country)
    return _name(code, get_language()) if code else ""


@lru_cache(maxsize=MAX_NAMES)
def _name(code, language):
    # `language` is the active one (the caller read it): it only keys the cache.
    return countries.name(code)
