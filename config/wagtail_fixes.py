"""Workarounds for Wagtail bugs that would otherwise answer 500 to a malformed admin request.

Each one is a subclass routed ahead of Wagtail's own URL, so removing it once Wagtail is
fixed is deleting the file and its line in config/urls.py.
"""

from wagtail.admin.auth import require_admin_access
from wagtail.admin.forms.choosers import ExternalLinkChooserForm, URLOrAbsolutePathField
from wagtail.admin.views.chooser import ExternalLinkView


class _URLOrAbsolutePathField(URLOrAbsolutePathField):
    # Wagtail 8.0 calls str.startswith on the raw value, which is None when the field is
    # missing from the POST: a 500 instead of "This field is required".
    def to_python(self, value):
        return super().to_python(value or "")


class _ExternalLinkChooserForm(ExternalLinkChooserForm):
    url = _URLOrAbsolutePathField(required=True, label=ExternalLinkChooserForm.base_fields["url"].label)


class _ExternalLinkView(ExternalLinkView):
    form_class = _ExternalLinkChooserForm


external_link_chooser = require_admin_access(_ExternalLinkView.as_view())
