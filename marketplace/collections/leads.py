"""A collection draft opened by the agency from a search lead (marketplace.shared.leads):
an unpublished collection whose one saved search is that search, for the agency to edit."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy

from ..shared import leads
from .models import CollectionRule, ProductCollectionIndexPage, ProductCollectionPage


def open_collection_draft(user, query, language):
    index = ProductCollectionIndexPage.objects.first()
    if index is None:
        return reverse("wagtailadmin_explore_root")
    draft = ProductCollectionPage(title=query[:255] or "?", live=False, owner=user)
    draft.rules.add(CollectionRule(params=urlencode({"q": query})))
    index.add_child(instance=draft)
    draft.save_revision(user=user)
    return reverse("wagtailadmin_pages:edit", args=[draft.pk])


leads.register("collection", gettext_lazy("Open a collection draft"), open_collection_draft)
