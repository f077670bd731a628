from django.urls import path

from . import views

app_name = "fairs"

urlpatterns = [
    path("calendar/fairs.ics", views.all_fairs_ics, name="calendar"),
    path("calendar/fairs/<int:page_id>.ics", views.fair_ics, name="fair-calendar"),
    path("meetings/request/<int:exhibitor_id>/", views.request_meeting, name="meeting-request"),
    path("meetings/sent/<uuid:form_token>/", views.meeting_sent, name="meeting-sent"),
    path("meetings/sent/<uuid:form_token>/erase/", views.erase_meeting, name="meeting-erase"),
]
