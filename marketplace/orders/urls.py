from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("product/<int:page_id>/", views.order_sample, name="order"),
    path("wards/<int:province_id>/", views.province_wards, name="wards"),
    path("<str:token>/", views.detail, name="detail"),
    path("<str:token>/pay/card/", views.pay_by_card, name="pay_card"),
    path("<str:token>/review/", views.review, name="review"),
]
