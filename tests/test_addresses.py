"""{% url %} through catalogue.addresses: the site's fixed addresses remembered per process,
keyed by the language, the script prefix and the URLconf; every form of the tag writes what
Django's writes, and an address naming one object is never remembered."""

import pytest

from django.template import Context, Engine, engines
from django.template.defaulttags import URLNode
from django.test import override_settings
from django.urls import NoReverseMatch, path, set_script_prefix
from django.urls import reverse as django_reverse
from django.utils import translation

from catalogue import addresses
from catalogue.addresses import fixed
from catalogue.templatetags.addresses import RememberedURLNode

DJANGO = Engine()  # Django's own {% url %}
OURS = Engine(builtins=["catalogue.templatetags.addresses"])
SOURCES = [
    "{% url 'catalogue:verify' %}",
    '{% url "catalogue:certification" 42 %}',
    "{% url 'catalogue:certification' pk=number %}",
    "{% url 'catalogue:producer' slug %}",
    "{% url name slug %}",
    "{% url 'catalogue:producer' slug as address %}[{{ address }}]",
    "{% url 'no-such-view' as address %}[{{ address }}]",
    "{% url 'catalogue:producer' producer %}",
    "{% autoescape off %}{% url 'search:search' %}{% endautoescape %}",
]
CONTEXT = {"number": 7, "slug": "htx-nuoc-mam-cua-khe", "name": "catalogue:producer", "producer": "gom-su"}


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("source", SOURCES)
def test_every_form_of_the_tag_writes_what_djangos_writes(source, language):
    with translation.override(language):
        ours = OURS.from_string(source).render(Context(CONTEXT))
        assert ours == DJANGO.from_string(source).render(Context(CONTEXT))
        assert f"/{language}/" in ours or "[]" in ours


def test_a_name_that_does_not_reverse_fails_as_djangos_does():
    with pytest.raises(NoReverseMatch):
        OURS.from_string("{% url 'no-such-view' %}").render(Context())
    with pytest.raises(NoReverseMatch):
        fixed("catalogue:certification", args=["not-a-number"])


def test_the_site_s_templates_use_the_remembered_node():
    template = engines["django"].from_string("{% url 'catalogue:verify' %}").template
    assert type(template.nodelist[0]) is RememberedURLNode and isinstance(template.nodelist[0], URLNode)


def test_only_constant_addresses_are_remembered():
    template = OURS.from_string(
        "{% url 'search:search' %}{% url 'wagtail_serve' '' %}{% url 'catalogue:certification' 42 %}"
        "{% url 'catalogue:certification' number %}{% url name slug %}{% url 'catalogue:producer' slug|lower %}"
    )
    assert [node.fixed for node in template.nodelist] == [True, True, True, False, False, False]
    addresses._remembered.cache_clear()
    with translation.override("vi"):
        template.render(Context(CONTEXT))
    remembered = addresses._remembered.cache_info()
    assert (remembered.misses, remembered.currsize) == (3, 3)


def test_each_language_and_script_prefix_has_its_own_address():
    for language in ("vi", "en", "vi"):
        with translation.override(language):
            assert fixed("catalogue:certification", args=[5]) == f"/{language}/certifications/5/"
    set_script_prefix("/ocop/")
    try:
        with translation.override("en"):
            assert fixed("catalogue:certification", args=[5]) == "/ocop/en/certifications/5/"
    finally:
        set_script_prefix("/")
    with translation.override("en"):
        assert fixed("catalogue:certification", args=[5]) == "/en/certifications/5/"
        assert fixed("catalogue:producer", kwargs={"slug": "c"}) == django_reverse("catalogue:producer", args=["c"])


def _elsewhere(request):
    raise AssertionError("never served")


urlpatterns = [path("elsewhere/<int:pk>/", _elsewhere, name="certification-elsewhere")]


def test_a_urlconf_swapped_in_by_a_setting_is_read_afresh():
    with translation.override("vi"):
        assert fixed("catalogue:certification", args=[3]) == "/vi/certifications/3/"
        with override_settings(ROOT_URLCONF=__name__):
            assert fixed("certification-elsewhere", args=[3]) == "/elsewhere/3/"
            with pytest.raises(NoReverseMatch):
                fixed("catalogue:certification", args=[3])
        assert fixed("catalogue:certification", args=[3]) == "/vi/certifications/3/"
