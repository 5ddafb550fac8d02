"""Admin of investment projects and their records; every save goes through its door."""

from django.contrib import admin

from parkportal.admin import HistoryAdmin, PortalInline

from .models import (
    Financing,
    LandPlot,
    Meeting,
    Milestone,
    Project,
    ProjectIssue,
    ProjectPlan,
    ProjectProgress,
    SpecialBond,
)
from .resources import (
    FinancingResource,
    LandPlotResource,
    MeetingResource,
    MilestoneResource,
    ProjectIssueResource,
    ProjectPlanResource,
    ProjectProgressResource,
    ProjectResource,
    SpecialBondResource,
)
from .services import (
    bond_save,
    financing_save,
    issue_save,
    land_plot_save,
    meeting_save,
    milestone_save,
    project_plan_save,
    project_progress_save,
    project_save,
)


class DoorAdmin(HistoryAdmin):
    """An admin whose saves go through the record's door (`door(record, user)`)."""

    door = None

    def save_model(self, request, obj, form, change):
        type(self).door(obj, request.user)


def saving(door, keyword):
    """Return `door` called with the record under `keyword`, for DoorAdmin."""
    return staticmethod(lambda record, user: door(**{keyword: record}, user=user))


class ProjectProgressInline(PortalInline):
    model = ProjectProgress
    select_related = ("project",)


class SpecialBondInline(PortalInline):
    model = SpecialBond
    select_related = ("project",)


class ProjectPlanInline(PortalInline):
    model = ProjectPlan
    select_related = ("project",)


class MilestoneInline(PortalInline):
    model = Milestone
    select_related = ("project",)


@admin.register(Project)
class ProjectAdmin(DoorAdmin):
    door = saving(project_save, "project")
    sheet = ProjectResource.sheet
    list_display = [
        "code",
        "name",
        "park",
        "category",
        "stage",
        "total_investment",
        "start_date",
        "completion_date",
        "key_level",
    ]
    list_display_links = ["code", "name"]
    list_filter = ["park", "category", "stage", "key_level"]
    search_fields = ["code", "name", "enterprise__name", "official_in_charge"]
    list_select_related = ["park"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["enterprise"]
    inlines = [ProjectPlanInline, ProjectProgressInline, MilestoneInline, SpecialBondInline]

    def save_formset(self, request, form, formset, change):
        door = {
            ProjectPlan: lambda r: project_plan_save(plan=r, user=request.user),
            ProjectProgress: lambda r: project_progress_save(progress=r, user=request.user),
            Milestone: lambda r: milestone_save(milestone=r, user=request.user),
            SpecialBond: lambda r: bond_save(bond=r, user=request.user),
        }[formset.model]
        for record in formset.save(commit=False):
            door(record)
        for record in formset.deleted_objects:
            record.delete()


@admin.register(ProjectProgress)
class ProjectProgressAdmin(HistoryAdmin):
    sheet = ProjectProgressResource.sheet
    list_display = [
        "project",
        "project__park",
        "year",
        "month",
        "completed_investment",
        "government_investment",
        "social_investment",
    ]
    list_filter = ["year", "month", "project__park"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project__park"]
    autocomplete_fields = ["project"]

    def save_model(self, request, obj, form, change):
        project_progress_save(progress=obj, user=request.user)

    @admin.display(description="其中社会资本投资(万元)")
    def social_investment(self, progress):
        return progress.social_investment


@admin.register(SpecialBond)
class SpecialBondAdmin(DoorAdmin):
    door = saving(bond_save, "bond")
    sheet = SpecialBondResource.sheet
    list_display = ["project", "project__park", "year", "applied", "approved", "amount", "spent"]
    list_filter = ["year", "project__park"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project__park"]
    autocomplete_fields = ["project"]


@admin.register(ProjectPlan)
class ProjectPlanAdmin(DoorAdmin):
    door = saving(project_plan_save, "plan")
    sheet = ProjectPlanResource.sheet
    list_display = ["project", "project__park", "year", "planned_investment", "goal"]
    list_filter = ["year", "project__park"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project__park"]
    autocomplete_fields = ["project"]


@admin.register(Milestone)
class MilestoneAdmin(DoorAdmin):
    door = saving(milestone_save, "milestone")
    sheet = MilestoneResource.sheet
    list_display = ["project", "name", "planned_date", "actual_date", "responsible_unit"]
    list_filter = ["project__park", "name"]
    search_fields = ["project__code", "project__name", "name", "responsible_unit"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]


@admin.register(Meeting)
class MeetingAdmin(HistoryAdmin):
    sheet = MeetingResource.sheet
    list_display = ["held_on", "name", "kind", "chair"]
    list_filter = ["kind"]
    search_fields = ["name", "chair"]
    autocomplete_fields = ["projects"]
    date_hierarchy = "held_on"

    def save_model(self, request, obj, form, change):
        projects = list(form.cleaned_data["projects"])
        meeting_save(meeting=obj, projects=projects, user=request.user)

    def save_related(self, request, form, formsets, change):
        """The door has set the projects; only the inlines are left (there are none)."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(ProjectIssue)
class ProjectIssueAdmin(DoorAdmin):
    door = saving(issue_save, "issue")
    sheet = ProjectIssueResource.sheet
    list_display = [
        "code",
        "project",
        "raised_on",
        "responsible_unit",
        "deadline",
        "solved_on",
    ]
    list_filter = ["responsible_unit", "project__park"]
    search_fields = ["code", "project__code", "project__name", "description"]
    list_select_related = ["project"]
    autocomplete_fields = ["project", "meeting"]


@admin.register(LandPlot)
class LandPlotAdmin(DoorAdmin):
    door = saving(land_plot_save, "plot")
    sheet = LandPlotResource.sheet
    list_display = ["code", "park", "area_mu", "way", "dealt_on", "price_per_mu", "enterprise"]
    list_filter = ["park", "way"]
    search_fields = ["code", "enterprise__name", "project__name"]
    list_select_related = ["park", "enterprise"]
    autocomplete_fields = ["enterprise", "lead", "project"]


@admin.register(Financing)
class FinancingAdmin(DoorAdmin):
    door = saving(financing_save, "financing")
    sheet = FinancingResource.sheet
    list_display = ["code", "received_on", "way", "amount", "enterprise", "project"]
    list_filter = ["way"]
    search_fields = ["code", "enterprise__name", "project__name", "note"]
    list_select_related = ["enterprise", "project"]
    autocomplete_fields = ["enterprise", "project"]
