import pytest

from django.utils import translation

from tests.factories import certified_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def tea(product_index):
    return certified_product(
        product_index, stars=4, title="Chè Shan tuyết Hà Giang", slug="che-shan-tuyet", name_en="Shan Tuyet tea"
    )


def test_product_page_shows_stars_record_link_and_qr(client, tea):
    record = tea.certifications.get()
    html = client.get(tea.url).content.decode()
    assert "4★ OCOP" in html
    assert f'href="{record.get_absolute_url()}"' in html
    assert f"/vi/certifications/{record.pk}/qr.svg" in html
    assert record.decision_number in html
    assert "Shan Tuyet tea" in html


def test_qr_code_encodes_the_record_url(client, tea):
    record = tea.certifications.get()
    response = client.get(f"/vi/certifications/{record.pk}/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml") and b"<svg" in response.content
    assert client.get("/vi/certifications/999999/qr.svg").status_code == 404


def test_verify_finds_records_by_decision_product_or_producer(client, tea):
    record = tea.certifications.get()
    for query in (record.decision_number, "che shan tuyet", tea.producer.name.upper()):
        html = client.get("/vi/verify/", {"q": query}).content.decode()
        assert "Tìm thấy 1 hồ sơ." in html, query
        assert record.get_absolute_url() in html
    html = client.get("/vi/verify/", {"q": "rượu giả"}).content.decode()
    assert "Không có hồ sơ nào khớp với" in html


def test_verify_rejects_bad_input_without_a_500(client, tea):
    translation.activate("en")  # asserts the English source strings, at the /en/ addresses
    response = client.get("/en/verify/", {"q": "x" * 10_000})
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()
    assert client.get("/en/verify/", {"q": "\x00\x1f che"}).status_code == 200
    assert client.get("/en/verify/", {"q": "che", "page": "-1"}).status_code == 200
    assert client.get("/en/verify/", {"q": "che", "page": "abc"}).status_code == 200


def test_unknown_record_and_producer_are_404(client, db):
    assert client.get("/vi/certifications/424242/").status_code == 404
    assert client.get("/vi/producers/no-such-producer/").status_code == 404


def test_producer_page(client, tea):
    translation.activate("en")  # asserts the English source strings, at the /en/ addresses
    html = client.get(tea.producer.get_absolute_url()).content.decode()
    assert tea.producer.name in html
    assert "Cooperative" in html
    assert tea.url in html


def test_admin_preview_of_a_draft_without_a_record_renders(rf, product_index, django_user_model):
    from tests.factories import ProductPageFactory

    draft = ProductPageFactory(parent=product_index, live=False, title="Mật ong bạc hà")
    request = rf.get("/")
    request.user = django_user_model.objects.create_superuser("agency", "a@example.vn", "pw")
    response = draft.serve_preview(request, draft.default_preview_mode)
    html = response.render().content.decode()
    assert "Mật ong bạc hà" in html
    assert "Chưa có hồ sơ công nhận còn hiệu lực" in html
