"""{% responsive_image %}: Wagtail's {% srcset_image %} with one rendition per width.

Wagtail never enlarges a picture, so an original narrower than the largest spec gives
several specs the same width, and a srcset that names one width twice is invalid HTML
(the Nu checker calls it an error). Same syntax and output as {% srcset_image %}, e.g.
{% responsive_image image fill-{320x240,640x480} format-webp sizes="300px" alt="" %}.
"""

from django import template

from wagtail.images.models import ResponsiveImage
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.images.templatetags.wagtailimages_tags import SrcsetImageNode
from wagtail.images.templatetags.wagtailimages_tags import image as parse_image_tag

register = template.Library()


class DistinctWidthsNode(SrcsetImageNode):
    _filters = None

    def get_filters(self):
        # A node's specs never change: Wagtail's Filters (each parses its operations, slowly)
        # are built once per compiled template instead of on every render.
        if self._filters is None:
            self._filters = super().get_filters()
        return self._filters

    def render(self, context):
        image = self.validate_image(context)
        if not image:
            return ""
        by_width = {}
        for spec, rendition in get_renditions_or_not_found(image, self.get_filters()).items():
            by_width.setdefault(rendition.width, (spec, rendition))
        responsive = ResponsiveImage(dict(by_width.values()))
        if self.output_var_name:
            context[self.output_var_name] = responsive
            return ""
        attrs = {name: value.resolve(context) for name, value in self.attrs.items()}
        if len(by_width) == 1:
            attrs.pop("sizes", None)  # one file: Wagtail writes no srcset, and sizes without one is invalid
        responsive.attrs = attrs
        return responsive.__html__()


@register.tag
def responsive_image(parser, token):
    # Wagtail's parser picks its node class by tag name: parse as srcset_image, render as ours.
    token.contents = "srcset_image " + token.contents.partition(" ")[2]
    node = parse_image_tag(parser, token)
    return DistinctWidthsNode(node.image_expr, node.filter_specs, node.output_var_name, node.attrs)
