"""The admin of the year's plan: every save through the task's door."""

from django.contrib import admin

from parkportal.admin import HistoryAdmin

from .models import PlanTask
from .resources import PlanTaskResource
from .services import plan_task_save


@admin.register(PlanTask)
class PlanTaskAdmin(HistoryAdmin):
    sheet = PlanTaskResource.sheet
    list_display = ["code", "year", "title", "unit", "deadline", "measure", "subject", "target"]
    list_display_links = ["code", "title"]
    list_filter = ["year", "measure", "unit"]
    search_fields = ["code", "title", "unit", "subject"]
    date_hierarchy = "deadline"

    def save_model(self, request, obj, form, change):
        plan_task_save(task=obj, user=request.user, reason="管理后台")
