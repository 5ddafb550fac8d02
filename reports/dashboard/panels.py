"""The dashboard's projects and investment attraction: projects by stage, the year's
projects (as the year-end summary counts them) against the year's investment target,
the key projects behind schedule, and the year's leads as a funnel and by channel.

A key project (省/市/县重点) under way is behind schedule when its planned completion
date (竣工日期) has passed, or when its investment progress (completed investment to
date / total investment) lags the time elapsed since its start (of the span from
start to planned completion) by more than BEHIND_POINTS percentage points
(reports.domain).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from indicators.domain import completion_rate, time_progress
from investment.choices import LeadStage
from investment.selectors import ADVANCING, reached_counts
from parkportal import display
from parkportal.domain import HUNDRED, round_half_up
from projects.choices import ProjectStage
from projects.models import Project
from projects.selectors import key_projects_under_way, projects_by_stage

from ..domain import BEHIND_POINTS
from ..figures import ZERO, ChoiceCount, IndicatorFigures, stored
from ..scope import ReportPeriod, ReportScope
from ..tables import Column, Kind, Table, lines_table
from ..year_end import CategoryProjects, lead_channels, project_totals, signed_totals


@dataclass(frozen=True)
class StageCount:
    value: str
    label: str
    count: int
    total_investment: Decimal


@dataclass(frozen=True)
class BehindProject:
    """A key project under way that is behind its schedule, and why."""

    code: str
    name: str
    park: str
    key_level: str
    stage: str
    start_date: date
    planned_completion: date | None
    total_investment: Decimal
    to_date: Decimal  # completed investment, all years up to the cut-off
    investment_progress: Decimal | None  # to_date / total, in %
    time_elapsed: Decimal | None  # of the span from start to planned completion, in %
    reason: str


BEHIND_COLUMNS = [
    Column("name", "项目"),
    Column("park", "园区"),
    Column("key_level", "级别"),
    Column("stage", "阶段"),
    Column("total_investment", "总投资", Kind.MONEY),
    Column("to_date", "累计完成", Kind.MONEY),
    Column("investment_progress", "投资进度(%)", Kind.PERCENT),
    Column("time_elapsed", "时间进度(%)", Kind.PERCENT),
    Column("reason", "情况"),
]
MONEY_UNIT = "金额单位：万元"


@dataclass(frozen=True)
class ProjectPanel:
    by_stage: list[StageCount]
    count: int
    year: CategoryProjects  # 本年实施 / 新开工 / 续建 / 竣工 / 投产, as in the year-end summary
    plan: Decimal | None  # the year's fixed-asset investment target
    completion: Decimal | None  # the year's completed investment / plan, in %
    time_progress: Decimal
    behind: list[BehindProject]
    key_under_way: int

    @property
    def behind_table(self) -> Table:
        """Return the key projects behind schedule as the page lists them."""
        return lines_table(
            BEHIND_COLUMNS,
            self.behind,
            key="进度滞后",
            title="进度滞后的重点项目",
            unit=MONEY_UNIT,
            empty="没有进度滞后的重点项目。",
        )


@dataclass(frozen=True)
class FunnelStep:
    value: str
    label: str
    count: int  # leads that reached this stage in the year up to the cut-off


@dataclass(frozen=True)
class LeadPanel:
    docked: int
    funnel: list[FunnelStep]
    dropped: int
    by_channel: list[ChoiceCount]
    signed: int
    signed_investment: Decimal


def project_panel(
    scope: ReportScope, period: ReportPeriod, fai: IndicatorFigures | None
) -> ProjectPanel:
    """Return the scope's projects by stage, the year's (as the year-end summary counts
    them) against the year's investment target, and the key projects behind schedule."""
    stage_rows = projects_by_stage(scope.park_ids, period.cut_off)
    by_stage = [
        StageCount(
            value=stage.value,
            label=stage.label,
            count=stage_rows.get(stage.value, {}).get("n", 0),
            total_investment=stored(stage_rows.get(stage.value, {}).get("total", ZERO)),
        )
        for stage in ProjectStage
    ]
    year, _ = project_totals(scope, period)
    plan = fai.target if fai else None
    key = list(key_projects_under_way(scope.park_ids, period.cut_off))
    behind = [line for line in (_behind(project, period) for project in key) if line]
    return ProjectPanel(
        by_stage=by_stage,
        count=sum(stage.count for stage in by_stage),
        year=year,
        plan=plan,
        completion=completion_rate(year.group("carried_out").completed, plan),
        time_progress=time_progress(period.month),
        behind=sorted(behind, key=lambda line: (line.reason != "逾期未竣工", line.code)),
        key_under_way=len(key),
    )


def _behind(project: Project, period: ReportPeriod) -> BehindProject | None:
    """Return the project as behind schedule, or None when it keeps to it (or cannot tell)."""
    to_date = stored(project.to_date)
    investment_progress = completion_rate(to_date, project.total_investment)
    planned = project.completion_date
    elapsed = None
    if planned is not None and planned > project.start_date:
        days = min((period.cut_off - project.start_date).days, (planned - project.start_date).days)
        elapsed = round_half_up(Decimal(days) * HUNDRED / (planned - project.start_date).days)
    if planned is not None and planned <= period.cut_off:
        reason = "逾期未竣工"
    elif (
        elapsed is not None
        and investment_progress is not None
        and elapsed - investment_progress > BEHIND_POINTS
    ):
        reason = f"投资进度落后时间进度{display.points(elapsed - investment_progress)}"
    else:
        return None
    return BehindProject(
        code=project.code,
        name=project.name,
        park=project.park.name,
        key_level=project.get_key_level_display(),
        stage=project.get_stage_display(),
        start_date=project.start_date,
        planned_completion=planned,
        total_investment=project.total_investment,
        to_date=to_date,
        investment_progress=investment_progress,
        time_elapsed=elapsed,
        reason=reason,
    )


def lead_panel(scope: ReportScope, period: ReportPeriod) -> LeadPanel:
    """Return the year's leads as a funnel (how many reached each stage in the year up to
    the cut-off), by channel, and the leads signed this year.

    The funnel and the cards count by one rule, investment.selectors.reached_leads: the
    funnel's 签约 is the card's 本年签约, as the year-end summary counts it.
    """
    reached = reached_counts(scope.lead_park_ids, period.cut_off)
    funnel = [FunnelStep(stage.value, stage.label, reached[stage.value]) for stage in ADVANCING]
    signed, signed_investment = signed_totals(scope, period)
    return LeadPanel(
        docked=funnel[0].count,
        funnel=funnel,
        dropped=reached[LeadStage.DROPPED.value],
        by_channel=lead_channels(scope, period),
        signed=signed,
        signed_investment=signed_investment,
    )
