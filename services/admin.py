"""The admin of the service desk's cases: every save through the case's door."""

from django.contrib import admin

from parkportal.admin import HistoryAdmin

from .models import ServiceCase
from .resources import ServiceCaseResource
from .services import service_case_save


@admin.register(ServiceCase)
class ServiceCaseAdmin(HistoryAdmin):
    sheet = ServiceCaseResource.sheet
    list_display = ["code", "kind", "enterprise", "received_on", "category", "unit", "closed_on"]
    list_display_links = ["code"]
    list_filter = ["kind", "channel", "category", "unit"]
    list_select_related = ["enterprise"]
    search_fields = ["code", "subject", "unit", "enterprise__name"]
    autocomplete_fields = ["enterprise", "project"]
    date_hierarchy = "received_on"

    def save_model(self, request, obj, form, change):
        service_case_save(case=obj, user=request.user, reason="管理后台")

    def has_delete_permission(self, request, obj=None):
        # a case is closed with its outcome, never deleted: the counts of past periods stand
        return False
