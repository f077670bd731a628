"""Values Wagtail 8.0's admin widgets read from a submitted form without checking them.

A chooser widget (page, image, document, snippet) that shows a form again after an error
looks the submitted id up with `objects.get(pk=…)`, which raises ValueError for "²" or NUL;
the Draftail rich-text widget hands the submitted text to `json.loads` and then treats the
result as a dict. Hand-made POSTs (the editor always sends an id or Draftail's JSON) then
answer 500. Both are wrapped once here, for every form Wagtail builds; CatalogueConfig.ready()
applies them. Every model here has a whole-number id (catalogue.params.record_id).
"""

import json

from wagtail.admin.rich_text.editors.draftail import DraftailRichTextArea
from wagtail.admin.widgets.chooser import BaseChooser

from .params import record_id

_get_instance = BaseChooser.get_instance
_value_from_datadict = DraftailRichTextArea.value_from_datadict


def get_instance(self, value):
    """Wagtail's, except that a value which cannot be an id is no object (the form says why)."""
    if isinstance(value, str | int) and not isinstance(value, bool) and record_id(value) is None:
        return None
    return _get_instance(self, value)


def value_from_datadict(self, data, files, name):
    """Wagtail's, except that text which is not Draftail's JSON object counts as no value."""
    raw = data.get(name)
    if raw is not None:
        try:
            content = json.loads(raw)
        except (ValueError, TypeError):
            return None
        if not isinstance(content, dict):
            return None
    return _value_from_datadict(self, data, files, name)


def apply():
    BaseChooser.get_instance = get_instance
    DraftailRichTextArea.value_from_datadict = value_from_datadict
