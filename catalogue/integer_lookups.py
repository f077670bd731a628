"""A number the database cannot hold, compared with an integer column, matches nothing.

Django already answers `id=2**70` on an integer column with no rows instead of sending it
(SQLite raises an OverflowError for any integer past 64 bits), but not `id__in=[2**70]`,
which every `ModelMultipleChoiceField` (a producer's fair application, Wagtail's page and
snippet forms) and every `filter(pk__in=ids)` sends, nor either lookup on a foreign key to
such a column: a page type's `pk` is its `page_ptr`, so `ProductPage.objects.get(pk=2**70)`
(any ModelChoiceField of products) failed too. Such a number cannot be an id: in a list it
is left out, the way NULL is, and a list left empty or an `exact` with it matches nothing.
Registered by CatalogueConfig.ready().
"""

import copy

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
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


@ForeignObject.register_lookup
class RelatedIntegerExact(RelatedExact):
    def process_rhs(self, compiler, connection):
        limits = _integer_range(self.lhs.output_field, connection) if self.rhs_is_direct_value() else None
        if limits is not None and _outside(self.rhs, *limits):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


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
