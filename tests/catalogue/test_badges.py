"""The live badge producers embed elsewhere: it follows the record, shows stars only while
valid, and is served as a cookie-free, scriptless, short-lived image (catalogue/badges.py)."""

import datetime
import re
import subprocess
from xml.etree import ElementTree

import pytest
from dateutil.relativedelta import relativedelta

from django.urls import reverse
from django.utils import timezone

from marketplace.accounts.roles import setup_roles
from tests.factories import CertificationFactory, ProducerFactory, agency_user, certified_product, producer_user

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
GREEN, BROWN, RED, INK = "#1f6f43", "#8a5a00", "#b3261e", "#1d2327"


@pytest.fixture
def tea(product_index):
    return certified_product(product_index, stars=4, title="Chè Shan tuyết Mộc Châu", slug="che-shan-tuyet")


def badge(client, url, lang="vi"):
    response = client.get(url, {"lang": lang})
    assert response.status_code == 200, response
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own response, not untrusted input
    texts = [t.text for t in root.iter(f"{SVG}text")]
    stars = len([p for p in root.iter(f"{SVG}polygon") if p.get("class") == "star"])
    frame = next(root.iter(f"{SVG}rect")).get("stroke")
    return {"texts": texts, "stars": stars, "colour": frame, "root": root, "response": response}


def product_badge(client, product, lang="vi"):
    return badge(client, reverse("badges:product", args=[product.pk]), lang)


def record_badge(client, record, lang="vi"):
    return badge(client, reverse("badges:record", args=[record.pk]), lang)


def test_a_valid_record_shows_its_stars_validity_and_product_in_both_languages(client, tea):
    record = tea.certifications.get()
    until = record.expires_on.strftime("%d/%m/%Y")
    vi = product_badge(client, tea, "vi")
    assert vi["stars"] == 4 and vi["colour"] == GREEN
    assert vi["texts"][:3] == ["Đạt chuẩn OCOP", f"Còn hiệu lực đến {until}", "Chè Shan tuyết Mộc Châu"]
    assert vi["texts"][3] == f"Quyết định {record.decision_number} · testserver"
    assert vi["root"].get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
    en = product_badge(client, tea, "en")
    assert en["stars"] == 4 and en["texts"][:2] == ["OCOP certified", f"Valid until {until}"]
    assert en["response"]["Content-Language"] == "en"
    # No lang: Vietnamese, whatever the browser asks for.
    default = client.get(reverse("badges:product", args=[tea.pk]), headers={"accept-language": "en"})
    assert "Đạt chuẩn OCOP" in default.content.decode()


def test_the_badge_follows_the_record_from_valid_to_expired_to_revoked(client, tea):
    record = tea.certifications.get()
    assert product_badge(client, tea)["stars"] == 4

    # Expired: the record's dates moved back past its 36 months.
    record.signed_on = timezone.localdate() - relativedelta(months=36, days=3)
    record.save()
    expired = product_badge(client, tea, "en")
    assert expired["stars"] == 0 and expired["colour"] == BROWN
    assert expired["texts"][:2] == [
        "OCOP certificate expired",
        f"Expired on {record.expires_on:%d/%m/%Y}: no longer valid",
    ]
    assert "Hết hiệu lực" in " ".join(product_badge(client, tea, "vi")["texts"])

    # Back in force, then revoked today: red, no stars, at once.
    record.signed_on = timezone.localdate() - datetime.timedelta(days=30)
    record.save()
    assert product_badge(client, tea)["stars"] == 4
    record.revoked_on = timezone.localdate()
    record.revocation_reason = "Vi phạm an toàn thực phẩm"
    record.save()
    revoked = product_badge(client, tea, "en")
    assert revoked["stars"] == 0 and revoked["colour"] == RED
    assert revoked["texts"][:2] == [
        "OCOP certificate revoked",
        f"Revoked on {timezone.localdate():%d/%m/%Y}: no longer valid",
    ]
    assert "★" not in revoked["root"].get("aria-label")


def test_a_product_badge_follows_the_newer_decision_and_the_old_records_badge_says_superseded(client, tea):
    old = tea.certifications.get()
    newer = CertificationFactory(product=tea, stars=5, signed_on=timezone.localdate() - datetime.timedelta(days=2))
    now = product_badge(client, tea, "en")
    assert now["stars"] == 5 and now["colour"] == GREEN
    assert newer.decision_number in now["texts"][3]
    superseded = record_badge(client, old, "en")
    assert superseded["stars"] == 0 and superseded["colour"] == INK
    assert superseded["texts"][:2] == ["OCOP decision superseded", f"Replaced by decision {newer.decision_number}"]
    assert "bị thay thế" in " ".join(record_badge(client, old, "vi")["texts"])

    # The newer decision revoked: the product has no current record, and the 4★ it
    # superseded does not come back (docs/visibility.md).
    newer.revoked_on = timezone.localdate()
    newer.revocation_reason = "Thu hồi theo đề nghị của chủ thể"
    newer.save()
    after = product_badge(client, tea, "en")
    assert after["stars"] == 0 and after["colour"] == RED and newer.decision_number in after["texts"][3]


def test_no_stars_below_the_standard_or_before_a_decision_takes_effect(client, product_index):
    below = certified_product(product_index, stars=2, slug="below")
    shown = product_badge(client, below, "en")
    assert shown["stars"] == 0 and shown["texts"][:1] == ["Not OCOP certified"]
    future = certified_product(
        product_index, stars=5, slug="future", signed_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    shown = product_badge(client, future, "en")
    assert shown["stars"] == 0 and shown["texts"][0] == "OCOP decision not yet in force"


def test_headers_let_any_site_embed_it_briefly_without_cookies(client, tea, django_user_model):
    # Even for a logged-in visitor of the marketplace: the badge never touches the session.
    client.force_login(django_user_model.objects.create_user("buyer", "buyer@example.vn", "pw"))
    for url, content_type in [
        (reverse("badges:product", args=[tea.pk]), "image/svg+xml; charset=utf-8"),
        (reverse("badges:record", args=[tea.certifications.get().pk]), "image/svg+xml; charset=utf-8"),
        (reverse("badges:product-qr-svg", args=[tea.pk]), "image/svg+xml; charset=utf-8"),
        (reverse("badges:product-qr-png", args=[tea.pk]), "image/png"),
    ]:
        response = client.get(url, {"lang": "en"})
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        cache = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"public", "max-age=300", "must-revalidate"} <= cache
        assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
        assert "Set-Cookie" not in response.headers and not response.cookies
        assert "cookie" not in response.get("Vary", "").lower()
        # Revalidation costs nothing while it did not change.
        again = client.get(url, {"lang": "en"}, headers={"if-none-match": response["ETag"]})
        assert again.status_code == 304 and not again.content


def test_the_svg_carries_no_script_and_no_external_reference(client, product_index):
    hostile = certified_product(
        product_index, slug="hostile", title='Mắm <script>alert(1)</script> & "onload" <a href="http://x">'
    )
    for response in (
        product_badge(client, hostile)["response"],
        client.get(reverse("badges:product-qr-svg", args=[hostile.pk])),
    ):
        body = response.content.decode()
        root = ElementTree.fromstring(body)  # noqa: S314 - our own response
        tags = {element.tag.removeprefix(SVG) for element in root.iter()}
        assert tags <= {"svg", "title", "rect", "path", "polygon", "text", "g"}, tags
        attributes = {name for element in root.iter() for name in element.attrib}
        assert not [name for name in attributes if name.lower().startswith("on") or "href" in name.lower()]
        assert "url(" not in body and "@import" not in body and "<script" not in body
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg\")", body)
    texts = product_badge(client, hostile)["texts"]
    assert texts[2].startswith("Mắm <script>")  # shown as text, cut to length


def test_a_long_name_is_cut_so_the_badge_stays_small(client, product_index):
    long = certified_product(product_index, slug="long", title="Nước mắm " + "truyền thống " * 18)
    shown = product_badge(client, long)
    assert len(shown["texts"][2]) == 40 and shown["texts"][2].endswith("…")
    assert int(shown["root"].get("width")) < 520


@pytest.mark.parametrize(
    "url",
    [
        "/badges/999999.svg",
        "/badges/999999/",
        "/badges/999999/qr.png",
        "/badges/records/999999.svg",
        "/badges/" + "9" * 40 + ".svg",
        "/badges/1.svg?lang=fr",
        "/badges/1.svg?lang=%00",
    ],
)
def test_unknown_products_records_and_languages_answer_404_without_a_redirect(client, url):
    assert client.get(url).status_code == 404


def test_a_product_never_certified_or_a_page_that_is_no_product_has_no_badge(client, tea, product_index):
    tea.certifications.all().delete()
    assert client.get(reverse("badges:product", args=[tea.pk])).status_code == 404
    assert client.get(reverse("badges:product", args=[product_index.pk])).status_code == 404
    assert client.get(reverse("badges:product", args=[tea.pk]), {"lang": "xx"}).status_code == 404


def test_the_badge_link_opens_the_current_record_in_its_language(client, tea):
    old = tea.certifications.get()
    url = reverse("badges:product-record", args=[tea.pk])
    assert client.get(url, {"lang": "en"})["Location"] == f"/en/certifications/{old.pk}/"
    newer = CertificationFactory(product=tea, stars=5, signed_on=timezone.localdate())
    assert client.get(url, {"lang": "vi"})["Location"] == f"/vi/certifications/{newer.pk}/"


def test_the_qr_code_decodes_to_the_records_address(client, tea, tmp_path):
    record = tea.certifications.get()
    png = tmp_path / "qr.png"
    png.write_bytes(client.get(reverse("badges:product-qr-png", args=[tea.pk])).content)
    decoded = subprocess.run(  # noqa: S603 (Debian's zbarimg, fixed arguments)
        ["/usr/bin/zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True, timeout=30, check=True
    ).stdout.strip()
    assert decoded == f"http://testserver/certifications/{record.pk}/"
    # Unprefixed, it opens in the reader's language.
    assert client.get(f"/certifications/{record.pk}/", headers={"accept-language": "en"})["Location"] == (
        f"/en/certifications/{record.pk}/"
    )


@pytest.fixture
def roles(site_tree):
    setup_roles(*site_tree)


def test_the_owner_and_the_agency_copy_the_badge_from_the_product_editor(client, tea, roles):
    owner = producer_user(tea.producer, email="owner@example.vn")
    other = producer_user(ProducerFactory(), email="other@example.vn")
    badge_url = reverse("catalogue_product_badge", args=[tea.pk])
    edit_url = reverse("wagtailadmin_pages:edit", args=[tea.pk])

    client.force_login(owner)
    assert badge_url in client.get(edit_url).content.decode()
    html = client.get(badge_url).content.decode()
    for lang in ("vi", "en"):
        image = f"http://testserver/badges/{tea.pk}.svg?lang={lang}"
        link = f"http://testserver/badges/{tea.pk}/?lang={lang}"
        assert f"&lt;a href=&quot;{link}&quot;&gt;&lt;img src=&quot;{image}&quot;" in html
    assert "Công nhận OCOP của Chè Shan tuyết Mộc Châu" in html
    assert "OCOP certification of Chè Shan tuyết Mộc Châu" in html
    assert f"/badges/{tea.pk}/qr.svg" in html and f"/badges/{tea.pk}/qr.png" in html

    client.force_login(other)
    assert client.get(badge_url).status_code == 404
    assert badge_url not in client.get(reverse("wagtailadmin_explore", args=[tea.get_parent().pk])).content.decode()

    client.force_login(agency_user())
    assert client.get(badge_url).status_code == 200
    assert badge_url in client.get(edit_url).content.decode()

    client.logout()
    assert client.get(badge_url).status_code == 302  # to the login


def test_the_admin_page_says_when_there_is_no_record_yet(client, tea, roles):
    tea.certifications.all().delete()
    client.force_login(agency_user())
    html = client.get(reverse("catalogue_product_badge", args=[tea.pk])).content.decode()
    assert "chưa có hồ sơ công nhận OCOP: huy hiệu sẽ có" in html
    # Not a product: nothing to badge.
    assert client.get(reverse("catalogue_product_badge", args=[tea.get_parent().pk])).status_code == 404
