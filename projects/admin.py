"""Admin of investment projects, their monthly progress and special-purpose bonds."""

from django.contrib import admin

from parkportal.admin import HistoryAdmin, PortalInline

from .models import Project, ProjectProgress, SpecialBond
from .resources import ProjectProgressResource, ProjectResource, SpecialBondResource
from .services import project_progress_save


class ProjectProgressInline(PortalInline):
    model = ProjectProgress
    select_related = ("project",)


class SpecialBondInline(PortalInline):
    model = SpecialBond
    select_related = ("project",)


@admin.register(Project)
class ProjectAdmin(HistoryAdmin):
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
    inlines = [ProjectProgressInline, SpecialBondInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not ProjectProgress:
            return super().save_formset(request, form, formset, change)
        for progress in formset.save(commit=False):
            project_progress_save(progress=progress, user=request.user)
        for progress in formset.deleted_objects:
            progress.delete()
        return None


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
class SpecialBondAdmin(HistoryAdmin):
    sheet = SpecialBondResource.sheet
    list_display = ["project", "project__park", "year", "amount"]
    list_filter = ["year", "project__park"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project__park"]
    autocomplete_fields = ["project"]
