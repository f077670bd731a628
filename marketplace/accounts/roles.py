"""The two roles and the moderation workflow, created idempotently (load_demo and `setup_roles`)."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from catalogue.access import AGENCY_GROUP, PRODUCERS_GROUP
from catalogue.models import HomePage, ProductIndexPage

WORKFLOW_NAME = "Agency approval"
TASK_NAME = "Agency checks the listing"

LOT_PERMISSIONS = ["marketplace.add_lot", "marketplace.change_lot", "marketplace.delete_lot", "marketplace.view_lot"]
AGENCY_MODEL_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "catalogue.add_producer",
    "catalogue.change_producer",
    "catalogue.view_producer",
    "catalogue.add_certification",
    "catalogue.change_certification",
    "catalogue.delete_certification",
    "catalogue.view_certification",
    "catalogue.view_province",
    "catalogue.view_category",
    "catalogue.add_glossaryterm",
    "catalogue.change_glossaryterm",
    "catalogue.delete_glossaryterm",
    "catalogue.view_glossaryterm",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
    "marketplace.change_inquirysettings",
    "marketplace.change_sampleordersettings",
    "marketplace.add_shippingzone",
    "marketplace.change_shippingzone",
    "marketplace.delete_shippingzone",
    *LOT_PERMISSIONS,
]
# Producers edit pages, not snippets: no catalogue permissions at all. Their lots they manage
# themselves (marketplace.lots.access narrows these to their own products).
PRODUCER_MODEL_PERMISSIONS = ["wagtailadmin.access_admin", *LOT_PERMISSIONS]
AGENCY_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page"]
# No publish_page: every change goes through the agency's workflow.
PRODUCER_PAGE_PERMISSIONS = ["add_page", "change_page"]


def _permission(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_pages(group, page, codenames):
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=page,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )


def _grant_images(group, codenames):
    # Wagtail's migration makes the root collection; a flushed test database has none.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    for codename in codenames:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=root,
            permission=Permission.objects.get(content_type__app_label="wagtailimages", codename=codename),
        )


@transaction.atomic
def setup_roles(home=None, product_index=None):
    """Create or update the Agency and Producers groups and the moderation workflow.

    Returns (agency, producers). Safe to run any number of times.
    """
    agency, _ = Group.objects.get_or_create(name=AGENCY_GROUP)
    producers, _ = Group.objects.get_or_create(name=PRODUCERS_GROUP)
    agency.permissions.add(*[_permission(p) for p in AGENCY_MODEL_PERMISSIONS])
    producers.permissions.add(*[_permission(p) for p in PRODUCER_MODEL_PERMISSIONS])
    _grant_images(agency, ["add_image", "change_image", "choose_image"])
    _grant_images(producers, ["add_image", "choose_image"])

    home = home or HomePage.objects.first()
    product_index = product_index or ProductIndexPage.objects.first()
    if home is not None:
        _grant_pages(agency, home, AGENCY_PAGE_PERMISSIONS)
    if product_index is not None:
        _grant_pages(producers, product_index, PRODUCER_PAGE_PERMISSIONS)
        ensure_workflow(agency, product_index)
    return agency, producers


def ensure_workflow(agency, product_index):
    """Product pages go to the agency for approval before they are published."""
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(agency)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=Page.objects.get(pk=product_index.pk), defaults={"workflow": workflow})
    return workflow
