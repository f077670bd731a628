from django.urls import path

from . import views

app_name = "fairs"

urlpatterns = [
    path("calendar/fairs.ics", views.all_fairs_ics, name="calendar"),
    path("calendar/fairs/<int:page_id>.ics", views.fair_ics, name="fair-calendar"),
    path("meetings/request/<int:exhibitor_id>/", views.request_meeting, name="meeting-request"),
    # Keyed by the request's own access key, never by the form token the form page showed.
    path("meetings/sent/<str:token>/", views.meeting_sent, name="meeting-sent"),
    path("meetings/sent/<str:token>/erase/", views.erase_meeting, name="meeting-erase"),
]
