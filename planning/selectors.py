"""Reads of the year's plan: each task measured from the data as of a day, and the
full-year forecasts of the zone and its parks.

A task counts what happened in its year up to the day (the day itself included); a
day past the year measures the whole year.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum

from indicators.choices import TargetKind
from indicators.domain import growth_rate
from indicators.models import Indicator, MonthlyValue, Target
from indicators.sums import official_totals
from investment.choices import EventKind, LeadStage
from investment.selectors import outreach_events, reached_leads
from parkportal import display
from parkportal.choices import ParkKind
from parkportal.display import amount, money_text
from parkportal.domain import round_half_up
from parkportal.fields import STORED_PLACES
from parkportal.models import Park
from projects.models import Project, ProjectProgress

from .choices import Measure, TaskStatus
from .domain import (
    FORECAST_YEARS,
    Forecast,
    difference,
    full_year_forecast,
    late_reason,
    task_status,
)
from .models import PlanTask

ZERO = Decimal(0)


@dataclass(frozen=True)
class TaskLine:
    """A task as it stood on a day: what the data measure, against what, and its status."""

    task: PlanTask
    measured: Decimal | None
    target: Decimal | None
    measured_text: str
    target_text: str
    status: TaskStatus
    reason: str  # why it is late ("截至…仅…，目标…"), or ""

    @property
    def status_label(self) -> str:
        return self.status.label


def _count(n: int | Decimal | None, word: str) -> str:
    return "—" if n is None else f"{int(n)}{word}"


def _cut(task: PlanTask, day: date) -> date | None:
    """Return the last day counted for `task` on `day`: None before its year began."""
    if day < date(task.year, 1, 1):
        return None
    return min(day, date(task.year, 12, 31))


def _all_lead_parks() -> list[int | None]:
    return [*Park.objects.values_list("pk", flat=True), None]


def _projects(task: PlanTask):
    codes = task.subject_codes
    return Project.objects.filter(code__in=codes) if codes else Project.objects.all()


def measure_task(task: PlanTask, day: date) -> tuple[Decimal | None, Decimal | None, str, str]:
    """Return a task's measured value and target on `day`, and both as the page writes them."""
    cut = _cut(task, day)
    target = task.target
    measure = task.measure
    if measure == Measure.MANUAL:
        done = task.done_on is not None and task.done_on <= day
        return Decimal(int(done)), Decimal(1), ("已完成" if done else "未确认完成"), "完成"
    if measure == Measure.EVENTS:
        n = 0
        if cut:
            events = outreach_events(cut)
            if task.subject:
                events = events.filter(kind=EventKind(_value_of(EventKind, task.subject)))
            n = events.count()
        return Decimal(n), target, _count(n, "次"), _count(target, "次")
    if measure in (Measure.SIGNED_COUNT, Measure.SIGNED_AMOUNT, Measure.LANDED_COUNT):
        stage = LeadStage.LANDED if measure == Measure.LANDED_COUNT else LeadStage.SIGNED
        leads = reached_leads(_all_lead_parks(), cut, stage) if cut else None
        if measure == Measure.SIGNED_AMOUNT:
            total = ZERO
            if leads is not None:
                total = leads.aggregate(s=Sum("planned_investment"))["s"] or ZERO
            total = total.quantize(STORED_PLACES)
            return total, target, money_text(total), money_text(target)
        n = leads.count() if leads is not None else 0
        return Decimal(n), target, _count(n, "个"), _count(target, "个")
    if measure == Measure.PROJECT_INVESTMENT:
        total = _project_investment(task, cut)
        return total, target, money_text(total), money_text(target)
    if measure in (Measure.PROJECTS_STARTED, Measure.PROJECTS_PRODUCING):
        field = "start_date" if measure == Measure.PROJECTS_STARTED else "production_date"
        projects = _projects(task)
        if not task.subject_codes:
            projects = projects.filter(**{f"{field}__year": task.year})
        counts = projects.aggregate(
            all=Count("pk"), done=Count("pk", filter=Q(**{f"{field}__lte": day}))
        )
        done = counts["done"] or 0
        if target is None:
            target = Decimal(counts["all"] or 0)
        word = "开工" if measure == Measure.PROJECTS_STARTED else "投产"
        return Decimal(done), target, f"{word}{done}个", f"{int(target)}个"
    # 指标累计
    indicator = Indicator.objects.filter(name=task.subject).first()
    total = _indicator_total(indicator, task.year, cut) if indicator and cut else None
    is_money = indicator.is_money if indicator else True
    unit = indicator.unit if indicator else ""
    return (
        total,
        target,
        amount(total, unit, is_money=is_money),
        amount(target, unit, is_money=is_money),
    )


def _value_of(choices, label: str) -> str:
    return next(value for value, text in choices.choices if text == label)


def _project_investment(task: PlanTask, cut: date | None) -> Decimal:
    """Return the year's completed investment of the task's projects as of the latest
    month ≤ `cut` each reported (本年累计)."""
    if cut is None:
        return ZERO
    rows = ProjectProgress.objects.official().filter(year=task.year, month__lte=cut.month)
    if task.subject_codes:
        rows = rows.filter(project__code__in=task.subject_codes)
    latest: dict[int, tuple[int, Decimal]] = {}
    for project_id, month, value in rows.values_list("project_id", "month", "completed_investment"):
        if project_id not in latest or month > latest[project_id][0]:
            latest[project_id] = (month, value)
    return sum((value for _, value in latest.values()), ZERO).quantize(STORED_PLACES)


def _indicator_total(indicator: Indicator, year: int, cut: date) -> Decimal | None:
    """Return the zone's total of `indicator`: the statistical enterprises' official
    figures of the latest month ≤ `cut` that has any."""
    totals = official_totals(indicators=[indicator], years=[year], months=range(1, cut.month + 1))
    by_month: dict[int, Decimal] = {}
    for (_, _, _, month), total in totals.items():
        by_month[month] = by_month.get(month, ZERO) + total
    return by_month[max(by_month)] if by_month else None


def task_lines(tasks, day: date) -> list[TaskLine]:
    """Return each task measured on `day`, with its status and why it is late."""
    lines = []
    for task in tasks:
        measured, target, measured_text, target_text = measure_task(task, day)
        status = task_status(measured, target, task.deadline, day)
        reason = ""
        if status == TaskStatus.LATE:
            reason = late_reason(day, measured_text, target_text)
            if task.measure == Measure.MANUAL:
                reason = f"截至{day.year}年{day.month}月{day.day}日尚未确认完成"
        lines.append(TaskLine(task, measured, target, measured_text, target_text, status, reason))
    return lines


@dataclass(frozen=True)
class ForecastLine:
    """One indicator's full-year forecast for the zone or a park: computed from months
    1..N and the previous years' seasonality, beside the office's typed forecast."""

    code: str  # the zone's or park's code
    scope: str
    is_zone: bool
    indicator: str
    unit: str
    is_money: bool
    current: Decimal | None  # this year's 1-N
    computed: Forecast
    typed: Decimal | None  # the 目标 sheet's 预计, which wins where given
    last_year: Decimal | None  # last year's 1-12
    difference: Decimal | None  # typed − computed

    @property
    def forecast(self) -> Decimal | None:
        return self.typed if self.typed is not None else self.computed.value

    @property
    def growth(self) -> Decimal | None:
        return growth_rate(self.forecast, self.last_year)

    def _amount(self, value: Decimal | None) -> str:
        return amount(value, self.unit, is_money=self.is_money)

    @property
    def current_text(self) -> str:
        return self._amount(self.current)

    @property
    def computed_text(self) -> str:
        return self._amount(self.computed.value)

    @property
    def typed_text(self) -> str:
        return self._amount(self.typed)

    @property
    def last_year_text(self) -> str:
        return self._amount(self.last_year)

    @property
    def growth_text(self) -> str:
        return display.growth(self.growth)

    @property
    def difference_text(self) -> str:
        if self.difference is None:
            return "—"
        sign = "+" if self.difference > 0 else "-" if self.difference < 0 else ""
        return sign + self._amount(abs(self.difference))

    @property
    def sentence(self) -> str:
        """Return the forecast as the documents write it: "预计全年完成工业总产值61.5亿元，
        增长率30%"; "" without a forecast."""
        if self.forecast is None:
            return ""
        text = f"预计全年完成{self.indicator}{self._amount(self.forecast)}"
        if self.growth is not None:
            rate = round_half_up(self.growth).normalize()
            text += f"，增长率{rate:f}%"
        return text


def forecast_month(year: int, day: date) -> int | None:
    """Return the latest month of `year` up to `day` with official figures, or None."""
    if day < date(year, 1, 1):
        return None
    last = 12 if day.year > year else day.month
    return (
        MonthlyValue.objects.official()
        .filter(year=year, month__lte=last)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )


def forecast_lines(
    year: int,
    month: int,
    *,
    parks: list[Park] | None = None,
    indicators: list[Indicator] | None = None,
    typed: dict[tuple[int, int], Decimal] | None = None,
) -> list[ForecastLine]:
    """Return the full-year forecast from months 1..`month` of `year` of every flow
    indicator reported or forecast by hand, for each zone among `parks` (all by default)
    and its parks, or for a park alone: one GROUP BY of the official figures of months
    `month` and 12 over this year and FORECAST_YEARS before it, one read of the typed
    forecasts (and the catalog and the parks; each unless given: `typed` maps (park,
    indicator) to the typed forecast)."""
    if indicators is None:
        indicators = list(Indicator.objects.active())
    indicators = [indicator for indicator in indicators if indicator.is_flow]
    if parks is None:
        parks = list(Park.objects.order_by("sort_order", "code"))
    totals = official_totals(
        indicators=indicators,
        years=range(year - FORECAST_YEARS, year + 1),
        months={month, 12},
        parks=[park.pk for park in parks],
    )
    # park → indicator → year → month → total
    sums: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(dict)))
    for (park_id, indicator_id, total_year, total_month), total in totals.items():
        sums[park_id][indicator_id][total_year][total_month] = total
    if typed is None:
        typed = {
            (park_id, indicator_id): value
            for park_id, indicator_id, value in Target.objects.filter(
                year=year, kind=TargetKind.FORECAST, park__in=[park.pk for park in parks]
            ).values_list("park_id", "indicator_id", "value")
        }
    zones = [park for park in parks if park.kind == ParkKind.ZONE]
    scopes = []
    for zone in zones:
        members = [park for park in parks if park.parent_id == zone.pk]
        scopes.append((zone, _added_up(sums, [*members, zone]), True))
        scopes += [(park, sums.get(park.pk, {}), False) for park in members]
    if not zones:
        scopes = [(park, sums.get(park.pk, {}), False) for park in parks]
    lines = []
    for scope, history, is_zone in scopes:
        for indicator in indicators:
            series = history.get(indicator.pk, {})
            current = series.get(year, {}).get(month)
            computed = full_year_forecast(current, month, series, year)
            given = typed.get((scope.pk, indicator.pk))
            if current is None and given is None:
                continue  # nothing reported, nothing typed: no line to show
            lines.append(
                ForecastLine(
                    code=scope.code,
                    scope=scope.name,
                    is_zone=is_zone,
                    indicator=indicator.name,
                    unit=indicator.unit,
                    is_money=indicator.is_money,
                    current=current,
                    computed=computed,
                    typed=given,
                    last_year=series.get(year - 1, {}).get(12),
                    difference=difference(given, computed.value),
                )
            )
    return lines


def _added_up(sums: dict, parks: list[Park]) -> dict:
    """Return indicator → year → month → the parks' totals added up."""
    total: dict = defaultdict(lambda: defaultdict(dict))
    for park in parks:
        for indicator_id, years in sums.get(park.pk, {}).items():
            for year, months in years.items():
                for month, value in months.items():
                    total[indicator_id][year][month] = (
                        total[indicator_id][year].get(month, ZERO) + value
                    )
    return total


@dataclass(frozen=True)
class PlanCounts:
    """How the year's tasks stand on a day: the dashboard's card."""

    year: int
    day: date
    total: int
    done: int
    on_track: int
    late: int


def plan_counts(year: int, day: date) -> PlanCounts:
    """Return how many of the year's tasks are done, on track and late on `day`."""
    lines = task_lines(PlanTask.objects.filter(year=year), day)
    return PlanCounts(
        year=year,
        day=day,
        total=len(lines),
        done=sum(line.status == TaskStatus.DONE for line in lines),
        on_track=sum(line.status == TaskStatus.ON_TRACK for line in lines),
        late=sum(line.status == TaskStatus.LATE for line in lines),
    )
