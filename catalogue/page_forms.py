"""The product page's admin form; catalogue.models.products imports it to define ProductPage."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from .glossary.naming import english_name
from .image_scope import forget, form_references, stored_references
from .models.members import is_agency, producers_for

NOT_YOURS = _("This image is not one you may use: choose one of your own images or upload it.")


class ProductPageForm(WagtailAdminPageForm):
    """A producer can only attach a product page to a producer they act for, and only show
    images it could have chosen (gallery rows, rich-text embeds, any image field); the English
    name field offers the name the OCOP glossary composes from the Vietnamese title."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.suggest_english_name()
        if for_user is not None and not is_agency(for_user) and "producer" in self.fields:
            field = self.fields["producer"]
            field.widget = forms.Select()
            field.queryset = producers_for(for_user)
            field.empty_label = None
            own = list(field.queryset[:2])
            if len(own) == 1 and not self.instance.producer_id:
                self.initial["producer"] = own[0].pk
                if "province" in self.fields and not self.instance.province_id:
                    self.initial["province"] = own[0].province_id

    def is_valid(self):
        # After the form and its inline formsets are cleaned, so a gallery row's image is known.
        # The preview validates the same form, so a refused image is never previewed either.
        valid = super().is_valid()
        return self.refuse_foreign_images() and valid

    def refuse_foreign_images(self):
        """Add an error beside every image the user could not have chosen; False if there was one."""
        if self.for_user is None or is_agency(self.for_user):
            return True
        found = list(form_references(self))
        wanted = {image_id for _form, _name, image_id in found}
        if not wanted:
            return True
        # The image chooser's own rule (catalogue.access.images_for, registered as the image policy).
        policy = policy_registry.get_by_type(get_image_model())
        choosable = policy.instances_user_has_any_permission_for(self.for_user, ["choose"])
        numbers = [image_id for image_id in wanted if isinstance(image_id, int)]
        refused = wanted - set(choosable.filter(pk__in=numbers).values_list("pk", flat=True))
        # Pictures the agency put on this page (in its text, or uploaded by its staff) stay through
        # the producer's later edits: what the page already holds, live and in its latest draft.
        refused -= self.held_images(refused)
        for form, name, image_id in found:
            if image_id in refused and name not in form.errors:
                form.add_error(name, NOT_YOURS)
                forget(form, name, refused)
        return not refused

    def held_images(self, candidates):
        if not candidates or not self.instance.pk:
            return set()
        stored = type(self.instance).objects.filter(pk=self.instance.pk).first()
        if stored is None:
            return set()
        held = {image_id for _path, image_id in stored_references(stored)}
        held |= {image_id for _path, image_id in stored_references(stored.get_latest_revision_as_object())}
        return candidates & held

    def suggest_english_name(self):
        """Show the glossary's English name as the field's placeholder and in its help text:
        left empty, English readers see it marked as indicative; typed, it is confirmed."""
        field = self.fields.get("name_en")
        suggestion = english_name(self.instance.title) if self.instance and self.instance.title else ""
        if field is None:
            return
        if suggestion:
            field.widget.attrs["placeholder"] = suggestion
            field.help_text = gettext(
                "Suggested from the OCOP glossary: “%(name)s”. Leave empty and English readers see it, "
                "marked as a glossary name; write it (or your own) to confirm it."
            ) % {"name": suggestion}
        else:
            field.help_text = gettext(
                "The OCOP glossary does not know this product yet: English readers see the Vietnamese name "
                "and its sub-group until you write one."
            )
