import pytest

from marketplace.accounts.roles import setup_roles
from tests.factories import ProducerFactory, ProductPageFactory, agency_user, certified_product, producer_user


@pytest.fixture
def roles(site_tree):
    home, index = site_tree
    return setup_roles(home, index)


@pytest.fixture
def agency(roles):
    return agency_user()


@pytest.fixture
def producer_a(roles):
    return ProducerFactory(name="HTX Nước mắm Cửa Khe", slug="htx-nuoc-mam-cua-khe")


@pytest.fixture
def producer_b(roles):
    return ProducerFactory(name="Công ty TNHH Chè Tân Cương", slug="cong-ty-che-tan-cuong")


@pytest.fixture
def user_a(producer_a):
    return producer_user(producer_a, email="a@cuakhe.vn")


@pytest.fixture
def user_b(producer_b):
    return producer_user(producer_b, email="b@tancuong.vn")


@pytest.fixture
def page_a(product_index, producer_a):
    return certified_product(product_index, producer=producer_a, title="Nước mắm Cửa Khe", slug="nuoc-mam-cua-khe")


@pytest.fixture
def page_b(product_index, producer_b):
    return certified_product(product_index, producer=producer_b, title="Chè búp Tân Cương", slug="che-bup-tan-cuong")


@pytest.fixture
def draft_b(product_index, producer_b):
    return ProductPageFactory(parent=product_index, producer=producer_b, title="Trà hoa vàng", live=False)


# Inquiry fixtures (a visitor browsing in English; fresh rate limits for every test).
from tests.marketplace.inquiry_helpers import _fresh_rate_limits, buyer  # noqa: E402, F401


@pytest.fixture
def da_nang():
    from catalogue.models import Province

    return Province.objects.current().get(slug="da-nang")


@pytest.fixture
def sample_a(product_index, producer_a):
    from tests.marketplace.order_helpers import sample_product

    return sample_product(product_index, producer_a)


@pytest.fixture
def zones(db):
    from marketplace.orders.models import ShippingZone

    return [
        ShippingZone.objects.create(name="Europe", countries=["DE", "FR"], fee_vnd=850_000),
        ShippingZone.objects.create(name="Asia", countries=["JP"], fee_vnd=450_000),
    ]


# The tests in this folder assert the English source strings, while the site defaults to Vietnamese
# (marketplace/locale/vi). So the test client asks for English and code called outside a request runs
# in English; test_translations_marketplace.py checks the Vietnamese rendering with a browser that
# states no language.
@pytest.fixture
def client(english_client):
    return english_client


@pytest.fixture(autouse=True)
def _english_outside_requests(english):
    pass
