from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/series/", views.dashboard_series, name="dashboard_series"),
    path("enterprises/", views.directory, name="directory"),
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("reports/year-end/", views.year_end, name="year_end"),
    path("reports/year-end/rows/", views.year_end_rows, name="year_end_rows"),
]
