"""Rules of investment projects. Pure functions; no ORM."""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from indicators.domain import time_progress
from parkportal.display import wan
from parkportal.domain import HUNDRED, round_half_up

from .choices import Light, YearStatus


def year_status(start_date: date | None, year: int) -> YearStatus | None:
    """Return whether a project is 新开工 or 续建 in report year `year`.

    Started in the year: newly started. Started before it: continuing. Not
    started yet (no start date, or one after the year): neither, None.
    """
    if start_date is None or start_date.year > year:
        return None
    if start_date.year == year:
        return YearStatus.NEW
    return YearStatus.CONTINUING


# ---------------------------------------------------------------- 序时进度, 资金缺口, lights

ZERO = Decimal(0)


def schedule_target(planned: Decimal | None, month: int) -> Decimal | None:
    """Return the year's 序时进度 after month `month`: the year's planned investment ×
    time progress (month/12), in 万元 with 4 decimals. No plan: None."""
    if planned is None:
        return None
    return (planned * Decimal(month) / 12).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def schedule_lag(planned: Decimal | None, completed: Decimal | None, month: int) -> Decimal | None:
    """Return how many percentage points the completed investment lies behind the 序时进度
    (time progress − completed / plan × 100), 2 decimals; negative when ahead.

    No plan, or a plan of zero: None (the rule does not apply). No report: nothing done.
    """
    if planned is None or planned <= 0:
        return None
    done = round_half_up((completed or ZERO) * HUNDRED / planned)
    return time_progress(month) - done


def funding_gap(
    budget: Decimal | None,
    bonds_received: Decimal | None,
    other_secured: Decimal | None,
    social_investment: Decimal | None,
) -> Decimal | None:
    """Return a project's 资金缺口: 概算 − bonds received to date − other secured funding
    (融资) − completed social-capital investment to date; never below zero.

    No budget: None (the gap is unknown, not zero). A blank part counts as none.
    """
    if budget is None:
        return None
    secured = sum(
        (part or ZERO for part in (bonds_received, other_secured, social_investment)), ZERO
    )
    return max(budget - secured, ZERO)


@dataclass(frozen=True)
class LightThresholds:
    """When a project turns yellow or red (settings.PROJECT_LIGHTS overrides them)."""

    milestone_red_days: int = 90  # a milestone overdue longer than this: red
    lag_yellow_points: Decimal = Decimal(10)  # behind 序时进度 by at least this: yellow
    lag_red_points: Decimal = Decimal(30)  # behind by more than this: red
    start_red_months: int = 3  # planned start missed by more than this: red


@dataclass(frozen=True)
class OverdueMilestone:
    """A project's most overdue open milestone, and how many are overdue."""

    name: str
    planned: date
    count: int = 1


@dataclass(frozen=True)
class LightVerdict:
    """A project's light and the reasons for it (empty for green)."""

    light: Light
    reasons: tuple[str, ...] = ()


def add_months(day: date, months: int) -> date:
    """Return `day` moved by `months` calendar months (the month's last day if shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def project_light(
    *,
    today: date,
    overdue: OverdueMilestone | None,
    planned_start: date | None,
    started_on: date | None,
    planned: Decimal | None,
    completed: Decimal | None,
    month: int | None,
    thresholds: LightThresholds = LightThresholds(),
) -> LightVerdict:
    """Return the light of a project under way and why, the worst its rules give:

    - a milestone overdue (planned date passed, no actual date): yellow; more than
      `milestone_red_days` days overdue: red;
    - completed investment behind its 序时进度 (the year's plan × time progress after
      `month`) by `lag_yellow_points` to `lag_red_points` points: yellow; more: red;
    - planned start passed and not started: yellow; by more than `start_red_months`: red.
    """
    found: list[tuple[Light, str]] = []
    if overdue is not None and overdue.planned < today:
        days = (today - overdue.planned).days
        light = Light.RED if days > thresholds.milestone_red_days else Light.YELLOW
        more = f"（共{overdue.count}个节点逾期）" if overdue.count > 1 else ""
        found.append(
            (light, f"节点“{overdue.name}”逾期{days}天（计划{overdue.planned:%Y-%m-%d}完成）{more}")
        )
    lag = schedule_lag(planned, completed, month) if month else None
    if lag is not None and lag >= thresholds.lag_yellow_points:
        light = Light.RED if lag > thresholds.lag_red_points else Light.YELLOW
        done, due = wan(completed or ZERO), wan(schedule_target(planned, month))
        found.append(
            (
                light,
                f"完成投资落后序时进度{lag}个百分点"
                f"（{months_label(month)}完成{done}万元，序时进度{due}万元）",
            )
        )
    if started_on is None and planned_start is not None and planned_start < today:
        late = today > add_months(planned_start, thresholds.start_red_months)
        found.append(
            (
                Light.RED if late else Light.YELLOW,
                f"计划{planned_start:%Y-%m-%d}开工，至今未开工"
                + (f"（超过{thresholds.start_red_months}个月）" if late else ""),
            )
        )
    if not found:
        return LightVerdict(Light.GREEN)
    worst = max((light for light, _ in found), key=LIGHT_ORDER.index)
    return LightVerdict(worst, tuple(reason for _, reason in found))


LIGHT_ORDER = [Light.GREEN, Light.YELLOW, Light.RED]


def months_label(month: int) -> str:
    """Return the year-to-date period's name: 1月, 1-6月."""
    return "1月" if month == 1 else f"1-{month}月"
