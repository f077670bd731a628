"""Reference data held once per process: provinces of both eras and the OCOP taxonomy.

Provinces and product groups change only with a migration or an admin edit, yet searches,
facets, the index builder and the decision importer read them all the time. `reference()`
loads them once; saving or deleting a Province or Category forgets them (in this process;
other processes find out on their next miss, since a lookup that misses reloads once).
"""

import threading

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Category, Province
from .models.places import resolve_slug_match
from .text import fold


class Reference:
    """A snapshot of the reference tables with the lookups every app needs."""

    def __init__(self):
        provinces = list(Province.objects.order_by("era", "name_ascii"))
        self.provinces = {p.pk: p for p in provinces}
        for province in provinces:
            if province.successor_id:
                province.successor = self.provinces[province.successor_id]
        self.current_provinces = {p.pk: p for p in provinces if p.era == Province.Era.CURRENT}
        self._by_slug = {}
        for province in provinces:
            self._by_slug.setdefault(province.slug, {})[province.era] = province
        self.legacy_names = {}
        for province in provinces:
            if province.successor_id:
                self.legacy_names.setdefault(province.successor_id, []).append(province.name)

        self.categories = list(Category.objects.order_by("code"))
        self.categories_by_id = {c.pk: c for c in self.categories}
        for category in self.categories:
            if category.parent_id:
                category.parent = self.categories_by_id[category.parent_id]
        self.categories_by_code = {c.code: c for c in self.categories}
        self.categories_by_slug = {c.slug: c for c in self.categories}

    def province_by_slug(self, slug):
        """(current province, the legacy one it came from or None), as Province.objects.by_slug."""
        return resolve_slug_match(self._by_slug.get(slug, {}))

    def province_eras(self, slug):
        """{era: province} for the provinces sharing this slug."""
        return self._by_slug.get(slug, {})

    def category_by_slug(self, slug):
        return self.categories_by_slug.get(slug)

    def subtree_codes(self, code):
        """The code and every code below it: 1.4 -> [1.4, 1.4.a, 1.4.b]."""
        return [c.code for c in self.categories if c.code == code or c.code.startswith(code + ".")]

    def category_words(self, category):
        """Vietnamese and English names of the category and its ancestors, for search text."""
        names = []
        node = category
        while node is not None:
            names[:0] = [node.name, node.name_en]
            node = self.categories_by_id.get(node.parent_id) if node.parent_id else None
        return names

    def category_by_name(self, text):
        """The category written as its code, slug, Vietnamese or English name, punctuation and case ignored."""
        if not hasattr(self, "_categories_by_name"):
            by_name = {}
            for category in self.categories:
                for name in (category.code, category.slug, category.name, category.name_en):
                    by_name.setdefault(fold(name), category)
            self._categories_by_name = by_name
        return self._categories_by_name.get(fold(text))

    def province_by_name(self, text):
        """{era: province} for a province written by name or slug, diacritics and case ignored."""
        key = fold(text)
        if not hasattr(self, "_by_name"):
            by_name = {}
            for province in self.provinces.values():
                for name in (province.slug, province.name, province.full_name, province.name_ascii):
                    by_name.setdefault(fold(name), {})[province.era] = province
            self._by_name = by_name
        return self._by_name.get(key, {})


_lock = threading.Lock()
_held = {"reference": None}


def reference(require_province=None, require_category=None):
    """The process's reference data; reloaded once if an id it is asked to hold is missing."""
    snapshot = _held["reference"]
    stale = snapshot is not None and (
        (require_province is not None and require_province not in snapshot.provinces)
        or (require_category is not None and require_category not in snapshot.categories_by_id)
    )
    if snapshot is None or stale:
        with _lock:
            snapshot = _held["reference"] = Reference()
    return snapshot


def forget():
    _held["reference"] = None


@receiver([post_save, post_delete], sender=Province, dispatch_uid="lookups-province")
@receiver([post_save, post_delete], sender=Category, dispatch_uid="lookups-category")
def _forget_on_change(**kwargs):
    forget()
