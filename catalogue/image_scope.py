"""Which images a page refers to: in a submitted form, and in a stored page with its rows.

The image chooser offers only the images the editor may use (catalogue.access.images_for, through
the image permission policy), but a form receives bare ids: a gallery row's image id, a rich-text
`<embed embedtype="image" id="…"/>`, any foreign key to the image model can name any image.
ProductPageForm (catalogue.page_forms) checks every id found here; list_foreign_images finds
pages stored before that check. The walk is by field type, not by field name, so a field or an
inline panel added later is covered without being listed.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey

from modelcluster.models import get_all_child_relations
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.rich_text.rewriters import FIND_EMBED_TAG, extract_attrs

from .params import record_id


def _is_image_model(model):
    return isinstance(model, type) and issubclass(model, get_image_model())


def image_ids_in(field, value):
    """Ids of the images one field's value names: a foreign key to the image model, or the
    references Wagtail's own reference index reads from rich text and stream fields.

    An embed whose id is no number is returned as written: it names no image anyone may use.
    """
    if value in (None, ""):
        return set()
    if isinstance(field, ForeignKey):
        if not _is_image_model(field.related_model):
            return set()
        return {getattr(value, "pk", value)}
    extract = getattr(field, "extract_references", None)
    if extract is None:
        return set()
    ids = set()
    for model, object_id, *_rest in extract(value):
        if _is_image_model(model):
            ids.add(_embed_key(object_id))
    return ids


def _embed_key(object_id):
    found = record_id(object_id)
    return found if found is not None else str(object_id)


def form_references(form):
    """(form, field name, image id) for every image a validated form and its inline forms name.

    Rows marked for deletion name nothing: they will not be saved.
    """
    model = form._meta.model
    for name, value in getattr(form, "cleaned_data", {}).items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        for image_id in image_ids_in(field, value):
            yield form, name, image_id
    for formset in getattr(form, "formsets", {}).values():
        for child in formset.forms:
            # A row never cleaned (its formset's management data missing) is saved by nobody.
            if not hasattr(child, "cleaned_data"):
                continue
            if formset.can_delete and formset._should_delete_form(child):
                continue
            yield from form_references(child)


def stored_references(obj, prefix=""):
    """(field path, image id) for every image a stored object and its child rows name,
    e.g. ("description", 7) or ("gallery_images.image", 9)."""
    for field in obj._meta.concrete_fields:
        if isinstance(field, ForeignKey):
            if _is_image_model(field.related_model) and getattr(obj, field.attname) is not None:
                yield prefix + field.name, getattr(obj, field.attname)
            continue
        for image_id in image_ids_in(field, field.value_from_object(obj)):
            yield prefix + field.name, image_id
    for relation in get_all_child_relations(type(obj)):
        name = relation.get_accessor_name()
        for child in getattr(obj, name).all():
            yield from stored_references(child, f"{prefix}{name}.")


def forget(form, name, image_ids):
    """Take these images out of what a refused form shows again: the re-rendered chooser or
    rich-text editor would otherwise show the picture (and its file name) it was refused.

    A rich-text field keeps its text without those embeds; any other field shows its value
    before the edit (a new gallery row shows no image).
    """
    field, key = form.fields[name], form.add_prefix(name)
    data = form.data.copy()
    if isinstance(form._meta.model._meta.get_field(name), RichTextField):
        html = field.widget.value_from_datadict(form.data, form.files, key) or ""
        data[key] = field.widget.format_value(_without_embeds(html, image_ids))
    else:
        initial = form.get_initial_for_field(field, name)
        data[key] = "" if initial is None else str(getattr(initial, "pk", initial))
    form.data = data


def _without_embeds(html, image_ids):
    def keep(match):
        attrs = extract_attrs(match.group(1))
        if attrs.get("embedtype") == "image" and _embed_key(attrs.get("id", "")) in image_ids:
            return ""
        return match.group(0)

    return FIND_EMBED_TAG.sub(keep, html)
