from django.urls import path

from . import outlier_views, review_views, views

app_name = "indicators"

urlpatterns = [
    path("entry/", views.entry_start, name="entry_start"),
    path("entry/<str:park>/<int:year>/<int:month>/", views.entry, name="entry"),
    path("completeness/", review_views.completeness_view, name="completeness"),
    path(
        "completeness/<int:year>/<int:month>/",
        review_views.completeness_view,
        name="completeness_month",
    ),
    path("review/", review_views.review_queue_view, name="review"),
    path(
        "review/<str:park>/<int:year>/<int:month>/",
        review_views.review_month,
        name="review_month",
    ),
    path("remind/<str:park>/<int:year>/<int:month>/", review_views.remind, name="remind"),
    path("outliers/", outlier_views.outliers_view, name="outliers"),
    path("outliers/mark/", outlier_views.outlier_mark, name="outlier_mark"),
    path("enterprises/<int:pk>/history/", views.enterprise_history, name="enterprise_history"),
]
