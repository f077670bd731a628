"""get_FOO_display() without rebuilding a field's choices on every call.

Django's `Model._get_FIELD_display` makes a dict of the field's choices (each one made hashable)
each time it is asked for one label: some 130 Python calls for a field of a dozen choices, 330
for the units of measure. A product page shows half a dozen such labels (the units, the
producer's legal form, each record's status, each quality certificate's scheme and holder).
`ChoiceLabels` builds that dict once per model and field in a process; the labels in it stay
lazy, so each call still answers in the active language. Django binds every get_FOO_display to
the `_get_FIELD_display` it finds on the model class, so a model lists this mixin before
Django's base classes.
"""

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

# {(model class, field attname): {choice value: label}}, filled on first use.
_LABELS = {}


def labels(model, field):
    """The field's {value: label} as Django's _get_FIELD_display builds it, built once."""
    key = (model, field.attname)
    try:
        return _LABELS[key]
    except KeyError:
        return _LABELS.setdefault(key, dict(make_hashable(field.flatchoices)))


class ChoiceLabels:
    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        # As Django's: the label forced to text, or the value itself when it is not a choice.
        return force_str(labels(type(self), field).get(make_hashable(value), value), strings_only=True)
