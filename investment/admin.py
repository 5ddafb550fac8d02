"""Admin of investment leads, their stage history and outreach events."""

from django.contrib import admin
from django.utils import timezone

from parkportal.admin import HistoryAdmin, PortalAdmin, PortalInline

from .models import FollowUp, Lead, LeadStageChange, OutreachEvent
from .resources import FollowUpResource, LeadResource, OutreachEventResource
from .services import follow_up_save, lead_save, outreach_event_save


class LeadStageChangeInline(PortalInline):
    """The lead's stage history as recorded; a wrong entry is fixed on its own page."""

    model = LeadStageChange
    fields = ["changed_on", "from_stage", "to_stage", "changed_by", "note", "recorded_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True
    select_related = ("lead", "changed_by")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Lead)
class LeadAdmin(HistoryAdmin):
    sheet = LeadResource.sheet
    list_display = [
        "code",
        "name",
        "industry",
        "channel",
        "stage",
        "asset_type",
        "planned_investment",
        "docked_on",
        "signed_on",
        "park",
    ]
    list_display_links = ["code", "name"]
    list_filter = ["stage", "channel", "asset_type", "industry", "park"]
    search_fields = ["code", "name", "investor", "investor_credit_code", "owner"]
    list_select_related = ["industry", "park"]
    date_hierarchy = "docked_on"
    autocomplete_fields = ["project"]
    inlines = [LeadStageChangeInline]

    def save_model(self, request, obj, form, change):
        previous_stage = form.initial.get("stage", "") if change else ""
        lead_save(
            lead=obj,
            previous_stage=previous_stage,
            user=request.user,
            on=timezone.localdate(),
            note="管理后台修改",
        )


@admin.register(LeadStageChange)
class LeadStageChangeAdmin(PortalAdmin):
    list_display = ["lead", "from_stage", "to_stage", "changed_on", "changed_by", "note"]
    list_filter = ["to_stage", "from_stage"]
    search_fields = ["lead__code", "lead__name", "note"]
    list_select_related = ["lead", "changed_by"]
    date_hierarchy = "changed_on"
    autocomplete_fields = ["lead", "changed_by"]

    def get_changeform_initial_data(self, request):
        return {"changed_by": request.user.pk, **super().get_changeform_initial_data(request)}


@admin.register(OutreachEvent)
class OutreachEventAdmin(HistoryAdmin):
    sheet = OutreachEventResource.sheet
    list_display = [
        "date",
        "name",
        "kind",
        "place",
        "leader",
        "leads_docked",
        "contracts_signed",
        "signed_amount",
    ]
    list_display_links = ["date", "name"]
    list_filter = ["kind"]
    search_fields = ["name", "place", "leader"]
    date_hierarchy = "date"
    autocomplete_fields = ["leads"]

    def save_model(self, request, obj, form, change):
        outreach_event_save(event=obj, user=request.user)


@admin.register(FollowUp)
class FollowUpAdmin(HistoryAdmin):
    sheet = FollowUpResource.sheet
    list_display = ["lead", "date", "method", "by", "next_step", "next_on"]
    list_filter = ["method"]
    search_fields = ["lead__code", "lead__name", "content", "by"]
    list_select_related = ["lead"]
    date_hierarchy = "date"
    autocomplete_fields = ["lead"]
    readonly_fields = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        follow_up_save(follow_up=obj, user=request.user)
