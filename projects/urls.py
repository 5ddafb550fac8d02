"""The project pages' URLs."""

from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("projects/", views.project_list_view, name="list"),
    path("projects/issues/", views.issues_view, name="issues"),
    path("projects/briefing/", views.briefing_view, name="briefing"),
    path("projects/<int:pk>/", views.project_view, name="project"),
    path("projects/<int:pk>/edit/", views.project_edit, name="edit"),
    path("projects/<int:pk>/milestones/new/", views.milestone_edit, name="milestone_add"),
    path(
        "projects/<int:pk>/milestones/<int:milestone_pk>/",
        views.milestone_edit,
        name="milestone_edit",
    ),
    path("projects/<int:pk>/issues/new/", views.issue_add, name="issue_add"),
    path(
        "projects/progress/<str:park>/<int:year>/<int:month>/",
        views.progress_entry,
        name="progress_entry",
    ),
    path("projects/issues/<int:issue_pk>/close/", views.issue_close_view, name="issue_close"),
]
