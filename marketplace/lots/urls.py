"""Public addresses of lots, under each language like every page a person reads."""

from django.urls import path

from . import views

app_name = "lots"

urlpatterns = [
    path("<int:pk>/", views.lot_detail, name="lot"),
    path("<int:pk>/label/", views.lot_label, name="label"),
    path("<int:pk>/qr.svg", views.lot_qr, name="qr"),
    path("<int:pk>/lot.json", views.lot_json, name="json"),
    path("<int:pk>/epcis.jsonld", views.lot_epcis, name="epcis"),
]
