"""The year-end summary's plan: this year's tasks with their results, the full-year
forecasts computed beside the typed ones, and section 三 written from next year's tasks.

The figures come from planning's selectors (measured as of the report's cut-off); this
module only shapes them into the report's tables and sentences.
"""

from dataclasses import dataclass
from decimal import Decimal

from planning.choices import TaskStatus
from planning.models import PlanTask
from planning.selectors import ForecastLine, TaskLine, forecast_lines, task_lines

from ..figures import IndicatorSection
from ..scope import ReportPeriod, ReportScope
from ..tables import Column, Kind, Table, table_row


@dataclass(frozen=True)
class PlanFigures:
    """This year's tasks measured at the cut-off, next year's tasks, and the forecasts."""

    tasks: list[TaskLine]  # the zone's; none in a park's report
    next_tasks: list[PlanTask]
    forecasts: list[ForecastLine]


def plan_figures(
    scope: ReportScope, period: ReportPeriod, section: IndicatorSection
) -> PlanFigures:
    """Return the plan of `scope` for `period`: in a zone's report the year's tasks (read
    with next year's in one query) measured as of the cut-off; the forecasts of the scope
    and, for a zone, of its parks, beside the typed forecasts the indicator section read."""
    tasks, next_tasks = [], []
    if scope.is_zone:
        for task in PlanTask.objects.filter(year__in=[period.year, period.year + 1]).order_by(
            "year", "deadline", "code"
        ):
            (tasks if task.year == period.year else next_tasks).append(task)
    return PlanFigures(
        tasks=task_lines(tasks, period.cut_off),
        next_tasks=next_tasks,
        forecasts=forecast_lines(
            period.year,
            period.month,
            parks=list(scope.parks),
            indicators=section.indicators,
            typed=_typed(scope, section),
        ),
    )


def _typed(scope: ReportScope, section: IndicatorSection) -> dict[tuple[int, int], Decimal]:
    """Return (park, indicator) → the typed forecast, as the indicator section read it: the
    scope's own line, and each park's in a zone."""
    by_code = {park.code: park.pk for park in scope.parks}
    indicators = {indicator.code: indicator.pk for indicator in section.indicators}
    lines = [(scope.park.pk, line) for line in section.totals]
    lines += [(by_code[park.code], line) for park in section.by_park for line in park.indicators]
    return {
        (park_id, indicators[line.code]): line.forecast
        for park_id, line in lines
        if line.forecast is not None
    }


TASK_COLUMNS = [
    Column("title", "任务"),
    Column("unit", "责任单位"),
    Column("deadline", "完成时限", Kind.DATE),
    Column("measure", "衡量方式"),
    Column("target", "目标"),
    Column("measured", "完成"),
    Column("status", "状态"),
    Column("reason", "说明"),
]


def forecast_columns(period: ReportPeriod) -> list[Column]:
    return [
        Column("scope", "范围"),
        Column("indicator", "指标"),
        Column("current", f"本年{period.label}", Kind.MONEY),
        Column("computed", "推算全年", Kind.MONEY),
        Column("method", "推算方法"),
        Column("typed", "填报预计", Kind.MONEY),
        Column("difference", "差额(填报−推算)", Kind.MONEY),
        Column("last_year", "上年全年", Kind.MONEY),
        Column("growth", "预计增长(%)", Kind.PERCENT),
    ]


def plan_tables(plan: PlanFigures, period: ReportPeriod, *, is_zone: bool) -> list[Table]:
    """Return the tables of the plan: the year's tasks (a zone's report with tasks) and the
    forecasts (when some full previous year gives one); a report without either has none."""
    tables = []
    if is_zone and plan.tasks:
        tables.append(
            Table(
                key="年度任务",
                title=f"{period.year}年度任务完成情况",
                unit="",
                columns=TASK_COLUMNS,
                rows=[
                    table_row(
                        TASK_COLUMNS,
                        {
                            "title": line.task.title,
                            "unit": line.task.unit,
                            "deadline": line.task.deadline,
                            "measure": line.task.get_measure_display(),
                            "target": line.target_text,
                            "measured": line.measured_text,
                            "status": line.status_label,
                            "reason": line.reason or line.task.done_note,
                        },
                    )
                    for line in plan.tasks
                ],
                note=f"完成情况按各任务的衡量方式，从平台数据计算至{period.cut_off.isoformat()}。",
                empty=f"{period.year}年没有导入年度任务。",
            )
        )
    if not any(line.computed.value is not None for line in plan.forecasts):
        return tables
    columns = forecast_columns(period)
    tables.append(
        Table(
            key="预计全年",
            title="预计全年",
            unit="金额单位：万元",
            columns=columns,
            rows=[_forecast_row(columns, line) for line in plan.forecasts],
            note=(
                f"推算全年 = 本年{period.label}累计 ÷ 前三年（有完整12个月正式数据的年份）"
                f"{period.label}占全年比重的平均；填报预计优先，预计增长按填报预计（无则按推算）计。"
            ),
            empty="本期没有正式的月度数据，无法预计全年。",
        )
    )
    return tables


def _forecast_row(columns: list[Column], line: ForecastLine):
    kind = Kind.MONEY if line.is_money else Kind.COUNT
    return table_row(
        columns,
        {
            "scope": line.scope,
            "indicator": line.indicator,
            "current": (line.current, kind),
            "computed": (line.computed.value, kind),
            "method": line.computed.method,
            "typed": (line.typed, kind),
            "difference": (line.difference, kind),
            "last_year": (line.last_year, kind),
            "growth": line.growth,
        },
    )


def plan_paragraphs(plan: PlanFigures, period: ReportPeriod, scope_code: str) -> list[str]:
    """Return the plan's paragraphs: the computed forecasts of the scope where no forecast
    was typed (typed ones are written with the targets), the year's tasks' results, and
    section 三 from next year's tasks, as the documents write them."""
    paragraphs = []
    computed = [
        line.sentence.removeprefix("预计全年完成")
        for line in plan.forecasts
        if line.code == scope_code and line.typed is None and line.sentence
    ]
    if computed:
        paragraphs.append(
            f"按{period.label}累计数和往年同期占全年的比重推算，预计全年完成"
            + "；".join(computed)
            + "。"
        )
    if plan.tasks:
        done = [line for line in plan.tasks if line.status == TaskStatus.DONE]
        late = [f"{line.task.title}（{line.reason}）" for line in plan.tasks if line.reason]
        text = (
            f"{period.year}年确定年度任务{len(plan.tasks)}项，"
            f"截至{period.label}末已完成{len(done)}项"
        )
        if late:
            text += "，逾期未完成" + str(len(late)) + "项：" + "；".join(late)
        paragraphs.append(text + "。")
    if plan.next_tasks:
        year = period.year + 1
        items = "；".join(
            f"{n}、{task.title}"
            + (
                f"（{task.unit}负责，{task.deadline.month}月{task.deadline.day}日前完成）"
                if task.unit
                else f"（{task.deadline.month}月{task.deadline.day}日前完成）"
            )
            for n, task in enumerate(plan.next_tasks, start=1)
        )
        paragraphs.append(f"三、{year}年重点工作谋划。{year}年，{items}。")
    return paragraphs
