"""Writes of projects' records: one door per record kind.

Each door checks the record (`full_clean`), saves it and leaves its change history
with the user and the reason (the import file, for imported rows), in one
transaction. The pages, the admin, the workbook import and any command write
through here, so each save is checked and audited alike.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from parkportal.data_version import data_version_bump

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


def _checked_save(record: Model, *, user, reason: str) -> None:
    """Check `record`, then save it with who wrote it and why in its change history, and
    bump the data version the reports' cache is keyed by (in the door's transaction)."""
    record.full_clean()
    if user is not None and user.is_authenticated:
        record._history_user = user
    if reason:
        record._change_reason = reason
    record.save()
    data_version_bump()


@transaction.atomic
def project_save(*, project: Project, user=None, reason: str = "") -> Project:
    """Check and save a project's facts (stage, dates, budget …)."""
    _checked_save(project, user=user, reason=reason)
    return project


@transaction.atomic
def project_progress_save(*, progress: ProjectProgress, user=None, reason: str = ""):
    """Check and save a project's progress of a month, recorded in its change history
    with the user and `reason` (the import file, for imported rows).

    The admin (its page and the project's inline), the workbook import and any
    command save progress through here, so each save is checked and audited alike.
    """
    _checked_save(progress, user=user, reason=reason)
    return progress


@transaction.atomic
def project_plan_save(*, plan: ProjectPlan, user=None, reason: str = "") -> ProjectPlan:
    """Check and save a project's plan of a year (planned investment, goal)."""
    _checked_save(plan, user=user, reason=reason)
    return plan


@transaction.atomic
def milestone_save(*, milestone: Milestone, user=None, reason: str = "") -> Milestone:
    """Check and save a project's milestone; an actual date may not lie in the future."""
    if milestone.actual_date is not None and milestone.actual_date > timezone.localdate():
        raise ValidationError({"actual_date": "实际完成日期不能晚于今天。"})
    _checked_save(milestone, user=user, reason=reason)
    return milestone


@transaction.atomic
def bond_save(*, bond: SpecialBond, user=None, reason: str = "") -> SpecialBond:
    """Check and save a project's special-purpose bond of a year: applied, approved,
    received and spent."""
    _checked_save(bond, user=user, reason=reason)
    return bond


@transaction.atomic
def meeting_save(
    *, meeting: Meeting, projects: list[Project] | None = None, user=None, reason: str = ""
) -> Meeting:
    """Check and save a meeting and, when given, the projects it took up."""
    _checked_save(meeting, user=user, reason=reason)
    if projects is not None:
        meeting.projects.set(projects)
    return meeting


@transaction.atomic
def issue_save(*, issue: ProjectIssue, user=None, reason: str = "") -> ProjectIssue:
    """Check and save an issue raised for a project (closing one: `issue_close`)."""
    _checked_save(issue, user=user, reason=reason)
    return issue


@transaction.atomic
def issue_close(*, issue: ProjectIssue, solved_on: date, solution: str, user=None) -> ProjectIssue:
    """Close an open issue with its solution on `solved_on`: an issue closes only with
    the way it was solved."""
    issue = ProjectIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.solved_on is not None:
        raise ValidationError(f"问题{issue.code}已于{issue.solved_on:%Y-%m-%d}办结。")
    if not solution.strip():
        raise ValidationError({"solution": "请填写解决情况。"})
    issue.solved_on = solved_on
    issue.solution = solution.strip()
    return issue_save(issue=issue, user=user, reason="问题办结")


@transaction.atomic
def land_plot_save(*, plot: LandPlot, user=None, reason: str = "") -> LandPlot:
    """Check and save a plot of land supplied."""
    _checked_save(plot, user=user, reason=reason)
    return plot


@transaction.atomic
def financing_save(*, financing: Financing, user=None, reason: str = "") -> Financing:
    """Check and save funding secured for an enterprise or a project."""
    _checked_save(financing, user=user, reason=reason)
    return financing
