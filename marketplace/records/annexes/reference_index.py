"""Wagtail's reference index (the admin's "Usage") for many objects at once.

ReferenceIndex.create_or_update_for_object reads one object's indexed references and writes
its new ones: two queries and a dozen model instances per object, a quarter of a large
import. update() does the same for a list of objects with one read per chunk and one bulk
write: the references come from Wagtail's own extraction (a private method, hence the test
that compares an import's index with `rebuild_references_index`).
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import prefetch_related_objects

from modelcluster.models import ClusterableModel, get_all_child_relations
from wagtail.models import ReferenceIndex

CHUNK = 500


def update(objects):
    """ReferenceIndex.create_or_update_for_object for each object, inside the caller's transaction."""
    objects = list(objects)
    for start in range(0, len(objects), CHUNK):
        _update(objects[start : start + CHUNK])


def _update(objects):
    # The index reads a page's child objects (gallery, quality certificates, comments):
    # one query per relation for the chunk instead of one per relation and page.
    by_model = defaultdict(list)
    for instance in objects:
        by_model[type(instance)].append(instance)
    for model, instances in by_model.items():
        if issubclass(model, ClusterableModel):
            prefetch_related_objects(instances, *[r.get_accessor_name() for r in get_all_child_relations(model)])

    # (base content type, object id) -> (content type ids of the model and its parents, references found)
    found = {}
    for instance in objects:
        content_types = [
            ContentType.objects.get_for_model(m, for_concrete_model=False)
            for m in [instance] + instance._meta.get_parent_list()
        ]
        key = (content_types[-1].id, str(instance.pk))
        found[key] = (content_types, set(ReferenceIndex._extract_references_from_object(instance)))

    existing = defaultdict(dict)  # key -> {reference: (content type id, row id)}
    pks_by_base = defaultdict(list)
    for base_id, pk in found:
        pks_by_base[base_id].append(pk)
    for base_id, pks in pks_by_base.items():
        rows = ReferenceIndex.objects.filter(base_content_type_id=base_id, object_id__in=pks).values_list(
            "id", "content_type_id", "object_id", "to_content_type", "to_object_id", "model_path", "content_path"
        )
        for row_id, content_type_id, object_id, *reference in rows:
            existing[(base_id, object_id)][tuple(reference)] = (content_type_id, row_id)

    new, deleted = [], []
    for key, (content_types, references) in found.items():
        known = existing.get(key, {})
        for to_content_type_id, to_object_id, model_path, content_path in references - known.keys():
            new.append(
                ReferenceIndex(
                    content_type=content_types[0],
                    base_content_type=content_types[-1],
                    object_id=key[1],
                    to_content_type_id=to_content_type_id,
                    to_object_id=to_object_id,
                    model_path=model_path,
                    content_path=content_path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                )
            )
        known_ids = {ct.id for ct in content_types}
        # A row recorded against a more specific model than this one is not a deletion (as in Wagtail).
        deleted += [row for ref, (ct, row) in known.items() if ref not in references and ct in known_ids]
    ReferenceIndex.objects.bulk_create(new, ignore_conflicts=connection.features.supports_ignore_conflicts)
    if deleted:
        ReferenceIndex.objects.filter(id__in=deleted).delete()
