"""factory_boy factories that build realistic catalogue objects."""

import datetime

import factory
import wagtail_factories

from django.utils import timezone

from catalogue.models import Category, Certification, Producer, ProductPage, Province


def current_province(slug="ha-noi"):
    return Province.objects.current().get(slug=slug)


class ProducerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Producer
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"HTX Nông sản sạch số {n}")
    slug = factory.Sequence(lambda n: f"htx-nong-san-sach-{n}")
    legal_form = Producer.LegalForm.COOPERATIVE
    registration_number = factory.Sequence(lambda n: f"0101{n:06d}")
    province = factory.LazyFunction(current_province)
    commune = "Xã Bát Tràng"
    address_line = "Thôn 2"
    phone = "+84 24 3874 0000"
    email = factory.Sequence(lambda n: f"contact{n}@example.vn")


class ProductPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ProductPage

    title = factory.Sequence(lambda n: f"Nước mắm cá cơm số {n}")
    slug = factory.Sequence(lambda n: f"nuoc-mam-ca-com-{n}")
    name_en = factory.Sequence(lambda n: f"Anchovy fish sauce no. {n}")
    producer = factory.SubFactory(ProducerFactory)
    category = factory.LazyFunction(lambda: Category.objects.get(code="1.4.a"))
    province = factory.LazyAttribute(lambda o: o.producer.province)
    description = "<p>Nước mắm truyền thống ủ chượp 12 tháng trong thùng gỗ.</p>"
    moq_quantity = 100
    moq_unit = "bottle"
    price_min_vnd = 85000
    price_max_vnd = 120000
    price_unit = "bottle"


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    product = factory.SubFactory(ProductPageFactory)
    decision_number = factory.Sequence(lambda n: f"{800 + n}/QĐ-UBND")
    issuing_body = "UBND tỉnh Bắc Ninh"
    recognition_level = Certification.Level.PROVINCIAL
    recognition_type = Certification.RecognitionType.FIRST
    stars = 4
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))


def certified_product(parent, stars=4, signed_on=None, revoked_on=None, **page_fields):
    """A published product page with one certification record."""
    page = ProductPageFactory(parent=parent, **page_fields)
    CertificationFactory(
        product=page,
        stars=stars,
        signed_on=signed_on or timezone.localdate() - datetime.timedelta(days=100),
        revoked_on=revoked_on,
        revocation_reason="Không đăng ký đánh giá lại" if revoked_on else "",
    )
    return page


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ["username"]

    email = factory.Sequence(lambda n: f"user{n}@example.vn")
    username = factory.LazyAttribute(lambda o: o.email)
    first_name = "Minh"
    last_name = "Nguyễn"
    password = factory.django.Password("correct horse battery")


def agency_user(email="agency@example.vn", **fields):
    """A member of the Agency group (the group comes from marketplace.accounts.roles.setup_roles)."""
    from django.contrib.auth.models import Group

    user = UserFactory(email=email, **fields)
    user.groups.add(Group.objects.get(name="Agency"))
    return user


def producer_user(producer, email=None, **fields):
    """A member of the Producers group acting for `producer`."""
    from django.contrib.auth.models import Group

    from catalogue.models import ProducerMembership

    user = UserFactory(**({"email": email} if email else {}), **fields)
    user.groups.add(Group.objects.get(name="Producers"))
    ProducerMembership.objects.get_or_create(user=user, producer=producer)
    return user
