"""The outlier scan: figures odd against the enterprise's own history.

For each enterprise and indicator, the month's own value (a flow's cumulative minus
the month before's, `domain.month_own_value`; a stock's figure) is scored against
the same enterprise's own values of earlier months: the latest HISTORY_MONTHS months
that have one, at least MIN_HISTORY of them, otherwise no score.

The score is the robust z (Iglewicz and Hoaglin's modified z-score):
    z = 0.6745 × (x − median) / MAD,  MAD = the median of |history − median|,
and |z| > settings.OUTLIER_THRESHOLD (3.5) is suspicious. Half of the history or
more being one value makes MAD 0; then the spread is the mean absolute deviation:
    z = (x − median) / (1.253314 × mean |history − median|).
When that is 0 too (every month of the history the same), there is no spread to
measure against: a figure equal to it is not suspicious, any other is, without a
score. A month whose own value cannot be told apart (the month before it has no
figure: 1-2月) is neither scored nor part of a history.

An admin marks a suspicious figure 已核实 or 需更正 (OutlierMark, written by
`outlier_mark_save`); the mark keeps the value it was given to, and holds only while
the figure reads the same: a figure changed since loses its mark.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from parkportal import display
from parkportal.domain import round_half_up
from parkportal.models import Enterprise, Park
from parkportal.roles import can_approve

from .choices import OutlierVerdict
from .domain import month_own_value
from .models import Indicator, MonthlyValue, OutlierMark

MIN_HISTORY = 6  # months with an own value, fewer: no score
HISTORY_MONTHS = 24  # the latest months with an own value that make the history
MAD_SCALE = Decimal("0.6745")  # makes MAD comparable to a standard deviation
MEAN_AD_SCALE = Decimal("1.253314")  # the same, for the mean absolute deviation
DEFAULT_THRESHOLD = Decimal("3.5")
TWO = Decimal(2)
FOUR_PLACES = Decimal("0.0001")

Month = tuple[int, int]  # (year, month)


def threshold() -> Decimal:
    """Return the |z| above which a figure is suspicious (settings.OUTLIER_THRESHOLD)."""
    return Decimal(str(getattr(settings, "OUTLIER_THRESHOLD", DEFAULT_THRESHOLD)))


def median(values: Sequence[Decimal]) -> Decimal:
    """Return the median of a non-empty sequence: the middle value, or the mean of the two."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / TWO


@dataclass(frozen=True)
class Score:
    """A figure against its history: the history's median and spread, the robust z
    (None when the history has no spread at all), and whether it is suspicious."""

    median: Decimal
    spread: Decimal  # MAD, or the mean absolute deviation when MAD is 0
    z: Decimal | None
    suspicious: bool
    by: str  # how the spread was measured: "MAD", "平均绝对偏差" or "历史数值相同"


def robust_score(value: Decimal, history: Sequence[Decimal], limit: Decimal) -> Score | None:
    """Return the figure's robust z against `history`, or None with fewer than
    MIN_HISTORY months."""
    if len(history) < MIN_HISTORY:
        return None
    centre = median(history)
    deviations = [abs(x - centre) for x in history]
    mad = median(deviations)
    if mad:
        z = round_half_up(MAD_SCALE * (value - centre) / mad)
        return Score(centre, mad, z, abs(z) > limit, "MAD")
    mean_ad = sum(deviations, Decimal(0)) / len(deviations)
    if mean_ad:
        z = round_half_up((value - centre) / (MEAN_AD_SCALE * mean_ad))
        return Score(centre, mean_ad, z, abs(z) > limit, "平均绝对偏差")
    return Score(centre, Decimal(0), None, value != centre, "历史数值相同")


def own_series(figures: Mapping[Month, Decimal], *, is_flow: bool) -> dict[Month, Decimal]:
    """Return each month's own value from the stored figures: a stock's figure as it is,
    a flow's cumulative less the month before's (January: its cumulative). A month
    whose month before has no figure is left out: its own value is not its own."""
    if not is_flow:
        return dict(figures)
    by_year: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for (year, month), value in figures.items():
        by_year[year][month] = value
    own = {}
    for year, cumulative in by_year.items():
        for month in cumulative:
            value = month_own_value(cumulative, month)
            if value is not None:
                own[(year, month)] = value
    return own


def history_before(own: Mapping[Month, Decimal], period: Month) -> list[tuple[Month, Decimal]]:
    """Return the latest HISTORY_MONTHS own values before `period`, oldest first."""
    earlier = sorted(item for item in own.items() if item[0] < period)
    return earlier[-HISTORY_MONTHS:]


def sparkline(values: Sequence[Decimal], width: int = 120, height: int = 24) -> str:
    """Return the points of an SVG polyline through `values`, left to right, the highest
    at the top ("0.0,24.0 10.0,3.5 …")."""
    if not values:
        return ""
    low, high = min(values), max(values)
    span = high - low or Decimal(1)
    step = Decimal(width) / max(len(values) - 1, 1)
    tenth = Decimal("0.1")
    points = []
    for index, value in enumerate(values):
        x = round_half_up(step * index, tenth)
        y = round_half_up(Decimal(height) - (value - low) * Decimal(height) / span, tenth)
        points.append(f"{x},{y}")
    return " ".join(points)


# ---------------------------------------------------------------- the scan (reads)


@dataclass
class Finding:
    """A suspicious figure, its history and the mark an admin gave it (if it still holds)."""

    enterprise: Enterprise
    indicator: Indicator
    year: int
    month: int
    value: Decimal
    score: Score
    history: list[tuple[Month, Decimal]]
    mark: OutlierMark | None = None
    stale_mark: OutlierMark | None = None  # given to a value the figure no longer has

    @property
    def value_text(self) -> str:
        return display.figure(self.value)

    @property
    def median_text(self) -> str:
        return display.figure(round_half_up(self.score.median, FOUR_PLACES))

    @property
    def points(self) -> str:
        return sparkline([value for _, value in self.history] + [self.value])

    @property
    def history_text(self) -> str:
        """Return the history as a list: "2025年3月 120；4月 130；…"."""
        parts, last_year = [], None
        for (year, month), value in self.history:
            label = f"{month}月" if year == last_year else f"{year}年{month}月"
            parts.append(f"{label} {display.figure(value)}")
            last_year = year
        return "；".join(parts)


@dataclass
class OutlierScan:
    year: int
    month: int
    limit: Decimal
    findings: list[Finding] = field(default_factory=list)
    scored: int = 0  # figures with enough history to be scored
    unscored: int = 0  # figures with too short a history


def outlier_scan(*, user, year: int, month: int, park: Park | None = None) -> OutlierScan:
    """Return the month's suspicious figures of the enterprises `user` may see (of one
    park, when given), in five queries whatever the zone's size."""
    parks = Park.objects.visible_to(user)
    if park is not None:
        parks = parks.filter(pk=park.pk)
    indicators = {i.pk: i for i in Indicator.objects.active()}
    rows = MonthlyValue.objects.filter(
        enterprise__park__in=parks.values("pk"),
        indicator__is_active=True,
        year__gte=year - HISTORY_MONTHS // 12,  # January two years back: 24 months and more
        year__lte=year,
    ).values_list("enterprise_id", "indicator_id", "year", "month", "value")
    stored: dict[tuple[int, int], dict[Month, Decimal]] = defaultdict(dict)
    for e, i, y, m, value in rows:
        if (y, m) <= (year, month):
            stored[(e, i)][(y, m)] = value
    limit = threshold()
    scan = OutlierScan(year, month, limit)
    found = []
    for (e, i), figures in stored.items():
        if (year, month) not in figures:
            continue
        own = own_series(figures, is_flow=indicators[i].is_flow)
        if (year, month) not in own:
            continue
        history = history_before(own, (year, month))
        score = robust_score(own[(year, month)], [v for _, v in history], limit)
        if score is None:
            scan.unscored += 1
            continue
        scan.scored += 1
        if score.suspicious:
            found.append((e, i, own[(year, month)], score, history))
    if not found:
        return scan
    enterprises = Enterprise.objects.select_related("park").in_bulk({e for e, *_ in found})
    marks = {
        (mark.enterprise_id, mark.indicator_id): mark
        for mark in OutlierMark.objects.filter(
            enterprise_id__in=enterprises, year=year, month=month
        ).select_related("marked_by")
    }
    for e, i, value, score, history in found:
        mark = marks.get((e, i))
        holds = mark is not None and mark.value == value
        scan.findings.append(
            Finding(
                enterprises[e],
                indicators[i],
                year,
                month,
                value,
                score,
                history,
                mark=mark if holds else None,
                stale_mark=mark if mark is not None and not holds else None,
            )
        )
    scan.findings.sort(
        key=lambda f: (
            f.enterprise.park.code,
            f.enterprise.name,
            f.indicator.sort_order,
            f.indicator.code,
        )
    )
    return scan


# ---------------------------------------------------------------- the marks (the door)


def current_own_value(enterprise_id: int, indicator: Indicator, year: int, month: int):
    """Return the month's own value as stored now (None when it cannot be told)."""
    figures = dict(
        MonthlyValue.objects.filter(
            enterprise_id=enterprise_id, indicator=indicator, year=year, month__lte=month
        ).values_list("month", "value")
    )
    if not indicator.is_flow:
        return figures.get(month)
    return month_own_value(figures, month)


@transaction.atomic
def outlier_mark_save(
    *, user, enterprise: Enterprise, indicator: Indicator, year: int, month: int, verdict, note=""
) -> OutlierMark:
    """Mark a figure 已核实 or 需更正, for the value it has now; replace an earlier mark.

    Admins only, for an enterprise they may see. Refused (ValidationError) when the
    figure has no own value to mark.
    """
    if (
        not can_approve(user)
        or not Enterprise.objects.visible_to(user).filter(pk=enterprise.pk).exists()
    ):
        raise PermissionDenied
    value = current_own_value(enterprise.pk, indicator, year, month)
    if value is None:
        raise ValidationError(
            f"{enterprise.name}{year}年{month}月没有{indicator.name}的当月值，无法标记。"
        )
    mark = OutlierMark.objects.select_for_update().filter(
        enterprise=enterprise, indicator=indicator, year=year, month=month
    ).first() or OutlierMark(enterprise=enterprise, indicator=indicator, year=year, month=month)
    mark.value = value
    mark.verdict = OutlierVerdict(verdict)
    mark.note = note.strip()[:500]
    mark.marked_by = user
    mark.marked_at = timezone.now()
    mark.full_clean()
    mark.save()
    return mark
