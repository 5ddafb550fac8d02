"""The API's URLs: /api/<records>/, its OpenAPI schema and its documentation pages."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import views
from .docs import SwaggerView

app_name = "api"

router = DefaultRouter()
router.include_root_view = False
router.register("parks", views.ParkViewSet, basename="park")
router.register("industries", views.IndustryViewSet, basename="industry")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("targets", views.TargetViewSet, basename="target")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("monthly-values", views.MonthlyValueViewSet, basename="monthly-value")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("project-progress", views.ProjectProgressViewSet, basename="project-progress")
router.register("bonds", views.BondViewSet, basename="bond")
router.register("leads", views.LeadViewSet, basename="lead")
router.register("events", views.EventViewSet, basename="event")

urlpatterns = [
    path("monthly-value-sets/", views.FigureSetView.as_view(), name="monthly-value-sets"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
    # Any other address under /api/ answers as the API does: JSON, not the pages' 404.
    re_path(r"^", views.not_found),
]
