"""Admin of the register (zones and parks, industries, enterprises, staff's parks),
and the base classes every app's admin shares."""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from simple_history.admin import SimpleHistoryAdmin

from .choices import ParkKind
from .models import Enterprise, Industry, Park, ParkMembership
from .resources import EnterpriseResource, IndustryResource, ParkResource
from .services import (
    enterprise_delete,
    enterprise_has_figures,
    enterprise_refusal,
    enterprise_save,
)


class PortalAdmin(admin.ModelAdmin):
    """The settings every admin of the portal shares."""

    list_per_page = 50
    # A blank cell means "not reported": it reads as the reports' dash, never as zero.
    empty_value_display = "—"
    change_list_template = "admin/portal_change_list.html"
    # The workbook sheet of this model, if it has one: its list page exports it.
    sheet: str | None = None


class HistoryAdmin(SimpleHistoryAdmin, PortalAdmin):
    """The admin of a model that keeps its change history: its "历史" page lists every
    version of a row, who saved it and why (the import file, for imported rows)."""


class EnterpriseForm(forms.ModelForm):
    """Refuses a change of park, status or 入统 that would change an approved month."""

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the form's values
        if self.instance.pk and not self.errors:
            refusal = enterprise_refusal(self.instance)
            if refusal:
                self.add_error(None, refusal)


class LabelledInlineFormSet(forms.BaseInlineFormSet):
    """An inline formset whose every input says what it is and which row it belongs to.

    A tabular inline shows a field's name once, in the column's header, so its inputs
    have no label of their own: a screen reader reads "编辑框" a hundred times.
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = "新增行" if index is None else f"第{index + 1}行"
        for field in form.fields.values():
            field.widget.attrs.setdefault("aria-label", f"{row}：{field.label}")


class PortalInline(admin.TabularInline):
    """A tabular inline of the rows there are, without blank forms, every input labelled."""

    extra = 0
    formset = LabelledInlineFormSet
    # The relations each row's label (its __str__) reads, joined so that a row costs no query.
    select_related: tuple[str, ...] = ()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # select_related() without arguments would follow every foreign key.
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset


@admin.display(description="企业数", ordering="enterprise_count")
def enterprise_count(obj) -> int:
    """Return the count annotated by the admin's get_queryset()."""
    return obj.enterprise_count


class ParkMembershipForm(forms.ModelForm):
    """Shows ParkMembership.clean()'s refusal of the zone on a park's page too.

    There the park is the inline's hidden field, whose errors the admin does not show:
    they move to the row.
    """

    def _post_clean(self):
        super()._post_clean()
        park = self.fields.get("park")
        if park is not None and park.widget.is_hidden and "park" in self.errors:
            for message in self.errors.pop("park"):
                self.add_error(None, message)


class ParkMembershipInline(PortalInline):
    # Each row's user widget loads its user: one query a row, for a park's handful of staff.
    model = ParkMembership
    form = ParkMembershipForm
    autocomplete_fields = ["user"]
    select_related = ("user", "park")


@admin.register(Park)
class ParkAdmin(HistoryAdmin):
    sheet = ParkResource.sheet
    list_display = [
        "code",
        "name",
        "kind",
        "parent",
        "focus_industry_names",
        "planned_area_mu",
        "assessment_category",
        enterprise_count,
        "statistical_enterprise_count",
        "sort_order",
    ]
    list_display_links = ["code", "name"]
    list_filter = ["kind", ("parent", admin.RelatedOnlyFieldListFilter), "focus_industries"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    filter_horizontal = ["focus_industries"]
    inlines = [ParkMembershipInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                enterprise_count=Count("enterprises"),
                statistical_enterprise_count=Count(
                    "enterprises", filter=Q(enterprises__in_statistics=True)
                ),
            )
            .prefetch_related("focus_industries")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Park.clean() accepts only a zone as parent; offer nothing else.
        if db_field.name == "parent":
            kwargs["queryset"] = Park.objects.filter(kind=ParkKind.ZONE)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="主导产业")
    def focus_industry_names(self, park) -> str:
        return "、".join(industry.name for industry in park.focus_industries.all())

    @admin.display(description="入统企业数", ordering="statistical_enterprise_count")
    def statistical_enterprise_count(self, park) -> int:
        return park.statistical_enterprise_count


@admin.register(Industry)
class IndustryAdmin(HistoryAdmin):
    sheet = IndustryResource.sheet
    list_display = ["name", "group", "sort_order", enterprise_count]
    list_filter = ["group"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(enterprise_count=Count("enterprises"))


@admin.register(Enterprise)
class EnterpriseAdmin(HistoryAdmin):
    sheet = EnterpriseResource.sheet
    list_display = [
        "name",
        "credit_code",
        "park",
        "industry",
        "in_statistics",
        "scale_category",
        "status",
        "established_on",
    ]
    list_filter = ["park", "industry", "in_statistics", "scale_category", "status"]
    search_fields = ["name", "credit_code"]
    list_select_related = ["park", "industry"]
    form = EnterpriseForm

    def save_model(self, request, obj, form, change):
        enterprise_save(enterprise=obj, user=request.user)

    def has_delete_permission(self, request, obj=None):
        # An enterprise with figures is deregistered (注销), never deleted.
        if obj is not None and enterprise_has_figures(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        enterprise_delete(enterprise=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for enterprise in queryset:
            enterprise_delete(enterprise=enterprise, user=request.user)


@admin.register(ParkMembership)
class ParkMembershipAdmin(HistoryAdmin):
    list_display = ["user", "park"]
    list_filter = ["park"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "park__name"]
    list_select_related = ["user", "park"]
    ordering = ["park", "user__username"]
    autocomplete_fields = ["user"]
