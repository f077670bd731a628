"""The loaded demo shows a responsive and a slow producer on their producer and product pages, and a
meeting request the slow producer left unanswered waits for the agency."""

import re

import pytest

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from catalogue.models import ProductPage
from marketplace.fairs.models import MeetingRequest
from marketplace.management.commands.load_demo import SLOW_PRODUCT
from tests.factories import agency_user

pytestmark = pytest.mark.django_db

RESPONSIVE = re.compile(r"Usually replies within a day · answered 3 of [34] buyers in the last 6 months")
SLOW = "Usually replies in more than a week · answered 1 of 4 buyers in the last 6 months"


# Over 10 s: the whole demo loads, and the follow-up job runs on it.
def test_demo_shows_a_responsive_and_a_slow_producer_and_an_escalated_meeting(english, client, site_tree):
    call_command("load_demo", verbosity=0)
    responsive = ProductPage.objects.get(slug="binh-gom-men-ran-bat-trang")
    slow = ProductPage.objects.get(slug=SLOW_PRODUCT)
    for page, expected in ((responsive, RESPONSIVE), (slow, re.compile(re.escape(SLOW)))):
        producer = page.producer
        assert producer.responsiveness.inquiries >= 3
        for url in (page.url, reverse("catalogue:producer", args=[producer.slug])):
            html = client.get(url).content.decode()
            assert expected.search(html), (url, producer.name)

    meeting = MeetingRequest.objects.get(escalated_at__isnull=False)
    assert meeting.exhibitor.producer == slow.producer and meeting.status == "requested"
    assert list(meeting.follow_ups.values_list("step", flat=True)) == ["reminded", "escalated"]
    # The job finds both steps taken for this wait: nothing is sent again.
    mail.outbox.clear()
    call_command("follow_up_requests", verbosity=0)
    assert not [m for m in mail.outbox if meeting.reference in m.subject]

    client.force_login(agency_user())
    assert meeting.reference in client.get(reverse("wagtailadmin_home")).content.decode()
    reassign = client.get(reverse("marketplace_meeting_reassign", args=[meeting.pk])).content.decode()
    assert "Công ty CP Chè Đồi Mây Mộc Châu" in reassign  # another tea exhibitor of the fair matches
