"""A producer sees nothing of another producer's anywhere in the admin; the agency sees everything.

Producer B's pages, draft, revisions, record, image, document and inquiry all carry the word
"Zebra". Producer A then opens every admin URL the resolver knows, filled in with B's ids, and
no answer may contain that word or be a server error.
"""

import datetime
import json
import re
import uuid

import pytest
import wagtail_factories

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from wagtail.admin.models import EditingSession
from wagtail.models import Collection, Page, TaskState

from catalogue.models import ProductImage
from marketplace.fairs.models import Exhibitor, MeetingRequest
from marketplace.inquiries.models import Inquiry
from marketplace.models import CertificateSubmission
from marketplace.orders.models import SampleOrder
from marketplace.orders.reviews import SampleReview
from tests.factories import ProducerFactory, ProductPageFactory, certified_product, producer_user
from tests.marketplace.fair_helpers import exhibit, fair_index, make_fair
from tests.marketplace.lot_helpers import make_lot

pytestmark = pytest.mark.django_db

MARK = re.compile("zebra", re.IGNORECASE)

# Not pages a producer reads: they log out, reset passwords, or answer every path.
SKIPPED = {
    "wagtailadmin_logout",
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_error_test",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
}


@pytest.fixture
def zebra(roles, agency, product_index, producer_a, page_a, user_a):
    """Producer B with a live page, a draft revision in moderation, a locked page and uploads."""
    producer = ProducerFactory(name="Zebra Tea Cooperative", slug="zebra-tea", registration_number="0109990042")
    owner = producer_user(producer, email="owner@zebra-tea.vn", first_name="Zebra", last_name="Owner")
    page = certified_product(product_index, producer=producer, title="Zebra Oolong", slug="zebra-oolong", owner=owner)
    record = page.certifications.get()
    record.product_name = "Zebra Oolong as issued"
    record.producer_name = producer.name
    record.save()
    record.save_revision(user=owner)
    root = Collection.get_first_root_node()
    image = wagtail_factories.ImageFactory(title="Zebra leaf photo", uploaded_by_user=owner, collection=root)
    # B's page shows A's image and links to A's page: A's usage views must not name B's page.
    image_a = wagtail_factories.ImageFactory(title="Cua Khe bottle", uploaded_by_user=user_a, collection=root)
    ProductImage.objects.create(page=page, image=image, sort_order=0)
    ProductImage.objects.create(page=page, image=image_a, sort_order=1)
    page.description = f'<p>Goes well with <a linktype="page" id="{page_a.pk}">fish sauce</a>.</p>'
    page.save_revision(user=owner, log_action=True).publish(user=agency)
    page = page.specific_class.objects.get(pk=page.pk)
    page.title = "Zebra secret draft"
    revision = page.save_revision(user=owner, log_action=True)
    workflow_state = page.get_workflow().start(page, owner)
    page.locked, page.locked_by, page.locked_at = True, owner, timezone.now()
    page.save(update_fields=["locked", "locked_by", "locked_at"])
    draft = ProductPageFactory(
        parent=product_index, producer=producer, title="Zebra jasmine", slug="zebra-jasmine", live=False, owner=owner
    )
    draft.save_revision(user=owner, log_action=True)
    session = EditingSession.objects.create(
        user=owner,
        content_type=ContentType.objects.get_for_model(Page),
        object_id=str(page.pk),
        last_seen_at=timezone.now(),
    )
    submission = CertificateSubmission.objects.create(
        producer=producer, product=page, submitted_by=owner, note="Zebra renewal", original_name="zebra.pdf"
    )
    submission.file.save("zebra.pdf", ContentFile(b"%PDF-1.4 zebra"), save=True)
    inquiry = Inquiry.objects.create(
        product=page, product_title=page.title, name="Buyer", email="buyer@example.com", consent_at=timezone.now()
    )
    inquiry.recipients.add(producer)
    # Fairs and sample orders: B's application, a buyer's meeting with B and an order of B's.
    fair = make_fair(fair_index(product_index.get_parent()))
    exhibitor = exhibit(fair, page, booth="Z9", status=Exhibitor.Status.ACCEPTED)
    exhibitor.message = "Zebra booth wish"
    exhibitor.save()
    start = timezone.now() + datetime.timedelta(days=10)
    meeting = MeetingRequest.objects.create(
        exhibitor=exhibitor,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30),
        name="Zebra Buyer",
        email="zebra.buyer@example.org",
        country="FR",
        consent_at=start,
    )
    order = SampleOrder.objects.create(
        product=page,
        product_title=page.title,
        producer=producer,
        quantity=1,
        unit_price_vnd=100_000,
        shipping_fee_vnd=30_000,
        shipping_zone="Domestic (Vietnam)",
        total_vnd=130_000,
        usd_rate=25_000,
        total_usd_cents=520,
        name="Zebra Buyer",
        email="zebra.buyer@example.org",
        phone="+33 1 23 45 67 89",
        country="FR",
        city="Paris",
        address_line="1 rue Zebra",
        form_token=uuid.uuid4(),
        consent_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(hours=72),
    )
    review = SampleReview.objects.create(
        order=order, quality=4, packaging=3, communication=5, comment="Zebra Buyer liked the sample"
    )
    # B's production lot: its admin views are B's and the agency's only.
    lot = make_lot(page, code="ZEBRA-1", notes="Zebra lot note")
    return {
        "lot": lot,
        "fair": fair,
        "exhibitor": exhibitor,
        "meeting": meeting,
        "order": order,
        "review": review,
        "producer": producer,
        "owner": owner,
        "page": page,
        "draft": draft,
        "record": record,
        "revision": revision,
        "image": image,
        "image_a": image_a,
        "workflow_state": workflow_state,
        "task_state": TaskState.objects.filter(workflow_state=workflow_state).first(),
        "session": session,
        "submission": submission,
        "inquiry": inquiry,
        "index": product_index,
    }


def admin_patterns():
    """(url name, route, converter names) of every admin URL, namespaces joined."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace])) if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, prefix + str(pattern.pattern), list(pattern.pattern.regex.groupindex)

    return [p for p in walk(get_resolver().url_patterns, "", None) if p[1].lstrip("^").startswith("admin/")]


def fill(name, keys, zebra):
    """URL kwargs pointing at producer B's objects, chosen by the URL's name and argument names."""
    page = zebra["page"]
    by_name = {
        "pk": page.pk,
        "page_id": page.pk,
        "parent_page_id": page.pk,
        "page_to_move_id": page.pk,
        "page_pk": page.pk,
        "destination_id": zebra["index"].pk,
        "revision_id": zebra["revision"].pk,
        "revision_id_a": "earliest",
        "revision_id_b": "latest",
        "task_state_id": getattr(zebra["task_state"], "pk", 1),
        "workflow_state_id": zebra["workflow_state"].pk,
        "task_id": getattr(zebra["task_state"], "task_id", 1),
        "workflow_pk": zebra["workflow_state"].workflow_id,
        "image_id": zebra["image"].pk,
        "document_id": 1,
        "doc_id": 1,
        "uploaded_file_id": 1,
        "collection_id": Collection.get_first_root_node().pk,
        "redirect_id": 1,
        "user_id": zebra["owner"].pk,
        "session_id": zebra["session"].pk,
        "app_label": "wagtailcore",
        "model_name": "page",
        "app_name": "catalogue",
        "content_type_app_name": "catalogue",
        "content_type_model_name": "productpage",
        "object_id": str(page.pk),
        "action": "delete",
        "action_name": "approve",
        "filter_spec": "original",
        "extension": "csv",
        "fair_id": zebra["fair"].pk,
    }
    pk_by_prefix = {
        "wagtailsnippets_catalogue_producer": zebra["producer"].pk,
        "wagtailsnippetchoosers_catalogue_producer": zebra["producer"].pk,
        "wagtailsnippets_catalogue_certification": zebra["record"].pk,
        "wagtailsnippetchoosers_catalogue_certification": zebra["record"].pk,
        "wagtailadmin_api:images": zebra["image"].pk,
        "wagtailimages_chooser": zebra["image"].pk,
        "wagtailusers_users": zebra["owner"].pk,
        "marketplace_submission": zebra["submission"].pk,
        "marketplace_inquiry": zebra["inquiry"].pk,
        "marketplace_producer_profile": zebra["producer"].pk,
        "marketplace_fair_exhibitor": zebra["exhibitor"].pk,
        "marketplace_meeting": zebra["meeting"].pk,
        "marketplace_sample_order": zebra["order"].pk,
        "marketplace_sample_review": zebra["review"].pk,
        "lot_admin": zebra["lot"].pk,
    }
    kwargs = {key: by_name[key] for key in keys}
    if "pk" in kwargs:
        kwargs["pk"] = next((pk for prefix, pk in pk_by_prefix.items() if name.startswith(prefix)), page.pk)
    if name.startswith("wagtailsettings"):
        kwargs.update(app_name="marketplace", model_name="inquirysettings")
    return kwargs


def admin_urls(zebra, skipped=()):
    urls = []
    for name, route, keys in admin_patterns():
        if name in SKIPPED or name in skipped:
            continue
        try:
            urls.append(reverse(name, kwargs=fill(name, keys, zebra)))
        except KeyError:
            raise AssertionError(f"no value for {keys} in {route}") from None
    return urls


def leaks(client, url, **params):
    response = client.get(url, params, follow=True)
    body = response.content.decode(errors="replace")
    problems = []
    if response.status_code >= 500:
        problems.append(f"{url} {params}: {response.status_code}")
    for match in MARK.finditer(body):
        problems.append(f"{url} {params}: …{body[max(0, match.start() - 80) : match.end() + 40]}…")
        break
    return problems


# Over 10 s by design: every admin URL Wagtail and the apps register, each fetched twice (bare and with hostile ids).
def test_producer_reads_nothing_of_another_producer_at_any_admin_url(client, user_a, page_a, zebra):
    client.force_login(user_a)
    client.raise_request_exception = False
    page, producer, index = zebra["page"], zebra["producer"], zebra["index"]
    bulk = [
        reverse("wagtail_bulk_action", args=[app, model, action])
        for app, model, action in [
            ("wagtailcore", "page", "move"),
            ("wagtailcore", "page", "publish"),
            ("wagtailcore", "page", "unpublish"),
            ("catalogue", "producer", "delete"),
            ("catalogue", "certification", "delete"),
            ("wagtailimages", "image", "delete"),
            ("wagtailimages", "image", "add_to_collection"),
        ]
    ]
    # Producer A's own part of the tree, whose listings must not carry B's pages or people.
    own = [
        reverse("wagtailadmin_explore", args=[index.pk]),
        reverse("wagtailadmin_explore_results", args=[index.pk]),
        reverse("wagtailadmin_pages:usage", args=[page_a.pk]),
        reverse("wagtailimages:image_usage", args=[zebra["image_a"].pk]),
        reverse("wagtailimages:edit", args=[zebra["image_a"].pk]),
    ]
    problems = []
    for url in bulk:
        problems += leaks(client, url, id="all", childOf=index.pk)
        problems += leaks(client, url, id=[zebra["image"].pk, producer.pk, zebra["record"].pk])
    for url in own + bulk + admin_urls(zebra):
        problems += leaks(client, url)
        # Listings, choosers and bulk actions read their subject from the query string.
        problems += leaks(
            client, url, id=[page.pk, zebra["draft"].pk], q="Oolong", producer=producer.pk, parent_page_id=page.pk
        )
    assert not problems, "\n".join(problems)


def test_producer_explorer_and_chooser_of_another_page_show_nothing(client, user_a, zebra):
    client.force_login(user_a)
    for url in (
        reverse("wagtailadmin_explore", args=[zebra["page"].pk]),
        reverse("wagtailadmin_explore", args=[zebra["draft"].pk]),
        reverse("wagtailadmin_choose_page_child", args=[zebra["page"].pk]),
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"]) + f"?id={zebra['page'].pk}",
    ):
        assert not MARK.search(client.get(url, follow=True).content.decode()), url


@pytest.mark.parametrize(
    "url",
    [
        "/admin/snippets/catalogue/certification/",
        "/admin/snippets/catalogue/certification/results/",
        "/admin/snippets/catalogue/producer/",
        "/admin/snippets/catalogue/producer/results/",
        "/admin/snippets/choose/catalogue/producer/",
        "/admin/snippets/choose/catalogue/producer/results/",
        "/admin/snippets/choose/catalogue/certification/results/",
    ],
)
def test_agency_admin_search_finds_records_and_producers(client, agency, zebra, url):
    client.force_login(agency)
    queries = ["Zebra", "zeb"] + (["0109990042", "01099"] if "producer" in url else [zebra["record"].decision_number])
    for query in queries:
        response = client.get(url, {"q": query})
        assert response.status_code == 200, query
        body = response.content.decode()
        assert "Zebra Tea Cooperative" in body or "Zebra Oolong" in body, query


def test_agency_finds_a_record_by_its_decision_number_as_written_or_folded(client, agency, zebra):
    client.force_login(agency)
    number = zebra["record"].decision_number  # e.g. 801/QĐ-UBND
    for query in (number, number.replace("Đ", "D").lower(), number.split("/")[0]):
        for url in ("/admin/snippets/catalogue/certification/", "/admin/snippets/choose/catalogue/certification/"):
            assert "Zebra Oolong as issued" in client.get(url, {"q": query}).content.decode(), (url, query)


def test_producer_chooser_search_answers_with_own_producers_only(client, user_a, producer_a, zebra):
    client.force_login(user_a)
    for query in ("Cửa Khe", "cua khe", "Tea Cooperative", "Oolong"):
        for url in ("/admin/snippets/choose/catalogue/producer/", "/admin/snippets/choose/catalogue/producer/results/"):
            response = client.get(url, {"q": query})
            assert response.status_code == 200, (url, query)
            assert not MARK.search(response.content.decode())
    body = client.get("/admin/snippets/choose/catalogue/producer/results/", {"q": "Cửa Khe"}).content.decode()
    assert producer_a.name in body


def test_producer_image_chooser_lists_own_uploads_only(client, user_a, zebra):
    client.force_login(user_a)
    body = client.get(reverse("wagtailimages_chooser:choose")).content.decode()
    assert "Cua Khe bottle" in body and "Zebra leaf photo" not in body


def summary_count(client, url):
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    return int(re.search(rf'href="{re.escape(url)}">\s*(\d+)', body).group(1))


def test_dashboard_counts_a_producers_own_pages_and_images(client, agency, user_a, zebra):
    pages, images = reverse("wagtailadmin_explore", args=[zebra["index"].pk]), reverse("wagtailimages:index")
    client.force_login(user_a)
    assert summary_count(client, pages) == 2  # the products index and A's one product
    assert summary_count(client, images) == 1
    client.force_login(agency)
    assert summary_count(client, images) == 2


def test_agency_still_sees_every_producer_everywhere(client, agency, page_a, zebra):
    client.force_login(agency)
    page = zebra["page"]
    expected = {
        reverse("wagtailadmin_explore", args=[zebra["index"].pk]): "Zebra secret draft",
        reverse("wagtailadmin_explore", args=[page.pk]): "Zebra secret draft",
        reverse("wagtailadmin_reports:locked_pages"): "Zebra",
        reverse("wagtailadmin_reports:site_history"): "Zebra",
        reverse("wagtailadmin_reports:workflow"): "Zebra",
        reverse("wagtailadmin_reports:aging_pages"): "Zebra",
        reverse("wagtailadmin_home"): "Zebra secret draft",
        "/admin/products/": "Zebra Tea Cooperative",
        reverse("wagtailadmin_choose_page_search") + "?q=Oolong": "Zebra",
        reverse("wagtailadmin_pages:search") + "?q=Oolong": "Zebra",
        reverse("wagtailimages_chooser:choose"): "Zebra leaf photo",
        reverse("wagtailadmin_pages:usage", args=[page_a.pk]): "Zebra",
        reverse("wagtailimages:image_usage", args=[zebra["image_a"].pk]): "Zebra",
        reverse("wagtailadmin_reports:page_types_usage"): "Zebra",
        reverse("wagtailsnippetchoosers_catalogue_certification:choose"): "Zebra",
        "/admin/api/main/images/": "Zebra leaf photo",
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"]) + f"?id={page.pk}": "Zebra",
    }
    for url, text in expected.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


def test_producer_posts_to_any_admin_url_change_nothing_of_another_producer(client, user_a, zebra):
    client.force_login(user_a)
    client.raise_request_exception = False
    page, record, image = zebra["page"], zebra["record"], zebra["image"]
    problems = []
    for url in admin_urls(zebra):
        response = client.post(url, {"id": [page.pk], "title": "Hacked", "stars": 5, "next": ""})
        if response.status_code >= 500:
            problems.append(f"POST {url}: {response.status_code}")
        elif MARK.search(response.content.decode(errors="replace")):
            problems.append(f"POST {url}: names producer B")
    assert not problems, "\n".join(problems)
    page.refresh_from_db()
    record.refresh_from_db()
    image.refresh_from_db()
    assert (page.title, page.live, page.locked) == ("Zebra Oolong", True, True)
    assert page.get_latest_revision().content["title"] == "Zebra secret draft"
    assert record.stars == 4 and image.title == "Zebra leaf photo"
    assert zebra["draft"].__class__.objects.filter(pk=zebra["draft"].pk).exists()
    assert type(zebra["session"]).objects.filter(pk=zebra["session"].pk).exists()


def upload_copy_of(client, image):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wagtail.utils.file import hash_filelike

    with image.file.open("rb") as handle:
        content = handle.read()
        image.file_hash = hash_filelike(handle)
    image.save(update_fields=["file_hash"])
    upload = SimpleUploadedFile("copy.jpg", content, content_type="image/jpeg")
    return client.post(reverse("wagtailimages:add_multiple"), {"files[]": upload}).content.decode()


def test_uploading_a_copy_of_another_producers_image_does_not_name_it(client, agency, user_a, zebra):
    client.force_login(user_a)
    answer = upload_copy_of(client, zebra["image"])
    assert not MARK.search(answer)
    # Wagtail names the first duplicate of an unordered query: with producer A's copy left
    # in place PostgreSQL may name that one, so only the original stays for the agency.
    type(zebra["image"]).objects.filter(pk=json.loads(answer)["image_id"]).delete()
    client.force_login(agency)
    assert "Zebra leaf photo" in upload_copy_of(client, zebra["image"])  # the agency is warned of the duplicate
