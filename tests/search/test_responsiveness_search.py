"""The reply-time filter and sort (`responds`, `sort=responsive`) on both engines, from the figures
the marketplace stores in catalogue.Responsiveness."""

import pytest

from django.utils import timezone

from catalogue.models import Responsiveness
from tests.factories import ProducerFactory

from .conftest import listed, titles

pytestmark = pytest.mark.django_db


def measured(producer, inquiries, answered, minutes):
    return Responsiveness.objects.create(
        producer=producer,
        inquiries=inquiries,
        answered=answered,
        median_reply_minutes=minutes,
        computed_at=timezone.now(),
    )


@pytest.fixture
def shelf(engine, product_index):
    fast, slow, new, silent = (ProducerFactory() for _ in range(4))
    pages = {
        "honey": listed(product_index, "Mật ong Hòa Bình", stars=3, producer=fast),
        "tea": listed(product_index, "Trà shan tuyết", stars=5, producer=slow),
        "rice": listed(product_index, "Gạo ST25", stars=4, producer=new),
        "pepper": listed(product_index, "Tiêu Phú Quốc", stars=4, producer=silent),
    }
    measured(fast, 10, 9, 120)  # two working hours
    measured(slow, 4, 2, 900)  # within two working days
    measured(new, 2, 2, 10)  # fast, but two inquiries say nothing yet
    measured(silent, 5, 0, None)  # never answered
    return pages


def test_filter_keeps_producers_replying_within_the_days_asked(find, shelf):
    assert titles(find(responds="1")) == {"Mật ong Hòa Bình"}
    assert titles(find(responds="2")) == {"Mật ong Hòa Bình", "Trà shan tuyết"}
    assert titles(find(responds="5", q="tra")) == {"Trà shan tuyết"}


def test_sort_puts_the_fastest_first_and_the_unmeasured_last(find, shelf):
    order = [hit.title for hit in find(sort="responsive").hits]
    assert order[:2] == ["Mật ong Hòa Bình", "Trà shan tuyết"]
    # Unmeasured ones after, by stars then newest, as every other sort breaks ties.
    assert set(order[2:]) == {"Gạo ST25", "Tiêu Phú Quốc"}


def test_a_bad_value_is_a_message_not_a_filter(find, shelf, english):
    result = find(responds="3")
    assert len(result.hits) == 4
    assert result.messages == ["Reply time must be 1, 2 or 5 working days; showing every producer."]


def test_new_figures_reach_the_index(find, shelf):
    row = Responsiveness.objects.get(producer=shelf["tea"].producer)
    row.median_reply_minutes = 300
    row.save()
    assert titles(find(responds="1")) == {"Mật ong Hòa Bình", "Trà shan tuyết"}
    row.delete()
    assert titles(find(responds="2")) == {"Mật ong Hòa Bình"}


def test_search_page_and_api_take_the_filter(client, engine, shelf):
    page = client.get("/en/search/", {"responds": "1"}).content.decode()
    assert '<option value="1" selected>Replies within a day</option>' in page
    assert "Mật ong Hòa Bình" in page and "Trà shan tuyết" not in page
    data = client.get("/api/v1/products/", {"responds": "2", "sort": "responsive"}).json()
    assert [item["name"] for item in data["items"]] == ["Mật ong Hòa Bình", "Trà shan tuyết"]
    assert data["items"][0]["producer"]["responsiveness"]["median_reply_hours"] == 2.0
