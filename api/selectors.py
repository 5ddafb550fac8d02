"""The API's reads: every record kind, scoped by user as the pages scope it.

Each returns a ready queryset (its own select_related), so a list serializes without a
query per row. The scope is always the register's own: `Park.objects.visible_to(user)`
and `Enterprise.objects.visible_to(user)`; a record of a park (a project, its progress
and bonds, a lead, a target, a park-month) is visible when its park is.
"""

from django.db.models import OuterRef, Q, QuerySet, Subquery

from indicators.models import Indicator, MonthlyValue, PeriodSubmission, Target
from investment.models import Lead, OutreachEvent
from parkportal.choices import Role
from parkportal.models import Enterprise, Industry, Park
from parkportal.roles import user_role
from projects.models import Project, ProjectProgress, SpecialBond


def parks(user) -> QuerySet[Park]:
    return Park.objects.visible_to(user).select_related("parent").order_by("sort_order", "code")


def industries(user) -> QuerySet[Industry]:
    """Return the 5+5 industries: a register every role reads."""
    return Industry.objects.all() if user_role(user) else Industry.objects.none()


def indicators(user) -> QuerySet[Indicator]:
    """Return the indicator catalog, the active ones first in their order."""
    if not user_role(user):
        return Indicator.objects.none()
    return Indicator.objects.order_by("-is_active", "sort_order", "code")


def enterprises(user) -> QuerySet[Enterprise]:
    return (
        Enterprise.objects.visible_to(user)
        .select_related("park", "industry")
        .order_by("park__sort_order", "park__code", "name", "pk")
    )


def targets(user) -> QuerySet[Target]:
    return (
        Target.objects.filter(park__in=Park.objects.visible_to(user))
        .select_related("park", "indicator")
        .order_by("-year", "park__code", "indicator__sort_order", "kind")
    )


def periods(user) -> QuerySet[PeriodSubmission]:
    """Return the park-months' workflow records (status and version) of the user's parks."""
    return (
        PeriodSubmission.objects.filter(park__in=Park.objects.visible_to(user))
        .select_related("park")
        .order_by("-year", "-month", "park__code")
    )


def sees_drafts(user) -> bool:
    """Return whether `user` reads draft figures too: those who enter figures (staff of
    their parks, admins), as on the entry page; leaders read official figures only."""
    return user_role(user) in (Role.STAFF, Role.ADMIN)


def monthly_values(user, *, official_only: bool = False) -> QuerySet[MonthlyValue]:
    """Return the monthly figures `user` may read, each with its park-month's workflow
    state (`period_status`, None for a month without a record: a draft).

    Leaders read official figures only (indicators.official); staff and admins read
    their parks' drafts too, unless `official_only`.
    """
    figures = MonthlyValue.objects.filter(enterprise__in=Enterprise.objects.visible_to(user))
    if official_only or not sees_drafts(user):
        figures = figures.official()
    status = PeriodSubmission.objects.filter(
        park_id=OuterRef("enterprise__park_id"), year=OuterRef("year"), month=OuterRef("month")
    ).values("status")[:1]
    return (
        figures.annotate(period_status=Subquery(status))
        .select_related("enterprise__park", "indicator")
        .order_by("-year", "-month", "enterprise__park__code", "enterprise_id", "indicator_id")
    )


def projects(user) -> QuerySet[Project]:
    return (
        Project.objects.filter(park__in=Park.objects.visible_to(user))
        .select_related("park", "enterprise")
        .order_by("park__code", "code")
    )


def project_progress(user) -> QuerySet[ProjectProgress]:
    """Return the projects' monthly progress `user` may read: leaders the official
    reports only (ProjectProgress.objects.official), as the pages count them; staff and
    admins their parks' drafts too, as the monthly grid shows them."""
    reports = ProjectProgress.objects.all()
    if not sees_drafts(user):
        reports = reports.official()
    return (
        reports.filter(project__park__in=Park.objects.visible_to(user))
        .select_related("project")
        .order_by("project__code", "-year", "-month")
    )


def bonds(user) -> QuerySet[SpecialBond]:
    return (
        SpecialBond.objects.filter(project__park__in=Park.objects.visible_to(user))
        .select_related("project")
        .order_by("-year", "project__code")
    )


def leads(user) -> QuerySet[Lead]:
    """Return the leads of the user's parks; leads without an intended park belong to the
    zone as a whole, which leaders and admins read (staff are bound to parks)."""
    scope = Q(park__in=Park.objects.visible_to(user))
    if user_role(user) in (Role.LEADER, Role.ADMIN):
        scope |= Q(park__isnull=True)
    return (
        Lead.objects.filter(scope)
        .select_related("park", "industry", "project")
        .order_by("-docked_on", "code")
    )


def events(user) -> QuerySet[OutreachEvent]:
    """Return the outreach events: the zone's, with no park; every role reads them, as
    every year-end report (a park's too) lists them."""
    if not user_role(user):
        return OutreachEvent.objects.none()
    return OutreachEvent.objects.order_by("-date", "name")
