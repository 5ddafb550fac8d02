from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("entry/", views.entry_start, name="entry_start"),
    path("entry/<str:park>/<int:year>/<int:month>/", views.entry, name="entry"),
    path("completeness/", views.completeness_view, name="completeness"),
    path(
        "completeness/<int:year>/<int:month>/",
        views.completeness_view,
        name="completeness_month",
    ),
    path("enterprises/<int:pk>/history/", views.enterprise_history, name="enterprise_history"),
]
