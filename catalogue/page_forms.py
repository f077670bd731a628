"""The product page's admin form; catalogue.models.products imports it to define ProductPage."""

from django import forms

from wagtail.admin.forms import WagtailAdminPageForm

from .models.members import is_agency, producers_for


class ProductPageForm(WagtailAdminPageForm):
    """A producer can only attach a product page to a producer they act for."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
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
