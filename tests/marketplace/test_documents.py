"""Producers upload certificate documents for the agency to check; nobody else sees them."""

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketplace.models import CertificateSubmission

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% Quyet dinh cong nhan OCOP\n%%EOF\n"


def upload(client, producer, product=None, name="quyet-dinh-828.pdf"):
    return client.post(
        reverse("marketplace_submissions"),
        {
            "producer": producer.pk,
            "product": product.pk if product else "",
            "note": "Quyết định 828/QĐ-UBND, đánh giá lại 2026",
            "file": SimpleUploadedFile(name, PDF, content_type="application/pdf"),
        },
    )


def test_producer_uploads_and_agency_checks(client, user_a, agency, producer_a, page_a):
    client.force_login(user_a)
    assert upload(client, producer_a, page_a).status_code == 302
    submission = CertificateSubmission.objects.get()
    assert submission.submitted_by == user_a and submission.original_name == "quyet-dinh-828.pdf"
    assert "quyet-dinh" not in submission.file.name  # stored under an unguessable name
    download = client.get(reverse("marketplace_submission_download", args=[submission.pk]))
    assert b"".join(download.streaming_content) == PDF

    client.force_login(agency)
    assert "quyet-dinh-828.pdf" in client.get(reverse("marketplace_submissions")).content.decode()
    client.post(reverse("marketplace_submission_review", args=[submission.pk]), {"decision": "accepted"})
    submission.refresh_from_db()
    assert submission.status == "accepted" and submission.reviewed_by == agency
    # Checking a document changes nothing in the record: stars and dates stay the agency's edit.
    assert page_a.certifications.get().stars == 4


def test_other_producers_cannot_list_download_or_review(client, user_a, user_b, producer_a, producer_b, page_a):
    client.force_login(user_a)
    upload(client, producer_a, page_a)
    submission = CertificateSubmission.objects.get()
    client.force_login(user_b)
    assert "quyet-dinh-828.pdf" not in client.get(reverse("marketplace_submissions")).content.decode()
    assert client.get(reverse("marketplace_submission_download", args=[submission.pk])).status_code == 404
    response = client.post(reverse("marketplace_submission_review", args=[submission.pk]), {"decision": "accepted"})
    assert response.status_code in (302, 403)
    submission.refresh_from_db()
    assert submission.status == "pending"


def test_producer_cannot_upload_for_another_producer(client, user_a, producer_b, page_b):
    client.force_login(user_a)
    response = upload(client, producer_b, page_b)
    assert response.status_code == 200
    assert not CertificateSubmission.objects.exists()


def test_only_documents_are_accepted(client, user_a, producer_a):
    client.force_login(user_a)
    response = upload(client, producer_a, name="virus.exe")
    assert "Upload a PDF or a photo" in response.content.decode()
