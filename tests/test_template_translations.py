"""{% load i18n %} is Django's, with a constant {% translate %} rendered cheaper
(catalogue.templatetags.translations): every form of the tag writes what Django's writes."""

import pytest

from django.template import Context, Engine, engines
from django.utils import translation

from catalogue.templatetags.translations import ConstantTranslateNode

DJANGO = Engine(libraries={"i18n": "django.templatetags.i18n"})
OURS = Engine(libraries={"i18n": "catalogue.templatetags.translations"})
SOURCES = [
    '{% translate "OCOP Marketplace" %}',
    "{% trans 'Home' %}",
    '{% translate "50% & <b>bold</b>, \\"quoted\\", don\'t" %}',
    '{% translate "Product %(name)s" %}',
    '{% translate "Home" as home %}[{{ home }}]',
    '{% translate "May" context "month name" %}',
    '{% translate "Home" noop %}',
    '{% translate "Home"|upper %}',
    "{% translate word %}",
    "{% autoescape off %}{% translate 'a < b' %}{% endautoescape %}",
    "{% blocktranslate with name=word %}Hello {{ name }}{% endblocktranslate %}",
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("source", SOURCES)
def test_every_form_of_the_tag_writes_what_djangos_writes(source, language):
    context = {"word": "<i>Trang chủ</i>"}
    with translation.override(language):
        ours = OURS.from_string("{% load i18n %}" + source).render(Context(context))
        assert ours == DJANGO.from_string("{% load i18n %}" + source).render(Context(context))


def test_the_sites_templates_load_it_and_constants_are_translated():
    template = engines["django"].from_string('{% load i18n %}{% translate "OCOP Marketplace" %}')
    assert any(isinstance(node, ConstantTranslateNode) for node in template.template.nodelist)
    with translation.override("vi"):
        assert template.render() == "Sàn OCOP"
    with translation.override("en"):
        assert template.render() == "OCOP Marketplace"
    with translation.override("vi"):  # each language's text kept apart
        assert template.render() == "Sàn OCOP"
