"""Producer A cannot list, open, edit or guess the URL of producer B's items; the agency can."""

import re

import pytest

from django.urls import reverse

from wagtail.models import Page
from wagtail.permissions import policy_registry

from catalogue.access import is_agency, producers_for, products_for
from tests.factories import ProductPageFactory

pytestmark = pytest.mark.django_db


def page_urls(page):
    revision = page.get_latest_revision() or page.save_revision()
    return {
        "edit": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        "preview": reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]),
        "view draft": reverse("wagtailadmin_pages:view_draft", args=[page.pk]),
        "history": reverse("wagtailadmin_pages:history", args=[page.pk]),
        "revision": reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk]),
        "compare": reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, "earliest", "latest"]),
        "workflow history": reverse("wagtailadmin_pages:workflow_history", args=[page.pk]),
        "usage": reverse("wagtailadmin_pages:usage", args=[page.pk]),
        "delete": reverse("wagtailadmin_pages:delete", args=[page.pk]),
        "copy": reverse("wagtailadmin_pages:copy", args=[page.pk]),
        "move": reverse("wagtailadmin_pages:move", args=[page.pk]),
        "unpublish": reverse("wagtailadmin_pages:unpublish", args=[page.pk]),
        "lock": reverse("wagtailadmin_pages:lock", args=[page.pk]),
        "privacy": reverse("wagtailadmin_pages:set_privacy", args=[page.pk]),
    }


def refused(response):
    """Wagtail answers a permission refusal with a redirect to the dashboard (or 403/404)."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and not response.url.startswith(reverse("wagtailadmin_login"))
    )


def test_the_scope_in_one_place(agency, user_a, producer_a, producer_b, page_a, page_b):
    assert is_agency(agency) and not is_agency(user_a)
    assert list(producers_for(user_a)) == [producer_a]
    assert set(producers_for(agency)) == {producer_a, producer_b}
    assert list(products_for(user_a)) == [page_a]


def test_producer_opens_every_view_of_its_own_page(client, user_a, page_a):
    client.force_login(user_a)
    for name in ("edit", "preview", "view draft", "history", "revision", "compare", "workflow history", "usage"):
        response = client.get(page_urls(page_a)[name])
        assert response.status_code == 200, name


@pytest.mark.parametrize(
    "name",
    [
        "edit",
        "preview",
        "view draft",
        "history",
        "revision",
        "compare",
        "workflow history",
        "usage",
        "delete",
        "copy",
        "move",
        "unpublish",
        "lock",
        "privacy",
    ],
)
def test_producer_cannot_open_another_producers_page_by_id(client, user_a, page_b, name):
    client.force_login(user_a)
    url = page_urls(page_b)[name]
    method = client.post if name == "lock" else client.get
    assert refused(method(url)), name


def test_producer_cannot_save_over_another_producers_page(client, user_a, page_b):
    client.force_login(user_a)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page_b.pk]), {"title": "Hacked", "slug": "x"})
    assert refused(response)
    page_b.refresh_from_db()
    assert page_b.title == "Chè búp Tân Cương"
    revision = page_b.get_latest_revision()
    assert revision is None or revision.content["title"] != "Hacked"


def edit_link(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def listed_titles(html):
    return [
        " ".join(re.sub(r"<[^>]+>", " ", t).split())
        for t in re.findall(r'class="title-wrapper">(.*?)</div>', html, re.S)
    ]


def test_explorer_listing_and_search_show_only_own_products(client, user_a, page_a, page_b, draft_b, product_index):
    client.force_login(user_a)
    explorer = client.get(reverse("wagtailadmin_explore", args=[product_index.pk])).content.decode()
    assert edit_link(page_a) in explorer
    assert edit_link(page_b) not in explorer and edit_link(draft_b) not in explorer
    assert "Chè búp Tân Cương" not in explorer and "Trà hoa vàng" not in explorer
    assert listed_titles(client.get("/admin/products/").content.decode()) == ["Nước mắm Cửa Khe"]
    search = client.get(reverse("wagtailadmin_pages:search"), {"q": "Tân Cương"}).content.decode()
    assert edit_link(page_b) not in search and "Chè búp Tân Cương" not in search


def test_page_chooser_shows_only_own_products(client, user_a, page_a, page_b, product_index):
    client.force_login(user_a)
    browse = client.get(reverse("wagtailadmin_choose_page_child", args=[product_index.pk])).json()["html"]
    assert "Nước mắm Cửa Khe" in browse and "Chè búp Tân Cương" not in browse
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Chè"}).content.decode()
    assert "Chè búp Tân Cương" not in search and "Ch\\u00e8 b\\u00fap" not in search


def test_permission_policy_agrees_with_the_views(agency, user_a, page_a, page_b):
    policy = policy_registry.get_by_type(Page)
    assert policy.user_has_permission_for_instance(user_a, "change", page_a)
    assert not policy.user_has_permission_for_instance(user_a, "change", page_b)
    assert set(policy.instances_user_has_permission_for(user_a, "change").type(type(page_a))) == {
        Page.objects.get(pk=page_a.pk)
    }
    assert policy.user_has_permission_for_instance(agency, "change", page_b)


def test_agency_sees_and_edits_every_product(client, agency, page_a, page_b, product_index):
    client.force_login(agency)
    explorer = client.get(reverse("wagtailadmin_explore", args=[product_index.pk])).content.decode()
    assert "Nước mắm Cửa Khe" in explorer and "Chè búp Tân Cương" in explorer
    for page in (page_a, page_b):
        assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    assert page_b.permissions_for_user(agency).can_publish()


def test_producer_cannot_publish_only_submit(user_a, page_a):
    perms = page_a.permissions_for_user(user_a)
    assert perms.can_edit()
    assert not perms.can_publish()
    assert not perms.can_unpublish()
    assert perms.can_submit_for_moderation()


def test_publish_button_does_not_publish_for_a_producer(client, user_a, page_a):
    client.force_login(user_a)
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    data = nested_form_data(
        {
            "title": "Nước mắm Cửa Khe thượng hạng",
            "slug": page_a.slug,
            "producer": page_a.producer_id,
            "category": page_a.category_id,
            "province": page_a.province_id,
            "description": rich_text("<p>Ủ chượp 18 tháng.</p>"),
            "description_en": rich_text(""),
            "moq_quantity": "100",
            "moq_unit": "bottle",
            "price_min_vnd": "85000",
            "price_max_vnd": "120000",
            "price_unit": "bottle",
            "gallery_images": inline_formset([]),
            "quality_certifications": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    client.post(reverse("wagtailadmin_pages:edit", args=[page_a.pk]), data)
    page_a.refresh_from_db()
    assert page_a.title == "Nước mắm Cửa Khe"  # the live version is untouched


def test_producer_can_only_pick_its_own_producer(client, user_a, producer_a, producer_b, product_index):
    client.force_login(user_a)
    url = reverse("wagtailadmin_pages:add", args=["catalogue", "productpage", product_index.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["producer"].queryset) == [producer_a]
    assert form.initial["producer"] == producer_a.pk


def test_producer_without_membership_sees_no_products(client, roles, page_a):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    stranger = UserFactory(email="stranger@example.vn")
    stranger.groups.add(Group.objects.get(name="Producers"))
    client.force_login(stranger)
    assert refused(client.get(reverse("wagtailadmin_pages:edit", args=[page_a.pk])))
    assert listed_titles(client.get("/admin/products/").content.decode()) == []


def test_producers_cannot_open_producer_or_certification_snippets(client, user_a, producer_b, page_b):
    client.force_login(user_a)
    record = page_b.certifications.get()
    for url in (
        "/admin/snippets/catalogue/producer/",
        f"/admin/snippets/catalogue/producer/edit/{producer_b.pk}/",
        f"/admin/snippets/catalogue/producer/history/{producer_b.pk}/",
        "/admin/snippets/catalogue/certification/",
        f"/admin/snippets/catalogue/certification/edit/{record.pk}/",
        f"/admin/snippets/catalogue/certification/history/{record.pk}/",
        f"/admin/snippets/catalogue/certification/delete/{record.pk}/",
    ):
        assert refused(client.get(url)), url
    response = client.post(f"/admin/snippets/catalogue/certification/edit/{record.pk}/", {"stars": 5})
    assert refused(response)
    record.refresh_from_db()
    assert record.stars == 4


def test_producer_profile_is_scoped(client, user_a, producer_a, producer_b):
    client.force_login(user_a)
    mine = reverse("marketplace_producer_profile", args=[producer_a.pk])
    assert client.get(mine).status_code == 200
    assert client.get(reverse("marketplace_producer_profile", args=[producer_b.pk])).status_code == 404
    response = client.post(
        mine, {"contact_name": "Chị Hoa", "phone": "+84 238 3861 000", "email": "lienhe@cuakhe.vn", "website": ""}
    )
    assert response.status_code == 302
    producer_a.refresh_from_db()
    assert producer_a.contact_name == "Chị Hoa"
    assert client.get(reverse("marketplace_my_producers")).url == mine


def test_agency_only_views_refuse_producers(client, user_a):
    client.force_login(user_a)
    for name in ("marketplace_producer_accounts", "marketplace_import_decisions"):
        assert refused(client.get(reverse(name)))


def test_producer_draft_created_in_the_admin_goes_to_the_agency(product_index, user_a, producer_a):
    page = ProductPageFactory(parent=product_index, producer=producer_a, live=False, owner=user_a)
    perms = page.permissions_for_user(user_a)
    assert perms.can_edit() and perms.can_delete() and not perms.can_publish()
    assert page.get_workflow().name == "Agency approval"


def test_producer_chooser_lists_only_own_producers(client, user_a, agency, producer_a, producer_b):
    client.force_login(user_a)
    html = client.get("/admin/snippets/choose/catalogue/producer/").json()["html"]
    assert producer_a.name in html and producer_b.name not in html
    assert client.get(f"/admin/snippets/choose/catalogue/producer/chosen/{producer_b.pk}/").status_code == 404
    assert client.get(f"/admin/snippets/choose/catalogue/producer/chosen/{producer_a.pk}/").status_code == 200
    client.force_login(agency)
    html = client.get("/admin/snippets/choose/catalogue/producer/").json()["html"]
    assert producer_a.name in html and producer_b.name in html


def test_producer_cannot_create_a_page_for_another_producer(client, user_a, producer_b, product_index):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    client.force_login(user_a)
    url = reverse("wagtailadmin_pages:add", args=["catalogue", "productpage", product_index.pk])
    data = nested_form_data(
        {
            "title": "Chè giả Tân Cương",
            "slug": "che-gia-tan-cuong",
            "producer": producer_b.pk,
            "category": 1,
            "province": producer_b.province_id,
            "description": rich_text(""),
            "description_en": rich_text(""),
            "gallery_images": inline_formset([]),
            "quality_certifications": inline_formset([]),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "producer" in response.context["form"].errors
    assert not ProductPageFactory._meta.model.objects.filter(slug="che-gia-tan-cuong").exists()
