from django.urls import path

from . import views

app_name = "inquiries"

urlpatterns = [
    path("product/<int:page_id>/", views.product_inquiry, name="product"),
    path("sourcing/", views.sourcing_request, name="sourcing"),
    # Keyed by the thread's private key, never by the form token the form page showed.
    path("sent/<str:token>/", views.sent, name="sent"),
    path("thread/<str:token>/", views.thread, name="thread"),
    path("thread/<str:token>/erase/", views.erase, name="erase"),
]
