"""The sums the reports read (`FigureSum`): the statistical (入统) enterprises' figures
added up per park, industry, indicator and month, with the comparable scopes.

A report of a zone at the cut-off month reads a few hundred of these lines, however
many figures the zone holds (`reports.figures.indicator_sums`, `figure_sums`). Each
line is a recount of the figures it adds up, never a running delta, so it cannot
drift: every write that changes what a line adds up recounts that line in its own
transaction (docs/README.md, "Where each rule lives"):

- a figure written (`indicators.figures.figures_write`, and so the entry page, the
  admin, the monthly sheet and the workbook import): its line, and the lines of the
  same month the year before and the year after, whose comparable scope it changes;
- an enterprise's park, industry or 入统 changed (`parkportal.services.enterprise_save`):
  the lines of its old and its new park and industry, in every month it reported.

The lines hold every figure of the statistical enterprises, whatever the state of
their park-month: which park-months count is `indicators.official`'s rule, and the
reads drop the lines of the months that do not (as the figures' own GROUP BY did).
The workflow's steps therefore change no line.

Lines follow the register as it stands (the enterprise's park, industry and 入统 now),
as the reports' totals always have.

A recount runs after the write's `data_version_bump()`, whose row lock makes writers
take turns from there on: it reads every write committed before it.
"""

from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.apps import apps as django_apps
from django.db import transaction
from django.db.models import Case, Count, F, FilteredRelation, Q, Sum, When

from parkportal.data_version import data_version_bump
from parkportal.fields import stored

# A line: (park id, industry id or None, indicator id, year, month).
Cell = tuple[int, int | None, int, int, int]

# Beyond this many (park, industry) pairs a recount reads the parks whole: one
# plain filter rather than a long OR.
PAIRS_EXACT = 40
CREATE_BATCH = 2000


# The lines to recount at the end of an official_sums_deferred() block, or None.
_deferred: ContextVar[set | None] = ContextVar("official_sums_deferred", default=None)


@contextmanager
def official_sums_deferred():
    """Collect the lines the writes inside the block would recount, and recount them
    once at its end: an import written in blocks reads each line's figures once, not
    once per block. Use it inside the import's transaction."""
    pending: set = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    official_sums_refresh(pending)


def official_sums_refresh(cells: Iterable[Cell], *, apps=None) -> int:
    """Recount the sums' lines `cells` (park id, industry id or None, indicator id,
    year, month) from the figures; call it inside the write's transaction, after its
    data_version_bump(). Return the number of lines written (0 while deferred)."""
    pending = _deferred.get()
    if pending is not None:
        pending.update(cells)
        return 0
    cells = set(cells)
    if not cells:
        return 0
    pairs = {(park, industry) for park, industry, _, _, _ in cells}
    by_month: dict[tuple[int, int], set[int]] = defaultdict(set)
    for _, _, indicator, year, month in cells:
        by_month[year, month].add(indicator)
    periods = Q()
    for (year, month), indicators in sorted(by_month.items()):
        periods |= Q(year=year, month=month, indicator_id__in=sorted(indicators))
    parks = sorted({park for park, _ in pairs})
    places = Q()
    if len(pairs) <= PAIRS_EXACT:
        for park, industry in sorted(pairs, key=lambda p: (p[0], p[1] or 0)):
            places |= Q(park_id=park, industry_id=industry)
    return _recount(parks, places, periods, apps=apps)


def official_sums_rebuild(*, years: Iterable[int] | None = None, apps=None) -> int:
    """Recount every line of `years` (every year when None) from the figures, in one
    GROUP BY per year; for a deploy, a migration and after a whole workbook's import.
    Return the number of lines written."""
    models = _models(apps)
    with transaction.atomic():
        if apps is None:  # a migration has no data version to bump yet
            data_version_bump()  # the reports kept are rebuilt; writers wait meanwhile
        if years is None:
            years = models.value.objects.values_list("year", flat=True).distinct().order_by()
            years = {*years, *models.sum.objects.values_list("year", flat=True).distinct()}
        written = 0
        for year in sorted(set(years)):
            written += _recount(None, Q(), Q(year=year), apps=apps)
        return written


def official_sums_enterprise_moved(enterprise_id: int, before: dict | None, after) -> int:
    """Recount the lines an enterprise's figures move between when its park, industry or
    入统 changed (`before`: those fields' values before the save, as a dict with
    park_id, industry_id, in_statistics; `after`: the enterprise saved)."""
    if before is None:
        return 0
    fields = ("park_id", "industry_id", "in_statistics")
    if all(before[field] == getattr(after, field) for field in fields):
        return 0
    from .models import MonthlyValue

    keys = (
        MonthlyValue.objects.filter(enterprise_id=enterprise_id)
        .values_list("indicator_id", "year", "month")
        .order_by()
    )
    places = {(before["park_id"], before["industry_id"]), (after.park_id, after.industry_id)}
    return official_sums_refresh(
        (park, industry, *key) for key in keys for park, industry in places
    )


def cells_of_figures(keys: Iterable[tuple[int, int, int, int]], places: dict) -> set[Cell]:
    """Return the lines that figures (enterprise id, indicator id, year, month) count
    in: their own, and the same month's of the year before and after (comparable).
    `places` maps each enterprise id to its (park id, industry id, 入统)."""
    return {
        (places[enterprise][0], places[enterprise][1], indicator, year + step, month)
        for enterprise, indicator, year, month in keys
        if places[enterprise][2]
        for step in (-1, 0, 1)
    }


class _Models:
    def __init__(self, registry):
        self.value = registry.get_model("indicators", "MonthlyValue")
        self.sum = registry.get_model("indicators", "FigureSum")


def _models(apps) -> _Models:
    return _Models(apps or django_apps)


def _paired(step: int) -> FilteredRelation:
    """The figure's enterprise's figure of the same indicator and month `step` years
    away, if any: a LEFT JOIN on the natural key, which the database reads once for all
    the figures (a subquery per figure probed the index twice per figure)."""
    other = "enterprise__monthly_values"
    return FilteredRelation(
        other,
        condition=Q(
            **{
                f"{other}__indicator": F("indicator"),
                f"{other}__month": F("month"),
                f"{other}__year": F("year") + step,
            }
        ),
    )


def _recount(parks, places: Q, periods: Q, *, apps=None) -> int:
    """Delete the lines of `parks` (None: every park) matching `places` and `periods`
    and write them anew from the figures, in one GROUP BY."""
    models = _models(apps)
    lines = models.sum.objects.filter(periods).filter(places)
    if parks is not None:
        lines = lines.filter(park_id__in=parks)
    lines.delete()
    figures = models.value.objects.filter(enterprise__in_statistics=True).filter(periods)
    if parks is not None:
        figures = figures.filter(enterprise__park_id__in=parks)
    figures = figures.annotate(
        park_id=F("enterprise__park_id"),
        industry_id=F("enterprise__industry_id"),
        last_year=_paired(-1),
        next_year=_paired(1),
    ).filter(places)
    last, following = Q(last_year__isnull=False), Q(next_year__isnull=False)
    rows = (
        figures.values("park_id", "industry_id", "indicator_id", "year", "month")
        .annotate(
            total=Sum("value"),
            reporters=Count("id"),
            with_last=Sum(Case(When(last, then=F("value")))),
            with_last_members=Count(Case(When(last, then=F("id")))),
            with_next=Sum(Case(When(following, then=F("value")))),
            with_next_members=Count(Case(When(following, then=F("id")))),
        )
        .order_by()
    )
    written = [
        models.sum(
            park_id=row["park_id"],
            industry_id=row["industry_id"],
            indicator_id=row["indicator_id"],
            year=row["year"],
            month=row["month"],
            total=stored(row["total"]),
            reporters=row["reporters"],
            with_last=stored(row["with_last"]),
            with_last_members=row["with_last_members"],
            with_next=stored(row["with_next"]),
            with_next_members=row["with_next_members"],
        )
        for row in rows
    ]
    models.sum.objects.bulk_create(written, batch_size=CREATE_BATCH)
    return len(written)


def official_totals(
    *, indicators, years: Iterable[int], months: Iterable[int] | None = None, parks=None
) -> dict[tuple[int, int, int, int], Decimal]:
    """Return (park id, indicator id, year, month) → the statistical enterprises' official
    total, for the park-months that count (indicators.official), in one query of the
    kept lines: what a GROUP BY of the official figures by park gives, at a few lines
    per park and month."""
    from .models import FigureSum
    from .official import official_figure_q

    lines = FigureSum.objects.filter(indicator__in=indicators, year__in=list(years))
    if months is not None:
        lines = lines.filter(month__in=sorted(set(months)))
    if parks is not None:
        lines = lines.filter(park__in=parks)
    rows = (
        lines.filter(official_figure_q("park_id"))
        .values_list("park_id", "indicator_id", "year", "month")
        .annotate(sum_total=Sum("total"))
        .order_by()
    )
    return {
        (park, indicator, year, month): stored(total)
        for park, indicator, year, month, total in rows
    }
