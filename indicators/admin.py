"""Admin of the indicator catalog, enterprises' monthly figures and parks' targets."""

from django import forms
from django.contrib import admin, messages

from parkportal.admin import HistoryAdmin, PortalAdmin

from .choices import ChangeSource
from .domain import ERROR, WARNING
from .figures import FiguresInvalid, FiguresRefused, figures_refusal, figures_write
from .models import (
    FigureChange,
    FigureNote,
    Indicator,
    MonthlyValue,
    OutlierMark,
    PeriodEvent,
    PeriodSubmission,
    Reminder,
    ReportingCalendar,
    Target,
    ValidationRule,
)
from .resources import MonthlyValueResource, TargetResource
from .rules import changed_rule_breaches
from .selectors import period_locked


def _key(value: MonthlyValue) -> tuple[int, int, int, int]:
    return (value.enterprise_id, value.indicator_id, value.year, value.month)


def _changes(keys: list, value) -> dict:
    """Return the change the form makes: the figure at its new place (the last key), and
    None at its old one when it moved."""
    return {**dict.fromkeys(keys[:-1]), keys[-1]: value}  # a figure left in place: one key


class MonthlyValueForm(forms.ModelForm):
    """Refuses a figure of an approved, locked month, before or after the change; the
    figures' door checks again when it writes."""

    class Meta:
        model = MonthlyValue
        fields = ["enterprise", "indicator", "year", "month", "value"]

    def clean(self):
        data = super().clean()
        keys = []
        if self.instance.pk:
            keys.append(_key(MonthlyValue.objects.get(pk=self.instance.pk)))
        if all(data.get(name) for name in ("enterprise", "indicator", "year", "month")):
            keys.append((data["enterprise"].pk, data["indicator"].pk, data["year"], data["month"]))
        refusal = figures_refusal(keys)
        if refusal:
            raise forms.ValidationError(refusal)
        complete = all(data.get(name) for name in ("enterprise", "indicator", "year", "month"))
        if complete and data.get("value") is not None:
            # The office's validation rules: an error refuses the figure, a warning is
            # said once it is saved.
            breaches = changed_rule_breaches(_changes(keys, data["value"]))
            self.rule_warnings = [b.text for b in breaches if b.level == WARNING]
            errors = [b.text for b in breaches if b.level == ERROR]
            if errors:
                raise forms.ValidationError({"value": errors})
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
        changes = {_key(obj): obj.value}
        if change:  # a figure moved to another enterprise or month leaves its old place
            original = MonthlyValue.objects.get(pk=obj.pk)
            if _key(original) != _key(obj):
                changes[_key(original)] = None
        try:
            figures_write(
                changes=changes,
                user=request.user,
                source=ChangeSource.ADMIN,
                validate=lambda stored: [
                    b.text for b in changed_rule_breaches(changes, stored) if b.level == ERROR
                ],
            )
        except FiguresInvalid as invalid:  # a figure beside it changed since the form checked
            messages.error(request, f"未保存：{'；'.join(invalid.problems)}")
            return
        for warning in getattr(form, "rule_warnings", []):
            messages.warning(request, f"已保存，但请核实：{warning}")
        obj.pk = (
            MonthlyValue.objects.filter(
                enterprise_id=obj.enterprise_id,
                indicator_id=obj.indicator_id,
                year=obj.year,
                month=obj.month,
            )
            .values_list("pk", flat=True)
            .first()
        )

    def has_delete_permission(self, request, obj=None):
        if obj is not None and period_locked(obj.enterprise.park_id, obj.year, obj.month):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        self.delete_queryset(request, MonthlyValue.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        keys = [
            (e, i, y, m)
            for e, i, y, m in queryset.values_list("enterprise_id", "indicator_id", "year", "month")
        ]
        try:
            figures_write(changes=dict.fromkeys(keys), user=request.user, source=ChangeSource.ADMIN)
        except FiguresRefused as refused:
            messages.error(request, f"未删除任何数据：{refused.message}")


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


@admin.register(ReportingCalendar)
class ReportingCalendarAdmin(HistoryAdmin):
    """A year's reporting deadline; a year without one is due on REPORTING_DEADLINE_DAY."""

    list_display = ["year", "deadline_day"]
    ordering = ["-year"]


@admin.register(Reminder)
class ReminderAdmin(PortalAdmin):
    """The reminders sent, kept as sent: they are sent from the completeness page and the
    review queue (indicators.reminders.reminder_send)."""

    list_display = ["park", "year", "month", "sent_by", "sent_at", "message", "mailed_to"]
    list_filter = ["year", "month", "park"]
    list_select_related = ["park", "sent_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ValidationRule)
class ValidationRuleAdmin(HistoryAdmin):
    """The office's own checks of each enterprise-month, run by the entry page, the
    import and this admin's figures alike (indicators.rules)."""

    list_display = ["name", "formula", "scope", "severity", "is_active"]
    list_filter = ["is_active", "severity", "scope"]
    search_fields = ["name", "message"]
    list_select_related = ["left", "right"]
    fieldsets = [
        (
            None,
            {
                "fields": ["name", "left", "operator", "right_side", "right", "constant"],
                "description": (
                    "规则比较同一企业同一月份的两个数：库中存放的本年累计数（存量指标为月末数），"
                    "各按指标自身的单位（金额为万元）。任一边没有数据（未填报）时，规则不触发。"
                ),
            },
        ),
        ("适用企业", {"fields": ["scope", "scale_category", "industry"]}),
        ("提示", {"fields": ["severity", "message", "is_active"]}),
    ]

    @admin.display(description="规则")
    def formula(self, rule):
        return rule.formula


@admin.register(OutlierMark)
class OutlierMarkAdmin(HistoryAdmin):
    """The marks given on the outlier page (indicators.outliers.outlier_mark_save)."""

    list_display = [
        "enterprise",
        "indicator",
        "year",
        "month",
        "value",
        "verdict",
        "note",
        "marked_by",
        "marked_at",
    ]
    list_filter = ["verdict", "year", "indicator"]
    search_fields = ["enterprise__name", "note"]
    list_select_related = ["enterprise", "indicator", "marked_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
