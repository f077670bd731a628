"""get_FOO_display() through catalogue.choices: the labels Django gives, for every choice of
every field of the models that use it, in both languages, and the value itself for a value
that is not a choice."""

import pytest

from django.db import models
from django.utils import translation

from catalogue import choices
from catalogue.models import Certification, Producer, ProductPage, QualityCertification

pytestmark = pytest.mark.django_db  # a new page reads its default locale

MODELS = [ProductPage, Producer, Certification, QualityCertification]


def fields_with_choices(model):
    # A multiple CountryField has choices but no flat list of them (nor a usable display).
    return [field for field in model._meta.concrete_fields if field.choices and field.flatchoices is not None]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_label_is_djangos_in_the_active_language(model, language):
    fields = fields_with_choices(model)
    assert fields, model
    with translation.override(language):
        for field in fields:
            display = f"get_{field.name}_display"
            for value in [value for value, _label in field.flatchoices] + ["not-a-choice", ""]:
                instance = model(**{field.attname: value})
                ours = getattr(instance, display)()
                assert ours == models.Model._get_FIELD_display(instance, field), (field.name, value)
            assert (model, field.attname) in choices._LABELS  # built through the mixin, once


def test_a_label_follows_the_language_it_is_read_in():
    producer = Producer(legal_form=Producer._meta.get_field("legal_form").flatchoices[0][0])
    with translation.override("vi"):
        vietnamese = producer.get_legal_form_display()
    with translation.override("en"):
        english = producer.get_legal_form_display()
    assert vietnamese != english
