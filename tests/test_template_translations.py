"""{% load i18n translations %}: a constant {% translate %} rendered cheaper
(catalogue.templatetags.translations), writing what Django's writes in every form of the tag."""

from pathlib import Path

import pytest

from django.conf import settings
from django.template import Context, Engine
from django.template.loader import get_template
from django.templatetags.i18n import TranslateNode
from django.utils import translation

from catalogue.templatetags.translations import ConstantTranslateNode

ENGINE = Engine(libraries={"i18n": "django.templatetags.i18n", "translations": "catalogue.templatetags.translations"})
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
        ours = ENGINE.from_string("{% load i18n translations %}" + source).render(Context(context))
        assert ours == ENGINE.from_string("{% load i18n %}" + source).render(Context(context))


def test_a_constant_is_translated_in_each_language_it_is_rendered_in():
    template = ENGINE.from_string('{% load i18n translations %}{% translate "OCOP Marketplace" %}')
    assert isinstance(template.nodelist[-1], ConstantTranslateNode)
    for language, text in [("vi", "Sàn OCOP"), ("en", "OCOP Marketplace"), ("vi", "Sàn OCOP")]:
        with translation.override(language):
            assert template.render(Context()) == text


def test_every_site_template_renders_its_constants_with_the_cheaper_node():
    """A template that forgets `translations` (or loads it before `i18n`) still works, only
    slower: this lists it."""
    root = Path(settings.BASE_DIR) / "themes" / "templates"
    slow = []
    for path in sorted(root.rglob("*.html")):
        template = get_template(str(path.relative_to(root))).template
        for node in template.nodelist.get_nodes_by_type(TranslateNode):
            if isinstance(getattr(node.filter_expression.var, "literal", None), str) and not (
                node.noop or node.asvar or node.message_context or node.filter_expression.filters
            ):
                slow.append(f"{path.relative_to(root)}: {node.token.contents}")
    assert slow == []
