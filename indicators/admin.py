"""Admin of the indicator catalog, enterprises' monthly figures and parks' targets."""

from django import forms
from django.contrib import admin, messages

from parkportal.admin import HistoryAdmin, PortalAdmin

from .choices import ChangeSource
from .models import (
    FigureChange,
    FigureNote,
    Indicator,
    MonthlyValue,
    PeriodEvent,
    PeriodSubmission,
    Target,
)
from .resources import MonthlyValueResource, TargetResource
from .selectors import period_locked
from .services import monthly_value_save, monthly_values_delete


class MonthlyValueForm(forms.ModelForm):
    """Refuses a figure of an approved, locked month, before or after the change."""

    class Meta:
        model = MonthlyValue
        fields = ["enterprise", "indicator", "year", "month", "value"]

    def clean(self):
        data = super().clean()
        periods = []
        if self.instance.pk:
            original = MonthlyValue.objects.select_related("enterprise").get(pk=self.instance.pk)
            periods.append((original.enterprise.park_id, original.year, original.month))
        if data.get("enterprise") and data.get("year") and data.get("month"):
            periods.append((data["enterprise"].park_id, data["year"], data["month"]))
        for park_id, year, month in periods:
            if period_locked(park_id, year, month):
                raise forms.ValidationError(
                    f"该园区{year}年{month}月的数据已审核锁定，不能修改；请先在月度填报中解锁。"
                )
        return data


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
    form = MonthlyValueForm

    def save_model(self, request, obj, form, change):
        monthly_value_save(value=obj, user=request.user, source=ChangeSource.ADMIN)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and period_locked(obj.enterprise.park_id, obj.year, obj.month):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        self.delete_queryset(request, MonthlyValue.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        kept = monthly_values_delete(values=queryset, user=request.user, source=ChangeSource.ADMIN)
        if kept:
            messages.warning(request, f"有{kept}个数据属于已审核锁定的月份，未删除。")


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


class PeriodEventInline(admin.TabularInline):
    model = PeriodEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "user", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PeriodSubmission)
class PeriodSubmissionAdmin(PortalAdmin):
    """The months' workflow; approving and unlocking happen on the entry page."""

    list_display = ["park", "year", "month", "status", "version", "updated_by", "updated_at"]
    list_filter = ["status", "year", "month", "park"]
    list_select_related = ["park", "updated_by"]
    inlines = [PeriodEventInline]
    readonly_fields = ["park", "year", "month", "status", "version", "updated_by", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FigureNote)
class FigureNoteAdmin(PortalAdmin):
    list_display = ["enterprise", "indicator", "year", "month", "text", "written_by", "written_at"]
    list_filter = ["year", "month", "indicator"]
    search_fields = ["enterprise__name", "enterprise__credit_code", "text"]
    list_select_related = ["enterprise", "indicator", "written_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
