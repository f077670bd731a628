"""The site's two addresses per page: /vi/… and /en/… (i18n_patterns in config/urls.py).

One page, one record, one search entry; only the prefix says which language it is read in.
The switcher, the hreflang alternates and the sitemap all derive the other language's
address from the current one here, so they cannot disagree.
"""

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.translation import get_language_from_path, override


@dataclass(frozen=True)
class Version:
    code: str
    name: str
    url: str


def without_language(path):
    """The address without its language prefix: it redirects each visitor to their own language."""
    language = get_language_from_path(path)
    return path.removeprefix(f"/{language}") if language else path


def neutral_url(url):
    """The unprefixed form of a URL (path or absolute): what hreflang="x-default" names, the
    address that sends each visitor to their language, as Django's i18n sitemaps write it."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=without_language(parts.path)))


def versions(url):
    """The same address in every language, current one included, in settings.LANGUAGES order.

    Empty for an address without a language prefix (admin, API, feeds): it has one version.
    `url` may be a path with a query or an absolute URL; query and host are kept.

    What Django's `translate_url` answers for each language, for a third of its work: no URL
    pattern is translated (config/urls.py), so an address that resolves is the same in every
    language but for its prefix, and one that does not (a path no page can have) stays as it is.
    """
    parts = urlsplit(url)
    language = get_language_from_path(parts.path)
    if not language:
        return []
    # Resolved in the path's own language, as translate_url does in the active one.
    with override(language):
        try:
            resolve(unquote(parts.path))
        except Resolver404:
            return [Version(code, name, url) for code, name in settings.LANGUAGES]
    rest = parts.path.removeprefix(f"/{language}")
    return [Version(code, name, urlunsplit(parts._replace(path=f"/{code}{rest}"))) for code, name in settings.LANGUAGES]
