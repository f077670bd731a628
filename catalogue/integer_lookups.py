"""`field__in=[…]` on an integer column with a number the database cannot hold matches nothing.

Django already answers `pk=2**70` with no rows instead of sending it (SQLite raises an
OverflowError for any integer past 64 bits), but not `pk__in=[2**70]`, which is what every
`ModelMultipleChoiceField` (a producer's fair application, Wagtail's page and snippet forms)
and every `filter(pk__in=ids)` sends, on an integer column or a foreign key to one (a page's
`page_ptr`). Such a number cannot be an id, so it is left out of the list, the way NULL is;
a list left empty matches nothing. Registered by CatalogueConfig.ready().
"""

import copy

from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


class _InRange:
    def process_rhs(self, compiler, connection):
        limits = _integer_range(self.lhs.output_field, connection) if self.rhs_is_direct_value() else None
        if limits is not None:
            kept = [value for value in self.rhs if not _outside(value, *limits)]
            if len(kept) != len(self.rhs):
                # A copy: the same lookup may be compiled again, for another database.
                narrowed = copy.copy(self)
                narrowed.rhs = kept
                return super(_InRange, narrowed).process_rhs(compiler, connection)
        return super().process_rhs(compiler, connection)


@IntegerField.register_lookup
class IntegerFieldIn(_InRange, In):
    pass


@ForeignObject.register_lookup
class RelatedIntegerIn(_InRange, RelatedIn):
    pass


def _integer_range(field, connection):
    """(lowest, highest) an integer column holds, following a foreign key to its target; None for any other column."""
    while getattr(field, "is_relation", False) and getattr(field, "target_field", None) is not None:
        field = field.target_field
    internal_type = field.get_internal_type()
    if internal_type not in connection.ops.integer_field_ranges:
        return None
    return connection.ops.integer_field_range(internal_type)


def _outside(value, low, high):
    return isinstance(value, int) and ((low is not None and value < low) or (high is not None and value > high))
