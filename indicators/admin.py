"""Admin of the indicator catalog, enterprises' monthly figures and parks' targets."""

from django.contrib import admin

from parkportal.admin import PortalAdmin

from .models import Indicator, MonthlyValue, Target
from .resources import MonthlyValueResource, TargetResource


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


@admin.register(Target)
class TargetAdmin(PortalAdmin):
    sheet = TargetResource.sheet
    list_display = ["park", "indicator", "year", "kind", "value"]
    list_filter = ["year", "kind", "indicator", "park"]
    search_fields = ["park__name", "indicator__name"]
    list_select_related = ["park", "indicator"]
