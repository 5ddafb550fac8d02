from django.urls import path

from . import views

app_name = "investment"

urlpatterns = [
    path("", views.board, name="board"),
    path("list/", views.lead_list, name="list"),
    path("mine/", views.my_leads, name="mine"),
    path("promises/", views.promises, name="promises"),
    path("events/", views.events, name="events"),
    path("channels/", views.channels, name="channels"),
    path("events/new/", views.event_new, name="event_new"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/merge/", views.merge, name="merge"),
    path("leads/new/", views.lead_new, name="lead_new"),
    path("leads/<int:pk>/", views.lead, name="lead"),
    path("leads/<int:pk>/follow-up/", views.follow_up_add, name="follow_up"),
    path("leads/<int:pk>/stage/", views.stage_change, name="stage"),
]
