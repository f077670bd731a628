"""Demo accounts: one agency login and one producer login for the first demo producer."""

import json
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from catalogue.access import AGENCY_GROUP, PRODUCERS_GROUP
from catalogue.models import Producer, ProducerMembership

from .roles import setup_roles

AGENCY_EMAIL = "agency@ocop.example.vn"
PRODUCER_EMAIL = "producer@ocop.example.vn"


def first_demo_producer(data_file=None):
    """The first producer of catalogue/demo/products.json, or any producer when the file is absent."""
    if data_file is not None and data_file.exists():
        for entry in json.loads(data_file.read_text(encoding="utf-8")).get("producers", []):
            producer = Producer.objects.filter(slug=entry.get("key")).first()
            if producer is not None:
                return producer
    return Producer.objects.order_by("pk").first()


def _account(email, group, first_name, last_name):
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=email, defaults={"email": email, "first_name": first_name, "last_name": last_name}
    )
    # A fresh random password every run: printed by load_demo, never stored in the repository.
    password = secrets.token_urlsafe(9)
    user.set_password(password)
    user.is_active = True
    user.save()
    user.groups.add(Group.objects.get(name=group))
    return user, password


def setup_demo_accounts(data_file=None):
    """Roles, workflow and the two demo logins; returns [(role, email, password, producer or None)]."""
    setup_roles()
    logins = []
    agency, password = _account(AGENCY_EMAIL, AGENCY_GROUP, "Lan", "Trần")
    logins.append(("agency", agency.email, password, None))
    producer = first_demo_producer(data_file)
    if producer is not None:
        user, password = _account(PRODUCER_EMAIL, PRODUCERS_GROUP, "Minh", "Nguyễn")
        ProducerMembership.objects.get_or_create(user=user, producer=producer, defaults={"invited_by": agency})
        logins.append(("producer", user.email, password, producer))
    return logins
