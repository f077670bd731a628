"""The badge's addresses, outside the language prefix: `?lang=vi|en` names the language (catalogue/badges.py)."""

from django.urls import path

from . import badges

app_name = "badges"

urlpatterns = [
    path("<int:product_id>.svg", badges.product_badge, name="product"),
    path("<int:product_id>/", badges.product_record_page, name="product-record"),
    path("<int:product_id>/qr.svg", badges.product_qr, {"fmt": "svg"}, name="product-qr-svg"),
    path("<int:product_id>/qr.png", badges.product_qr, {"fmt": "png"}, name="product-qr-png"),
    path("records/<int:pk>.svg", badges.record_badge, name="record"),
]
