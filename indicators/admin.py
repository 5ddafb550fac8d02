"""Admin of the indicator catalog, enterprises' monthly figures and parks' targets."""

from django.contrib import admin

from parkportal.admin import HistoryAdmin, PortalAdmin

from .choices import ChangeSource
from .models import FigureChange, Indicator, MonthlyValue, Target
from .resources import MonthlyValueResource, TargetResource
from .services import monthly_value_save


@admin.register(Indicator)
class IndicatorAdmin(PortalAdmin):
    list_display = ["code", "name", "unit", "kind", "allows_negative", "is_active", "sort_order"]
    list_display_links = ["code", "name"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request, obj=None):
        # Code (indicators/codes.py) and import files refer to an indicator by its code.
        if obj is not None:
            return ["code"]
        return []


@admin.register(MonthlyValue)
class MonthlyValueAdmin(PortalAdmin):
    sheet = MonthlyValueResource.sheet
    list_display = ["enterprise", "enterprise__park", "indicator", "year", "month", "value"]
    list_filter = [
        "indicator",
        "year",
        "month",
        "enterprise__park",
        "enterprise__in_statistics",
    ]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    list_select_related = ["enterprise__park", "indicator"]
    autocomplete_fields = ["enterprise"]
    # The biggest table: spare the second full COUNT(*) behind "N total" on filtered lists.
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        monthly_value_save(value=obj, user=request.user, source=ChangeSource.ADMIN)


@admin.register(FigureChange)
class FigureChangeAdmin(PortalAdmin):
    list_display = [
        "changed_at",
        "enterprise",
        "indicator",
        "year",
        "month",
        "old_value",
        "new_value",
        "changed_by",
        "source",
        "reference",
    ]
    list_filter = ["source", "indicator", "year"]
    search_fields = ["enterprise__name", "enterprise__credit_code", "reference"]
    list_select_related = ["enterprise", "indicator", "changed_by"]
    date_hierarchy = "changed_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Target)
class TargetAdmin(HistoryAdmin):
    sheet = TargetResource.sheet
    list_display = ["park", "indicator", "year", "kind", "value"]
    list_filter = ["year", "kind", "indicator", "park"]
    search_fields = ["park__name", "indicator__name"]
    list_select_related = ["park", "indicator"]
