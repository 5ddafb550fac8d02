"""The scheduling meeting's briefing (旬调度简报): for a meeting date, the key projects
with their lights and what they did since the last meeting, new and overdue issues by
unit, and the milestones due before the next meeting; as plain data (`meeting_briefing`)
that the HTML page and the Word writer (`briefing_docx`) both render."""

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from parkportal import display

from .choices import MeetingKind
from .domain import LightVerdict
from .models import Meeting, Milestone, Project, ProjectIssue
from .selectors import (
    UNDER_WAY_STAGES,
    light_month,
    light_thresholds,
    verdict_of,
    with_light_facts,
)

TEN_DAYS = timedelta(days=10)  # 旬调度: the next meeting comes ten days later
SCHEDULING = [MeetingKind.TEN_DAY, MeetingKind.SPECIAL]


@dataclass(frozen=True)
class KeyProjectLine:
    code: str
    name: str
    park: str
    key_level: str
    verdict: LightVerdict | None
    completed: str  # this year's completed investment to the judged month, 万元
    done_since: list[str]  # milestones done since the last meeting


@dataclass(frozen=True)
class IssueLine:
    code: str
    project: str
    description: str
    raised_on: date
    deadline: date | None
    overdue_days: int


@dataclass(frozen=True)
class DueLine:
    project: str
    milestone: str
    planned: date
    unit: str


@dataclass(frozen=True)
class Briefing:
    meeting_date: date
    since: date  # the last scheduling meeting before it, or 10 days before
    until: date  # the next meeting: 10 days after
    months: str  # the months the investment covers: 1-6月
    key_projects: list[KeyProjectLine]
    new_issues: dict[str, list[IssueLine]]  # by unit
    overdue_issues: dict[str, list[IssueLine]]
    due: list[DueLine]

    @property
    def title(self) -> str:
        return f"重点项目旬调度简报（{self.meeting_date:%Y年%-m月%-d日}）"

    @property
    def light_counts(self) -> dict[str, int]:
        counts = defaultdict(int)
        for line in self.key_projects:
            if line.verdict is not None:
                counts[line.verdict.light.label] += 1
        return dict(counts)


def meeting_briefing(user, meeting_date: date) -> Briefing:
    """Return the briefing of the scheduling meeting on `meeting_date`, over the projects
    `user` may read."""
    previous = (
        Meeting.objects.filter(kind__in=SCHEDULING, held_on__lt=meeting_date)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    since = previous or meeting_date - TEN_DAYS
    until = meeting_date + TEN_DAYS
    visible = Project.objects.visible_to(user)
    thresholds = light_thresholds()
    key = (
        with_light_facts(
            visible.exclude(key_level="").filter(stage__in=UNDER_WAY_STAGES), meeting_date
        )
        .select_related("park")
        .order_by("park__sort_order", "park__code", "code")
    )
    done = defaultdict(list)
    for milestone in Milestone.objects.filter(
        project__in=visible, actual_date__gte=since, actual_date__lte=meeting_date
    ).order_by("actual_date"):
        done[milestone.project_id].append(f"{milestone.name}（{milestone.actual_date:%m-%d}）")
    key_projects = [
        KeyProjectLine(
            p.code,
            p.name,
            p.park.name,
            p.get_key_level_display(),
            verdict_of(p, meeting_date, thresholds),
            display.wan(p.completed),
            done[p.pk],
        )
        for p in key
    ]
    issues = ProjectIssue.objects.filter(project__in=visible).select_related("project")
    new = issues.filter(raised_on__gt=since, raised_on__lte=meeting_date)
    overdue = issues.overdue_on(meeting_date)
    due = (
        Milestone.objects.filter(
            project__in=visible,
            actual_date__isnull=True,
            planned_date__gte=meeting_date,
            planned_date__lte=until,
        )
        .select_related("project")
        .order_by("planned_date", "project__code")
    )
    _, month = light_month(meeting_date)
    return Briefing(
        meeting_date=meeting_date,
        since=since,
        until=until,
        months="1月" if month == 1 else f"1-{month}月",
        key_projects=key_projects,
        new_issues=_by_unit(new, meeting_date),
        overdue_issues=_by_unit(overdue, meeting_date),
        due=[DueLine(m.project.name, m.name, m.planned_date, m.responsible_unit) for m in due],
    )


def _by_unit(issues, on: date) -> dict[str, list[IssueLine]]:
    grouped = defaultdict(list)
    for issue in issues.order_by("responsible_unit", "deadline", "code"):
        late = (on - issue.deadline).days if issue.deadline and issue.deadline < on else 0
        grouped[issue.responsible_unit].append(
            IssueLine(
                issue.code,
                issue.project.name,
                issue.description,
                issue.raised_on,
                issue.deadline,
                late,
            )
        )
    return dict(grouped)


def briefing_docx(briefing: Briefing) -> bytes:
    """Return the briefing as a Word document, in the documents' style: a title, numbered
    parts, a table of the key projects."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        style = document.styles[name]
        style.font.name = "仿宋" if name == "Normal" else "黑体"
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), style.font.name)
    document.styles["Normal"].font.size = Pt(12)
    document.add_heading(briefing.title, level=0)
    counts = "，".join(f"{label}{n}个" for label, n in briefing.light_counts.items()) or "无"
    document.add_paragraph(
        f"本期自{briefing.since:%-m月%-d日}至{briefing.meeting_date:%-m月%-d日}。"
        f"在建重点项目{len(briefing.key_projects)}个，其中{counts}。"
    )
    document.add_heading("一、重点项目进展", level=1)
    table = document.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        ["项目", "园区", "级别", "灯", f"{briefing.months}完成投资(万元)", "本期完成节点/亮灯原因"],
        strict=True,
    ):
        cell.text = text
    for line in briefing.key_projects:
        notes = "；".join(line.done_since) or "—"
        if line.verdict and line.verdict.reasons:
            notes += "。" + "；".join(line.verdict.reasons)
        light = line.verdict.light.label if line.verdict else "—"
        for cell, text in zip(
            table.add_row().cells,
            [line.name, line.park, line.key_level, light, line.completed, notes],
            strict=True,
        ):
            cell.text = text
    document.add_heading("二、新增问题（按责任单位）", level=1)
    _issues(document, briefing.new_issues)
    document.add_heading("三、逾期未办结问题（按责任单位）", level=1)
    _issues(document, briefing.overdue_issues, overdue=True)
    document.add_heading(f"四、下次调度前（{briefing.until:%-m月%-d日}前）到期的节点", level=1)
    if not briefing.due:
        document.add_paragraph("无。")
    for due in briefing.due:
        unit = f"，责任单位{due.unit}" if due.unit else ""
        document.add_paragraph(
            f"{due.project}：{due.milestone}，计划{due.planned:%-m月%-d日}完成{unit}。",
            style="List Bullet",
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _issues(document, grouped: dict[str, list[IssueLine]], *, overdue: bool = False) -> None:
    if not grouped:
        document.add_paragraph("无。")
    for unit, lines in grouped.items():
        document.add_heading(f"{unit}（{len(lines)}个）", level=2)
        for line in lines:
            late = f"，已逾期{line.overdue_days}天" if overdue and line.overdue_days else ""
            limit = f"，时限{line.deadline:%-m月%-d日}" if line.deadline else ""
            document.add_paragraph(
                f"{line.project}：{line.description}（{line.code}{limit}{late}）",
                style="List Bullet",
            )
