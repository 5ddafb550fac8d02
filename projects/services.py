"""Writes of projects' records: one door per record kind.

Each door checks the record (`full_clean`), saves it and leaves its change history
with the user and the reason (the import file, for imported rows), in one
transaction. The pages, the admin, the workbook import and any command write
through here, so each save is checked and audited alike.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from indicators.workflow import (
    EntryRefused,
    period_for_update,
    refuse_unless_editable,
    refuse_unless_enters,
)
from parkportal import cells
from parkportal.data_version import data_version_bump
from parkportal.display import wan
from parkportal.register_lock import register_door, registers_import
from parkportal.services import (
    RegisterImported,
    records_compare,
    records_write,
    register_import,
    register_result,
)

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
from .selectors import ProgressLine, progress_lines


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


@register_door
def project_save(*, project: Project, user=None, reason: str = "") -> Project:
    """Check and save a project's facts (stage, dates, budget …)."""
    _checked_save(project, user=user, reason=reason)
    return project


# ------------------------------------------------------------ a register, many rows at once


@registers_import
def projects_import(
    *,
    projects: Sequence[Project],
    errors: Mapping[int, Mapping[str, list[str]]] | None = None,
    user=None,
    reason: str = "",
) -> RegisterImported:
    """Create or change many projects at once (the workbook's 项目 sheet), by the rules
    of `project_save`, in a few statements whatever their number.

    `projects` are new instances, or stored ones with the new values set; `errors` what
    the caller found already, per position and field (those rows are not checked
    further, as on the row path). Each new or changed project is checked as
    `full_clean` would (its fields, its check constraints), as the row path checks the
    rows it writes; with any error nothing is written. Otherwise the new and changed
    ones are written with their change history (the user and `reason`), and the data
    version is bumped; projects equal to the stored ones write nothing.
    """
    return register_import(Project, projects, errors, key=("code",), user=user, reason=reason)


@registers_import
def plans_import(
    *,
    plans: Sequence[ProjectPlan],
    errors: Mapping[int, Mapping[str, list[str]]] | None = None,
    user=None,
    reason: str = "",
) -> RegisterImported:
    """Create or change many projects' plans of a year at once (the workbook's 项目计划
    sheet), by the rules of `project_plan_save`, as `projects_import` does projects."""
    return register_import(
        ProjectPlan, plans, errors, key=("project", "year"), user=user, reason=reason
    )


@transaction.atomic
def progress_import(
    *,
    progress: Sequence[ProjectProgress],
    errors: Mapping[int, Mapping[str, list[str]]] | None = None,
    user=None,
    reason: str = "",
) -> RegisterImported:
    """Create or change many projects' monthly progress at once (the workbook's 项目进度
    sheet), by the rules of `progress_import_save`, as `projects_import` does projects.

    A blank 政府财政性投资 is none of it. Before the new and changed reports are
    written, their park-months are locked, and those with no workflow record yet are
    approved, logged as this import's approval (as the monthly sheet does).
    """
    from indicators.figures import lock_periods

    for report in progress:
        if report.government_investment is None:
            report.government_investment = Decimal(0)

    def lock(created, changed) -> None:
        lock_periods(
            {(r.project.park_id, r.year, r.month) for r in [*created, *changed]},
            approve_new=True,
            user=user if user is not None and user.is_authenticated else None,
            reason=reason,
        )

    return register_import(
        ProjectProgress,
        progress,
        errors,
        key=("project", "year", "month"),
        user=user,
        reason=reason,
        before_write=lock,
    )


@transaction.atomic
def project_progress_save(*, progress: ProjectProgress, user=None, reason: str = ""):
    """Check and save a project's progress of a month, recorded in its change history
    with the user and `reason` (the import file, for imported rows).

    The admin (its page and the project's inline), the workbook import and any
    command save progress through here, so each save is checked and audited alike.
    """
    _checked_save(progress, user=user, reason=reason)
    return progress


def progress_refusal(periods) -> str | None:
    """Return why a single change of project progress in the park-months `periods`
    (park id, year, month) is refused, or None: as on the month's 项目进度 grid, a month
    submitted (已上报) or approved (已审核锁定) is not edited."""
    from indicators.choices import PeriodStatus
    from indicators.models import PeriodSubmission

    for park_id, year, month in sorted(set(periods)):
        record = (
            PeriodSubmission.objects.filter(park_id=park_id, year=year, month=month)
            .exclude(status=PeriodStatus.DRAFT)
            .select_related("park")
            .first()
        )
        if record is not None:
            try:
                refuse_unless_editable(record)
            except EntryRefused as refused:
                return refused.message
    return None


def _lock_editable(periods) -> None:
    """Lock the park-months `periods` for this transaction (the lock the grid and the
    figures' door take) and refuse (EntryRefused) unless each is editable."""
    from indicators.figures import lock_periods

    records, _ = lock_periods(periods)
    for key in sorted(records):
        refuse_unless_editable(records[key])


def _progress_period(progress: ProjectProgress) -> tuple[int, int, int]:
    return (progress.project.park_id, progress.year, progress.month)


def progress_problems(progress: ProjectProgress, stored: ProjectProgress | None = None):
    """Return what the month's grid would say of `progress` as a row of its park-month
    (`_row_errors`: 政府财政性投资 above 本年累计, 本年累计 below an earlier month's or
    above a later one's), by model field; `stored` is the record as it stands, if any."""
    same_year = ProjectProgress.objects.filter(
        project_id=progress.project_id, year=progress.year
    ).exclude(pk=progress.pk)
    earlier = same_year.filter(month__lt=progress.month).order_by("-month").first()
    later = same_year.filter(month__gt=progress.month).order_by("month").first()
    line = ProgressLine(
        project=progress.project,
        planned=None,
        previous=earlier.completed_investment if earlier else None,
        previous_month=earlier.month if earlier else None,
        completed=stored.completed_investment if stored else None,
        government=stored.government_investment if stored else None,
        following=later.completed_investment if later else None,
        following_month=later.month if later else None,
    )

    def typed(value) -> str:
        return "" if value is None else str(value)

    row = ProgressRow(
        project_id=progress.project_id,
        completed=typed(progress.completed_investment),
        government=typed(progress.government_investment),
        shown_completed="",
        shown_government="",
    )
    fields = {"completed": "completed_investment", "government": "government_investment"}
    return {
        fields[column]: message
        for column, message in _row_errors(line, row, progress.month).items()
    }


@transaction.atomic
def project_progress_change(*, progress: ProjectProgress, user, reason: str = ""):
    """Save a single change of a project's month's progress made outside the month's
    grid (the admin's page and the project's inline) by the grid's rules.

    Under the park-month's lock, refused (EntryRefused, in Chinese) while the month, or
    the month a changed record leaves, is submitted or approved; then checked as a grid
    row is (`_row_errors`: 政府财政性投资 above 本年累计, 本年累计 below an earlier
    month's or above a later one's; ValidationError at the field) and saved by
    `project_progress_save`.
    """
    periods = {_progress_period(progress)}
    stored = None
    if progress.pk is not None:
        stored = ProjectProgress.objects.select_related("project").get(pk=progress.pk)
        periods.add(_progress_period(stored))
    _lock_editable(periods)
    problems = progress_problems(progress, stored)
    if problems:
        raise ValidationError(problems)
    return project_progress_save(progress=progress, user=user, reason=reason)


@transaction.atomic
def project_progress_delete(*, records, user) -> int:
    """Delete project progress records made outside the month's grid (the admin), all or
    nothing: refused (EntryRefused) while one's park-month is submitted or approved.
    Each deletion is kept in the record's change history with the user."""
    records = list(records)
    _lock_editable({_progress_period(record) for record in records})
    for record in records:
        if user is not None and user.is_authenticated:
            record._history_user = user
        record.delete()
    if records:
        data_version_bump()
    return len(records)


@transaction.atomic
def progress_import_save(*, progress: ProjectProgress, user=None, reason: str = ""):
    """Save an imported progress report (the 项目进度 sheet) as the monthly sheet saves
    the enterprises' figures: a park-month with no workflow record yet becomes approved,
    logged as this import's approval, so an admin's import of the zone's history counts
    for leaders at once (docs/domain.md, "Projects: the month's progress")."""
    from indicators.figures import lock_periods

    project = progress.project
    lock_periods(
        {(project.park_id, progress.year, progress.month)},
        approve_new=True,
        user=user if user is not None and user.is_authenticated else None,
        reason=reason,
    )
    return project_progress_save(progress=progress, user=user, reason=reason)


@register_door
def project_plan_save(*, plan: ProjectPlan, user=None, reason: str = "") -> ProjectPlan:
    """Check and save a project's plan of a year (planned investment, goal)."""
    _checked_save(plan, user=user, reason=reason)
    return plan


@register_door
def milestone_save(*, milestone: Milestone, user=None, reason: str = "") -> Milestone:
    """Check and save a project's milestone; an actual date may not lie in the future."""
    refusal = milestone_refusal(milestone)
    if refusal:
        raise ValidationError(refusal)
    _checked_save(milestone, user=user, reason=reason)
    return milestone


@register_door
def bond_save(*, bond: SpecialBond, user=None, reason: str = "") -> SpecialBond:
    """Check and save a project's special-purpose bond of a year: applied, approved,
    received and spent."""
    _checked_save(bond, user=user, reason=reason)
    return bond


@register_door
def meeting_save(
    *, meeting: Meeting, projects: list[Project] | None = None, user=None, reason: str = ""
) -> Meeting:
    """Check and save a meeting and, when given, the projects it took up."""
    _checked_save(meeting, user=user, reason=reason)
    if projects is not None:
        meeting.projects.set(projects)
    return meeting


@register_door
def issue_save(*, issue: ProjectIssue, user=None, reason: str = "") -> ProjectIssue:
    """Check and save an issue raised for a project (closing one: `issue_close`)."""
    _checked_save(issue, user=user, reason=reason)
    return issue


@register_door
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


@register_door
def land_plot_save(*, plot: LandPlot, user=None, reason: str = "") -> LandPlot:
    """Check and save a plot of land supplied."""
    _checked_save(plot, user=user, reason=reason)
    return plot


@register_door
def financing_save(*, financing: Financing, user=None, reason: str = "") -> Financing:
    """Check and save funding secured for an enterprise or a project."""
    _checked_save(financing, user=user, reason=reason)
    return financing


def milestone_refusal(milestone: Milestone) -> dict[str, list[str]] | None:
    """Return why a milestone is refused beyond `full_clean`, by field, or None: an
    actual date after today."""
    if milestone.actual_date is not None and milestone.actual_date > timezone.localdate():
        return {"actual_date": ["实际完成日期不能晚于今天。"]}
    return None


# ------------------------------------------------ the other project sheets, many rows at once


@registers_import
def milestones_import(
    *,
    milestones: Sequence[Milestone],
    errors: Mapping[int, Mapping[str, list[str]]] | None = None,
    user=None,
    reason: str = "",
) -> RegisterImported:
    """Create or change many projects' milestones at once (the workbook's 项目节点 sheet),
    by the rules of `milestone_save`, as `projects_import` does projects: a new or
    changed milestone whose actual date lies after today is refused at 实际完成日期
    (one `full_clean` refused already is told what `full_clean` says alone)."""
    return register_import(
        Milestone,
        milestones,
        errors,
        key=("project", "name"),
        user=user,
        reason=reason,
        refusal=lambda milestone, found: None if found else milestone_refusal(milestone),
    )


@registers_import
def bonds_import(
    *,
    bonds: Sequence[SpecialBond],
    errors: Mapping[int, Mapping[str, list[str]]] | None = None,
    user=None,
    reason: str = "",
) -> RegisterImported:
    """Create or change many projects' special-purpose bonds of a year at once (the
    workbook's 专项债券 sheet), by the rules of `bond_save`, as `projects_import` does
    projects. A blank 到位资金 is none received yet."""
    for bond in bonds:
        if bond.amount is None:
            bond.amount = Decimal(0)
    return register_import(
        SpecialBond, bonds, errors, key=("project", "year"), user=user, reason=reason
    )


@registers_import
def meetings_import(
    *,
    meetings: Sequence[Meeting],
    projects: Sequence[Sequence[Project] | None] | None = None,
    errors: Mapping[int, Mapping[str, list[str]]] | None = None,
    user=None,
    reason: str = "",
) -> RegisterImported:
    """Create or change many meetings at once (the workbook's 调度会议 sheet), by the
    rules of `meeting_save`, as `projects_import` does projects.

    `projects` are the projects each meeting took up, by position (None, or no list at
    all: the meeting's projects stay as they are). A meeting whose projects alone differ
    from the stored ones is changed: it is written with its history row, as a save of
    it would be, and its projects are set.
    """
    result = register_result(errors)
    given = list(projects) if projects is not None else [None] * len(meetings)
    through = Meeting.projects.through
    stored_ids = [m.pk for m in meetings if m.pk is not None]
    links: dict[int, dict[int, int]] = {}  # meeting → project → link id
    for start in range(0, len(stored_ids), 900):
        for link, meeting, project in through.objects.filter(
            meeting_id__in=stored_ids[start : start + 900]
        ).values_list("pk", "meeting_id", "project_id"):
            links.setdefault(meeting, {})[project] = link
    created, changed, changed_fields, _ = records_compare(Meeting, meetings, result)
    written = {id(m) for m in [*created, *changed]}
    wanted = []  # each meeting written or relinked, with the project ids it takes up
    for position, meeting in enumerate(meetings):
        if position in result.errors or given[position] is None:
            continue
        ids = {project.pk for project in given[position]}
        if id(meeting) in written:
            wanted.append((meeting, ids))
        elif ids != set(links.get(meeting.pk, {})):
            wanted.append((meeting, ids))
            changed.append(meeting)
            result.updated += 1
            result.unchanged -= 1
    if result.errors:
        return result
    # A meeting whose projects alone changed is rewritten as it stands, for its history.
    records_write(
        key=("held_on", "name"),
        created=created,
        changed=changed,
        changed_fields=changed_fields or ({"name"} if changed else set()),
        user=user,
        reason=reason,
    )
    dropped, added = [], []
    for meeting, ids in wanted:
        stored = links.get(meeting.pk, {})
        dropped.extend(link for project, link in stored.items() if project not in ids)
        added.extend(
            through(meeting_id=meeting.pk, project_id=project)
            for project in sorted(ids)
            if project not in stored
        )
    for start in range(0, len(dropped), 900):
        through.objects.filter(pk__in=dropped[start : start + 900]).delete()
    through.objects.bulk_create(added, batch_size=500)
    if created or changed:
        data_version_bump()
    return result


@registers_import
def issues_import(
    *,
    issues: Sequence[ProjectIssue],
    errors: Mapping[int, Mapping[str, list[str]]] | None = None,
    user=None,
    reason: str = "",
) -> RegisterImported:
    """Create or change many projects' issues at once (the workbook's 项目问题 sheet),
    each known by its 问题编号, by the rules of `issue_save`, as `projects_import` does
    projects."""
    return register_import(ProjectIssue, issues, errors, key=("code",), user=user, reason=reason)


@registers_import
def land_plots_import(
    *,
    plots: Sequence[LandPlot],
    errors: Mapping[int, Mapping[str, list[str]]] | None = None,
    user=None,
    reason: str = "",
) -> RegisterImported:
    """Create or change many plots of land supplied at once (the workbook's 土地供应
    sheet), each known by its 地块编号, by the rules of `land_plot_save`, as
    `projects_import` does projects."""
    return register_import(LandPlot, plots, errors, key=("code",), user=user, reason=reason)


@registers_import
def financing_import(
    *,
    financing: Sequence[Financing],
    errors: Mapping[int, Mapping[str, list[str]]] | None = None,
    user=None,
    reason: str = "",
) -> RegisterImported:
    """Create or change many records of funding secured at once (the workbook's 融资
    sheet), each known by its 融资编号, by the rules of `financing_save`, as
    `projects_import` does projects."""
    return register_import(Financing, financing, errors, key=("code",), user=user, reason=reason)


# ---------------------------------------------------------------- a park-month's progress

COLUMNS = {"completed": "本年累计完成投资", "government": "其中政府财政性投资"}
PROGRESS_REASON = "月度填报"

__all__ = [
    "COLUMNS",
    "EntryRefused",
    "ProgressConflict",
    "ProgressInvalid",
    "ProgressMalformed",
    "ProgressRow",
    "period_progress_save",
    "progress_import_save",
]


@dataclass(frozen=True)
class ProgressRow:
    """A row of the progress grid as posted: what was typed, and what the page showed
    (the row's version: a save is refused when the stored row is no longer that)."""

    project_id: int
    completed: str
    government: str
    shown_completed: str
    shown_government: str


class ProgressMalformed(Exception):
    """A post the grid did not send: a project not in the park's grid, a shown value
    the page would not write."""


class ProgressInvalid(Exception):
    """Rows that fail a check: nothing was stored. `lines` are the grid with what was
    typed and each error at its column; `messages` name the project and the column."""

    def __init__(self, lines: list[ProgressLine], messages: list[str]):
        super().__init__("; ".join(messages))
        self.lines = lines
        self.messages = messages


class ProgressConflict(Exception):
    """Rows someone else saved since the page showed them: nothing was stored. `lines`
    show the stored values now beside what was typed; `names` the projects."""

    def __init__(self, lines: list[ProgressLine], names: list[str]):
        super().__init__("progress changed meanwhile")
        self.lines = lines
        self.names = names


def _shown(text: str) -> Decimal | None:
    try:
        return cells.parse_decimal(text, allow_negative=False)
    except cells.CellError:
        raise ProgressMalformed from None


def _row_errors(line: ProgressLine, row: ProgressRow, month: int) -> dict[str, str]:
    """Return the row's problems by column, or the parsed values under "values"."""
    errors, values = {}, {}
    for column in COLUMNS:
        try:
            values[column] = cells.parse_decimal(getattr(row, column), allow_negative=False)
        except cells.CellError as error:
            errors[column] = error.message
    if errors:
        return errors
    completed, government = values["completed"], values["government"]
    if completed is None:
        if line.completed is not None:
            errors["completed"] = "已填报的进度不能清空"
        elif government is not None:
            errors["completed"] = "请填写本年累计完成投资"
        return errors
    if government is not None and government > completed:
        errors["government"] = f"不能超过本年累计完成投资（{wan(completed)}万元）"
    if line.previous is not None and completed < line.previous:
        errors["completed"] = (
            f"本年累计不能低于{line.previous_month}月的本年累计（{wan(line.previous)}万元）"
        )
    elif line.following is not None and completed > line.following:
        errors["completed"] = (
            f"本年累计不能高于{line.following_month}月的本年累计（{wan(line.following)}万元）"
        )
    return errors


@transaction.atomic
def period_progress_save(*, park, year: int, month: int, rows: list[ProgressRow], user) -> int:
    """Check and store the progress rows of the park's month that the user changed, as
    part of the park's month; return how many rows changed.

    Under the park-month's lock (the one the figures' door and the workflow take), it
    refuses (EntryRefused) a user who does not enter the park's figures and a month that
    is not editable (submitted or approved: the enterprises' figures' workflow). A row
    is changed when its typed values differ from those the page showed; a changed row
    whose stored values are no longer the shown ones is someone else's newer save
    (ProgressConflict). Then each changed row is checked (ProgressInvalid: not a
    number, negative, 政府财政性投资 above 本年累计, 本年累计 below an earlier month's
    or above a later one's, a reported row cleared) and written by `project_progress_save`,
    which logs it in its history and bumps the data version. All or nothing.
    """
    refuse_unless_enters(user, park)
    submission = period_for_update(park, year, month)
    refuse_unless_editable(submission)
    lines = {line.project.pk: line for line in progress_lines(park, year, month, drafts=True)}
    changed, conflicts, messages = [], [], []
    for row in rows:
        line = lines.get(row.project_id)
        if line is None:
            raise ProgressMalformed
        shown = {
            "completed": _shown(row.shown_completed),
            "government": _shown(row.shown_government),
        }
        if row.completed.strip() == row.shown_completed.strip() and (
            row.government.strip() == row.shown_government.strip()
        ):
            continue  # untouched
        line.typed = {"completed": row.completed, "government": row.government}
        if (line.completed, line.government) != (shown["completed"], shown["government"]):
            line.conflict = True
            conflicts.append(line.project.name)
            continue
        errors = _row_errors(line, row, month)
        if errors:
            line.errors = errors
            messages.extend(
                f"{line.project.code} {line.project.name} · {COLUMNS[column]}：{message}"
                for column, message in errors.items()
            )
            continue
        changed.append(line)
    if conflicts:
        raise ProgressConflict(list(lines.values()), conflicts)
    if messages:
        raise ProgressInvalid(list(lines.values()), messages)
    stored = {
        progress.project_id: progress
        for progress in ProjectProgress.objects.filter(
            project_id__in=[line.project.pk for line in changed], year=year, month=month
        )
    }
    written = 0
    for line in changed:
        completed = cells.parse_decimal(line.typed["completed"], allow_negative=False)
        if completed is None:
            continue  # a row never reported, left blank
        government = cells.parse_decimal(line.typed["government"], allow_negative=False)
        progress = stored.get(line.project.pk) or ProjectProgress(
            project=line.project, year=year, month=month
        )
        progress.completed_investment = completed
        progress.government_investment = government or Decimal(0)
        if progress.pk and (progress.completed_investment, progress.government_investment) == (
            line.completed,
            line.government,
        ):
            continue  # typed differently, the same figures ("12000" for "12,000")
        try:
            project_progress_save(progress=progress, user=user, reason=PROGRESS_REASON)
        except ValidationError as error:
            text = "；".join(error.messages)
            raise ProgressInvalid(
                list(lines.values()), [f"{line.project.code} {line.project.name}：{text}"]
            ) from None
        written += 1
    return written
