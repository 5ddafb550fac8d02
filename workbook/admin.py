"""Admin of the workbook imports: the record of each upload and its result."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from parkportal.admin import PortalAdmin

from .models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(PortalAdmin):
    list_display = ["filename", "status", "uploaded_by", "uploaded_at", "result"]
    list_filter = ["status"]
    search_fields = ["filename", "sha256"]
    list_select_related = ["uploaded_by"]
    date_hierarchy = "uploaded_at"
    exclude = ["content"]
    readonly_fields = [
        "filename",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "status",
        "started_at",
        "finished_at",
        "summary",
    ]

    @admin.display(description="结果")
    def result(self, batch):
        return format_html(
            '<a href="{}">查看</a>', reverse("workbook:import_preview", args=[batch.pk])
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
