from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("producers/<slug:slug>/", views.producer_detail, name="producer"),
    path("certifications/<int:pk>/", views.certification_detail, name="certification"),
    path("certifications/<int:pk>/qr.svg", views.certification_qr, name="certification-qr"),
    path("verify/", views.verify, name="verify"),
]
