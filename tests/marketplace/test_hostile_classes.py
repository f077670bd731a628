"""The last 500s a black-box probe found (issue 20, item 5), each fixed as a class where values enter.

Dates and months go through `catalogue.params.month`/`day`, slugs through `is_slug`, free text
through `plain_text`, ids through `record_id`; an id past 64 bits is a 404 in any `<int:…>`
route and matches nothing in any `__in` list; the development server's own routes (favicon,
uploads) answer like the rest. tests/marketplace/test_hostile_walk.py walks every route.
"""

import datetime
import importlib.util

import pytest

from django.contrib.messages import get_messages
from django.db import transaction
from django.urls import reverse

import config.urls
from catalogue.models import ProductPage
from catalogue.params import day, month
from marketplace.fairs.models import Exhibitor
from tests.marketplace.fair_helpers import exhibit, fair_index, make_fair
from tests.marketplace.test_isolation import zebra  # noqa: F401

pytestmark = pytest.mark.django_db

TWENTY_DIGITS = "9" * 20


def get(client, url, data=None):
    with transaction.atomic():
        return client.get(url, data or {})


def post(client, url, data):
    with transaction.atomic():
        return client.post(url, data)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12", (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))),
        (" 2028-02 ", (datetime.date(2028, 2, 1), datetime.date(2028, 2, 29))),
        ("9999-12", (datetime.date(9999, 12, 1), datetime.date(9999, 12, 31))),
        ("0001-01", (datetime.date(1, 1, 1), datetime.date(1, 1, 31))),
        ("0000-00", None),
        ("0000-01", None),
        ("2026-00", None),
        ("2026-13", None),
        ("2026-1", None),
        ("+2026-12", None),
        ("２０２６-12", None),
        ("²026-12", None),
        ("2026-12\x00", None),
        ("9" * 5000, None),
        ("", None),
        (None, None),
        (["2026-12"], None),
    ],
)
def test_month_reads_yyyy_mm_and_nothing_else(value, expected):
    assert month(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-31", datetime.date(2026, 12, 31)),
        ("9999-12-31", datetime.date(9999, 12, 31)),
        ("0000-00-00", None),
        ("2026-02-30", None),
        ("2026-12-31T00:00", None),
        ("20261231", None),
        ("2026-W01-1", None),
        ("٢٠٢٦-12-31", None),
        ("9" * 5000, None),
        (None, None),
    ],
)
def test_day_reads_an_iso_date_and_nothing_else(value, expected):
    assert day(value) == expected


def test_the_fair_index_reads_any_month_and_province(client, site_tree):
    fair = make_fair(fair_index(site_tree[0]))
    index = fair.get_parent().url
    for value in ["9999-12", "0001-01"]:
        response = get(client, index, {"month": value})
        assert response.status_code == 200 and fair.title not in response.content.decode(), value
        assert not response.context["filter_messages"]
    for value in ["0000-00", "2026-13", "²０26-12", "9" * 5000]:
        response = get(client, index, {"month": value})
        assert response.status_code == 200 and fair.title in response.content.decode(), value
        assert response.context["filter_messages"] == ["Give the month as YYYY-MM, e.g. 2026-12; showing every month."]
    this_month = fair.starts_on.strftime("%Y-%m")
    assert fair.title in get(client, index, {"month": this_month}).content.decode()
    # PostgreSQL refuses NUL in any text: the province slug never reaches a query with one.
    # As in the search: NUL inside a slug makes it unknown, around it is trimmed.
    response = get(client, index, {"province": "ha\x00noi"})
    assert response.status_code == 200 and fair.title in response.content.decode()
    assert "showing every province" in response.context["filter_messages"][0]
    for value in ["\x00", "ha-noi\x00", "\x00ha-noi"]:
        response = get(client, index, {"province": value})
        assert response.status_code == 200 and fair.title in response.content.decode(), value
        assert not response.context["filter_messages"], value


def test_a_number_past_any_id_inside_a_path_segment_is_404(client, site_tree):
    fair = make_fair(fair_index(site_tree[0]))
    # The segment is "99999999999999999999.ics": not all digits, so only the converted value tells.
    for url in [f"/en/calendar/fairs/{TWENTY_DIGITS}.ics", f"/en/calendar/fairs/{2**63}.ics"]:
        assert get(client, url).status_code == 404, url
    assert get(client, f"/en/calendar/fairs/{2**63 - 1}.ics").status_code == 404
    assert get(client, f"/en/calendar/fairs/{fair.pk}.ics").status_code == 200
    api = get(client, f"/api/v1/certifications/{TWENTY_DIGITS}/")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


def test_the_sample_order_listing_and_export_read_q_as_plain_text(client, agency, zebra):  # noqa: F811
    client.force_login(agency)
    order = zebra["order"]
    for url in [reverse("marketplace_sample_orders"), reverse("marketplace_sample_orders_export")]:
        for q in ["\x00", "Zebra\x00", f"{order.reference}\x00"]:
            response = get(client, url, {"q": q})
            assert response.status_code == 200, (url, q)
            assert order.reference in response.content.decode(), (url, q)


def test_resending_a_notification_that_is_not_a_number_is_a_message(client, agency, zebra):  # noqa: F811
    client.force_login(agency)
    url = reverse("marketplace_sample_order", args=[zebra["order"].pk])
    for value in ["abc", "²", "-1", TWENTY_DIGITS, "9" * 5000, "\x00", ""]:
        response = post(client, url, {"action": "resend", "notification": value})
        client.get(url)  # reads the message, so the next answer carries its own only
        assert response.status_code == 302, value
        messages = [str(m) for m in get_messages(response.wsgi_request)]
        assert messages == ["That email was already sent or does not exist."], value


def test_a_fair_application_naming_an_id_past_64_bits_is_a_form_error(client, user_a, page_a, site_tree):
    fair = make_fair(fair_index(site_tree[0]))
    client.force_login(user_a)
    url = reverse("marketplace_fair_apply", args=[fair.pk])
    for products in [[TWENTY_DIGITS], [str(page_a.pk), TWENTY_DIGITS], [str(2**63)]]:
        response = post(client, url, {"producer": page_a.producer_id, "products": products})
        assert response.status_code == 200, products
        assert "products" in response.context["form"].errors, products
    for producer in [TWENTY_DIGITS, "9" * 5000]:
        response = post(client, url, {"producer": producer, "products": [str(page_a.pk)]})
        assert response.status_code == 200 and "producer" in response.context["form"].errors
    response = post(client, url, {"producer": page_a.producer_id, "products": [str(page_a.pk)]})
    assert response.status_code == 302 and fair.exhibitors.get().products.get() == page_a


def test_an_id_past_64_bits_in_a_list_matches_nothing(page_a, site_tree):
    fair = make_fair(fair_index(site_tree[0]))
    exhibitor = exhibit(fair, page_a)
    # An integer primary key, a page's (a one-to-one link to wagtailcore.Page), a foreign key.
    assert list(Exhibitor.objects.filter(pk__in=[2**64, exhibitor.pk])) == [exhibitor]
    assert not Exhibitor.objects.filter(pk__in=[2**64, -(2**64)]).exists()
    assert list(ProductPage.objects.filter(pk__in=[2**70, page_a.pk])) == [page_a]
    assert list(Exhibitor.objects.filter(fair__in=[2**70, fair.pk])) == [exhibitor]
    assert not Exhibitor.objects.exclude(fair_id__in=[2**70, fair.pk]).exists()


def debug_urlconf():
    """config/urls.py as the development server (DEBUG on) builds it, loaded as a module of its own."""
    spec = importlib.util.spec_from_file_location("config_urls_with_debug", config.urls.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_development_server_answers_the_favicon_and_any_upload_path(client, site_tree, settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    settings.ROOT_URLCONF = debug_urlconf()
    (tmp_path / "photo.txt").write_text("kept")
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 302 and favicon["Location"].endswith("/img/favicon.svg")
    assert b"".join(client.get("/media/photo.txt").streaming_content) == b"kept"
    # Names longer than the file system holds (255 bytes), one or many.
    for path in ["/media/" + "a" * 5000, "/media/" + "a/" * 2500 + "b", "/media/" + "é" * 200]:
        assert client.get(path).status_code == 404, path[:20]


# Found by the walk (tests/marketplace/test_hostile_walk.py): Wagtail 8.0 reads these unchecked.


@pytest.mark.parametrize("chooser", ["external", "email", "phone", "anchor"])
def test_a_link_chooser_opened_on_a_page_id_that_names_no_page_is_404(client, agency, page_a, chooser):
    client.force_login(agency)
    url = reverse(f"wagtailadmin_choose_page_{chooser}_link")
    for value in ["²", "a\x00b", "-1", "9999-12", TWENTY_DIGITS]:
        assert get(client, url, {"parent_page_id": value}).status_code == 404, value
    assert get(client, url, {"parent_page_id": page_a.pk}).status_code == 200
    assert get(client, url).status_code == 200


def test_copying_a_page_to_no_parent_or_an_unknown_one_is_404(client, agency, page_a):
    client.force_login(agency)
    url = reverse("wagtailadmin_pages:copy", args=[page_a.pk])
    for data in [{}, {"new_parent_page": "²"}, {"new_parent_page": TWENTY_DIGITS}, {"new_parent_page": 10**9}]:
        assert post(client, url, {"new_title": "Copy", "new_slug": "copy", **data}).status_code == 404, data
    assert get(client, url).status_code == 200
    parent = page_a.get_parent().pk
    response = post(client, url, {"new_title": "Copy", "new_slug": "copy-of-it", "new_parent_page": parent})
    assert response.status_code == 302 and page_a.get_parent().get_children().filter(slug="copy-of-it").exists()


@pytest.mark.parametrize("model", ["catalogue/producer", "catalogue/certification", "marketplace/shippingzone"])
def test_posting_to_a_chooser_without_a_creation_form_is_404(client, agency, roles, model):
    client.force_login(agency)
    assert post(client, f"/admin/snippets/choose/{model}/create/", {"name": "x"}).status_code == 404


def test_the_image_chooser_searches_within_a_tag(client, agency, zebra):  # noqa: F811
    zebra["image"].tags.add("leaf")
    client.force_login(agency)
    for url in [reverse("wagtailimages_chooser:choose"), reverse("wagtailimages_chooser:choose_results")]:
        response = get(client, url, {"q": "Zebra", "tag": "leaf"})
        assert response.status_code == 200 and "Zebra leaf photo" in response.content.decode(), url
        response = get(client, url, {"q": "Zebra", "tag": "a\x00b"})
        assert response.status_code == 200 and "Zebra leaf photo" not in response.content.decode(), url


def test_an_admin_object_id_that_is_not_a_whole_number_is_404(client, agency, user_a, zebra):  # noqa: F811
    urls = [
        "/admin/snippets/choose/catalogue/province/chosen/{}/",
        "/admin/snippets/catalogue/certification/history/{}/",
        "/admin/images/chooser/chosen/{}/",
        "/admin/documents/chooser/chosen/{}/",
    ]
    for user in (agency, user_a):
        client.force_login(user)
        for url in urls:
            for value in ["%C2%B2", "%FF%FE", "a" * 300, "1.0"]:
                assert get(client, url.format(value)).status_code == 404, (url, value)
    client.force_login(agency)
    assert get(client, urls[2].format(zebra["image"].pk)).status_code == 200


def test_a_next_that_is_not_a_path_here_is_left_out(client, agency, page_a):
    client.force_login(agency)
    url = reverse("wagtailadmin_pages:lock", args=[page_a.pk])
    for value in ["²", "a\x00b", "-1", "9999-12", "//evil.example/", "https://evil.example/"]:
        response = post(client, url, {"next": value})
        assert response.status_code == 302 and response["Location"].startswith("/admin/"), value
    response = post(client, reverse("wagtailadmin_pages:unlock", args=[page_a.pk]), {"next": "/admin/reports/"})
    assert response["Location"] == "/admin/reports/"


@pytest.mark.parametrize("value", ["", "²", "a\x00b", TWENTY_DIGITS, "9" * 5000, str(10**9)])
def test_a_parent_page_that_names_no_page_is_404(client, agency, page_a, value):
    client.force_login(agency)
    for url, name in [
        (reverse("wagtailadmin_pages:move", args=[page_a.pk]), "new_parent_page"),
        ("/admin/products/choose_parent/", "parent_page"),
        ("/admin/pages/create/catalogue/productpage/", "parent_page"),
    ]:
        assert post(client, url, {name: value}).status_code == 404, (url, value)


def test_chooser_and_rich_text_fields_read_what_is_posted_strictly(client, agency, page_a):
    client.force_login(agency)
    url = reverse("wagtailadmin_pages:edit", args=[page_a.pk])
    form = get(client, url).context["form"]
    data = {name: value for name, value in form.initial.items() if isinstance(value, str | int)}
    for field, value in [
        ("producer", "²"),
        ("producer", "a\x00b"),
        ("producer", TWENTY_DIGITS),
        ("province", "²"),
        ("description", "not json"),
        ("description", "9" * 5000),
        ("description", "20"),
    ]:
        response = post(client, url, {**data, "title": page_a.title, "slug": page_a.slug, field: value})
        assert response.status_code == 200, (field, value)
