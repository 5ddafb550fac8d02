from django.contrib import admin
from django.urls import path

from . import views

app_name = "workbook"

# Served under the admin site, behind its log-in and staff check.
urlpatterns = [
    path("import/", admin.site.admin_view(views.import_upload), name="import"),
    path("import/<int:pk>/", admin.site.admin_view(views.import_preview), name="import_preview"),
    path(
        "import/<int:pk>/progress/",
        admin.site.admin_view(views.import_progress),
        name="import_progress",
    ),
    path(
        "import/<int:pk>/confirm/",
        admin.site.admin_view(views.import_confirm),
        name="import_confirm",
    ),
    path("export/", admin.site.admin_view(views.export), name="export"),
    path("template/", admin.site.admin_view(views.template), name="template"),
]
