"""The demo gives an agency login and a producer login for the first demo producer."""

import pytest

from django.contrib.auth import get_user_model

from marketplace.accounts.demo import setup_demo_accounts
from tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db


def test_demo_logins_work_and_are_idempotent(client, site_tree):
    first = ProducerFactory(name="HTX Mật ong Bắc Kạn", slug="htx-mat-ong-bac-kan")
    ProducerFactory()
    logins = setup_demo_accounts()
    again = setup_demo_accounts()
    assert [(role, email) for role, email, _, _ in logins] == [(role, email) for role, email, _, _ in again]
    assert get_user_model().objects.count() == 2
    (_, agency_email, _, _), (_, producer_email, password, producer) = again
    assert producer == first
    assert client.login(username=producer_email, password=password)
    assert get_user_model().objects.get(email=producer_email).producer_memberships.get().producer == first
    assert client.get("/admin/").status_code == 200


def test_demo_accounts_without_producers(site_tree):
    logins = setup_demo_accounts()
    assert [role for role, *_ in logins] == ["agency"]


def test_roles_are_idempotent(site_tree):
    from wagtail.models import GroupPagePermission, WorkflowPage

    from marketplace.accounts.roles import setup_roles

    setup_roles()
    counts = GroupPagePermission.objects.count(), WorkflowPage.objects.count()
    setup_roles()
    assert (GroupPagePermission.objects.count(), WorkflowPage.objects.count()) == counts
