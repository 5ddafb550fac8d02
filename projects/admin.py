"""Admin of investment projects and their records; every save goes through its door."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

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
    EntryRefused,
    bond_save,
    financing_save,
    issue_save,
    land_plot_save,
    meeting_save,
    milestone_save,
    progress_problems,
    progress_refusal,
    project_plan_save,
    project_progress_change,
    project_progress_delete,
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


class ProjectProgressForm(forms.ModelForm):
    """Refuses a change of progress in a submitted or approved park-month, before or
    after the change, as the month's grid does; the door checks again under the
    month's lock."""

    class Meta:
        model = ProjectProgress
        fields = ["project", "year", "month", "completed_investment", "government_investment"]

    def clean(self):
        data = super().clean()
        if self.instance.pk and not self.has_changed():
            return data  # a row left as it was (the project's other rows being saved)
        periods = []
        if self.instance.pk:
            stored = ProjectProgress.objects.select_related("project").get(pk=self.instance.pk)
            periods.append((stored.project.park_id, stored.year, stored.month))
        project = data.get("project") or getattr(self.instance, "project", None)
        if project is not None and data.get("year") and data.get("month"):
            periods.append((project.park_id, data["year"], data["month"]))
        refusal = progress_refusal(periods)
        if refusal:
            raise forms.ValidationError(refusal)
        if project is not None and not self.errors:
            checked = ProjectProgress(
                pk=self.instance.pk,
                project=project,
                **{name: data.get(name) for name in ("year", "month")},
                completed_investment=data.get("completed_investment"),
                government_investment=data.get("government_investment"),
            )
            stored = ProjectProgress.objects.filter(pk=self.instance.pk).first()
            for name, message in progress_problems(checked, stored).items():
                self.add_error(name, message)
        return data


def progress_refused(request, refused: EntryRefused | ValidationError, what: str) -> None:
    """Say on the admin's page why the progress door refused, and that nothing was done."""
    text = refused.message if isinstance(refused, EntryRefused) else "；".join(refused.messages)
    messages.error(request, f"{what}：{text}")


class ProjectProgressInline(PortalInline):
    model = ProjectProgress
    form = ProjectProgressForm
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
            ProjectProgress: lambda r: project_progress_change(progress=r, user=request.user),
            Milestone: lambda r: milestone_save(milestone=r, user=request.user),
            SpecialBond: lambda r: bond_save(bond=r, user=request.user),
        }[formset.model]
        records = formset.save(commit=False)
        if formset.model is ProjectProgress:
            # The month's workflow decides, under its lock: a row refused is said, not saved.
            for record in records:
                try:
                    door(record)
                except (EntryRefused, ValidationError) as refused:
                    progress_refused(request, refused, f"{record}未保存")
            try:
                project_progress_delete(records=formset.deleted_objects, user=request.user)
            except EntryRefused as refused:
                progress_refused(request, refused, "项目进度未删除")
            return
        for record in records:
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

    form = ProjectProgressForm

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return
        try:
            project_progress_change(progress=obj, user=request.user)
        except (EntryRefused, ValidationError) as refused:  # the month moved on meanwhile
            progress_refused(request, refused, "未保存")

    def has_delete_permission(self, request, obj=None):
        if obj is not None and progress_refusal([(obj.project.park_id, obj.year, obj.month)]):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        self.delete_queryset(request, ProjectProgress.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        try:
            project_progress_delete(records=queryset.select_related("project"), user=request.user)
        except EntryRefused as refused:
            progress_refused(request, refused, "未删除任何项目进度")

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
