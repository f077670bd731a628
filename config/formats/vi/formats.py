"""Django's Vietnamese formats, plus the digit grouping they leave out: 1.250.000 ₫, not 1250000 ₫."""

from django.conf.locale.vi.formats import *  # noqa: F403

NUMBER_GROUPING = 3
