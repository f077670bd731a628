"""{% url %} with its fixed addresses remembered (catalogue.addresses): a template builtin
(settings TEMPLATES), so every template's {% url %} is this one, with Django's syntax and output.
A tag whose view name and arguments are all constants is remembered per language; any other
goes to Django's reverse() as Django's tag does."""

from django import template
from django.template.base import Variable
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape

from catalogue.addresses import fixed

register = template.Library()


def constant(expression):
    """A literal with no filter: "search:search", '', 42 (not a variable)."""
    var = expression.var
    return not expression.filters and (not isinstance(var, Variable) or var.lookups is None)


class RememberedURLNode(URLNode):
    def __init__(self, view_name, args, kwargs, asvar):
        super().__init__(view_name, args, kwargs, asvar)
        self.fixed = all(constant(expression) for expression in (view_name, *args, *kwargs.values()))

    def render(self, context):
        # Django's URLNode.render (5.2), with fixed addresses remembered.
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            address = fixed if self.fixed else reverse
            url = address(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Django's {% url %}: parsed by Django, rendered with fixed addresses remembered."""
    node = django_url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
