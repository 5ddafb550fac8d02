"""The enterprise directory (企业名录): the enterprises a reader may see, searched, filtered
and sorted, each with its official year-to-date 营业收入 and 税收收入 of one month and
their growth against the same months of last year.

- Whose: `Enterprise.objects.visible_to(reader)`. Park staff list their parks' enterprises
  only, whatever the query string asks; leaders and admins every park's.
- Which: deregistered (注销) enterprises are left out unless the status filter asks for them.
- Figures: the official 1-N figure of the chosen month (`reports.figures.figure_of`, which
  asks `indicators.official`): a draft month's figure shows to nobody here. Growth is
  `indicators.domain.growth_rate` of the figure and last year's; the sort by growth
  computes the same rate in SQL (no base, or a base of zero or below: no growth, last).
- One query reads a page of the list (or all of it, for the download), however many
  enterprises it holds: the figures are subqueries of it and the sort happens in it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    OrderBy,
    Q,
    QuerySet,
    Subquery,
    When,
)

from indicators import codes
from indicators.domain import growth_rate
from indicators.models import Indicator
from indicators.official import official_wording
from parkportal.choices import EnterpriseStatus, ScaleCategory
from parkportal.models import Enterprise, Park

from .figures import figure_of, stored
from .links import EnterpriseLinks
from .scope import ReportPeriod
from .tables import Column, Kind, Table, table_row
from .xlsx import Book

PAGE_SIZE = 50
SHEET = "企业名录"
FIGURES = (codes.REVENUE, codes.TAX)  # the indicators each row shows, in catalog order

# Filter values beside the choices' own: the query string's words for "any", "none" …
ANY, NONE, YES, NO, ALL = "any", "none", "yes", "no", "all"
NO_INDUSTRY = "未分类"
NOT_ABOVE_SCALE = "非四上"

DEFAULT_SORT = "park"
# The sort keys a request may ask for (with "-" in front: the other way round), each with
# the fields it orders by. A figure's key names its annotation.
SORTS = {
    "name": ("name",),
    "park": ("park__sort_order", "park__code", "name"),
    "revenue": (codes.REVENUE,),
    "tax": (codes.TAX,),
    "growth": (f"{codes.REVENUE}_growth",),
    "tax_growth": (f"{codes.TAX}_growth",),
}
# The column a sort key is chosen by in the table's head.
SORT_COLUMNS = {
    "name": "name",
    "park": "park",
    codes.REVENUE: "revenue",
    codes.TAX: "tax",
    f"{codes.REVENUE}_growth": "growth",
    f"{codes.TAX}_growth": "tax_growth",
}
TEXT_SORTS = {"name", "park"}  # ascending first; figures descending first
SORT_CHOICES = [
    ("park", "按园区"),
    ("-park", "按园区（倒序）"),
    ("name", "按企业名称"),
    ("-name", "按企业名称（倒序）"),
    ("-revenue", "营业收入从高到低"),
    ("revenue", "营业收入从低到高"),
    ("-tax", "税收收入从高到低"),
    ("tax", "税收收入从低到高"),
    ("-growth", "营业收入增速从高到低"),
    ("growth", "营业收入增速从低到高"),
    ("-tax_growth", "税收收入增速从高到低"),
    ("tax_growth", "税收收入增速从低到高"),
]
IN_STATISTICS_CHOICES = [("", "全部"), (YES, "入统"), (NO, "未入统")]
SCALE_CHOICES = [
    ("", "全部"),
    (ANY, "四上企业"),
    *ScaleCategory.choices,
    (NONE, NOT_ABOVE_SCALE),
]
STATUS_CHOICES = [
    ("", "不含注销"),
    *EnterpriseStatus.choices,
    (ALL, "全部（含注销）"),
]

MONEY_UNIT = "金额单位：万元"
GROWTH_PLACES = 4  # decimals of the growth the sort computes; the page rounds to 2


@dataclass(frozen=True)
class DirectoryFilters:
    """What the reader asks the directory for (reports.forms.DirectoryForm)."""

    text: str = ""  # a part of the name or of the credit code
    park: Park | None = None  # a park, or a zone: its parks and its own register
    industry: str = ""  # an industry's id, NONE (no industry) or "" (any)
    in_statistics: str = ""  # YES, NO or ""
    scale_category: str = ""  # a ScaleCategory, ANY (四上), NONE (非四上) or ""
    status: str = ""  # an EnterpriseStatus, ALL, or "" (registered: all but 注销)
    sort: str = DEFAULT_SORT  # a key of SORTS, "-" in front for the other way round


@dataclass(frozen=True)
class SortHeader:
    """A column's header in the page's table, with the list sorted by it when it sorts."""

    column: Column
    sort: str  # the sort key its link asks for; "" when the column does not sort
    order: str  # "ascending" or "descending" when the list is sorted by it, else ""


@dataclass(frozen=True)
class Directory:
    """The enterprises of a directory query, ready to be read a page at a time."""

    period: ReportPeriod
    indicators: list[Indicator]  # of FIGURES, in the catalog's order
    enterprises: QuerySet[Enterprise]  # filtered, annotated with the figures, sorted
    scope_name: str  # 全部园区 or the park's name
    sort: str

    @property
    def title(self) -> str:
        return f"企业名录（{self.scope_name}，{self.period.title}）"

    @property
    def columns(self) -> list[Column]:
        """Return the table's columns: the name and the figures first, for a phone's width."""
        figures = []
        for indicator in self.indicators:
            kind = Kind.MONEY if indicator.is_money else Kind.COUNT
            figures += [
                Column(indicator.code, f"{indicator.name}{self.period.label}", kind),
                Column(f"{indicator.code}_growth", f"{indicator.name}同比(%)", Kind.PERCENT),
            ]
        return [
            Column("name", "企业名称"),
            Column("park", "园区"),
            *figures,
            Column("industry", "产业"),
            Column("in_statistics", "入统"),
            Column("scale_category", "四上类别"),
            Column("status", "状态"),
            Column("credit_code", "统一社会信用代码"),
        ]

    @property
    def headers(self) -> list[SortHeader]:
        """Return the table's headers, each with the sort its link asks for."""
        key, descending = self.sort.removeprefix("-"), self.sort.startswith("-")
        headers = []
        for column in self.columns:
            column_key = SORT_COLUMNS.get(column.name, "")
            order = ""
            if column_key and column_key == key:
                order = "descending" if descending else "ascending"
            headers.append(SortHeader(column, _next_sort(column_key, order), order))
        return headers

    def table(self, enterprises, links: EnterpriseLinks, *, notice: str = "") -> Table:
        """Return the table of `enterprises` (a page of `self.enterprises`, or all of it),
        each name linked to its page where the reader may open it."""
        columns = self.columns
        rows = [
            table_row(
                columns,
                self._values(enterprise),
                pages={"name": links(enterprise.pk, enterprise.park_id)},
            )
            for enterprise in enterprises
        ]
        note = (
            f"{'、'.join(indicator.name for indicator in self.indicators)}为{self.period.year}年"
            f"{self.period.label}累计数，只计园区{official_wording()}的月份；"
            "同比为比上年同期增长，上年同期没有数据（或不大于零）时为“—”。"
        )
        return Table(
            key=SHEET,
            title=self.title,
            unit=f"{MONEY_UNIT}；同比单位：%",
            columns=columns,
            rows=rows,
            note=f"{notice}。{note}" if notice else note,
            empty="没有符合条件的企业。",
        )

    def _values(self, enterprise: Enterprise) -> dict:
        values = {
            "name": enterprise.name,
            "park": enterprise.park.name,
            "industry": enterprise.industry.name if enterprise.industry else NO_INDUSTRY,
            "in_statistics": "入统" if enterprise.in_statistics else "未入统",
            "scale_category": enterprise.get_scale_category_display() or NOT_ABOVE_SCALE,
            "status": enterprise.get_status_display(),
            "credit_code": enterprise.credit_code,
        }
        for indicator in self.indicators:
            code = indicator.code
            value = stored(getattr(enterprise, code))
            base = stored(getattr(enterprise, f"{code}_base"))
            values[code] = value
            values[f"{code}_growth"] = growth_rate(value, base)
        return values


def _next_sort(key: str, order: str) -> str:
    """Return the sort a header's link asks for: the other way round when the list is
    sorted by it, else its first way (names ascending, figures descending)."""
    if not key:
        return ""
    if order:
        return key if order == "descending" else f"-{key}"
    return key if key in TEXT_SORTS else f"-{key}"


def directory_indicators() -> list[Indicator]:
    """Return the indicators of FIGURES that are in use, in the catalog's order."""
    return list(Indicator.objects.active().filter(code__in=FIGURES))


def directory(
    user,
    filters: DirectoryFilters,
    period: ReportPeriod,
    indicators: list[Indicator],
) -> Directory:
    """Return the enterprises `user` may see that match `filters`, with the official
    figures of `indicators` for `period` and last year's, sorted as asked (no query is
    made until they are read)."""
    enterprises = (
        Enterprise.objects.visible_to(user)
        .filter(_filter_q(filters))
        .select_related("park", "industry")
    )
    annotations = {}
    for indicator in indicators:
        code = indicator.code
        annotations[code] = Subquery(figure_of(period.year, period.month, indicator))
        annotations[f"{code}_base"] = Subquery(figure_of(period.year - 1, period.month, indicator))
    growths = {
        f"{indicator.code}_growth": _growth(indicator.code, f"{indicator.code}_base")
        for indicator in indicators
    }
    enterprises = enterprises.annotate(**annotations).annotate(**growths)
    sort = _valid_sort(filters.sort, set(annotations) | set(growths))
    return Directory(
        period=period,
        indicators=indicators,
        enterprises=enterprises.order_by(*_ordering(sort)),
        scope_name=filters.park.name if filters.park else "全部园区",
        sort=sort,
    )


def _filter_q(filters: DirectoryFilters) -> Q:
    q = Q()
    if filters.text:
        q &= Q(name__icontains=filters.text) | Q(credit_code__icontains=filters.text)
    if filters.park is not None:
        # A zone lists its parks' enterprises and those on its own register.
        q &= Q(park=filters.park) | Q(park__parent=filters.park)
    if filters.industry == NONE:
        q &= Q(industry__isnull=True)
    elif filters.industry:
        q &= Q(industry_id=filters.industry)
    if filters.in_statistics:
        q &= Q(in_statistics=filters.in_statistics == YES)
    if filters.scale_category == ANY:
        q &= ~Q(scale_category="")
    elif filters.scale_category == NONE:
        q &= Q(scale_category="")
    elif filters.scale_category:
        q &= Q(scale_category=filters.scale_category)
    if not filters.status:
        q &= ~Q(status=EnterpriseStatus.DEREGISTERED)
    elif filters.status != ALL:
        q &= Q(status=filters.status)
    return q


def _growth(value: str, base: str) -> Case:
    """Return, in SQL, indicators.domain.growth_rate of two annotations: None without a
    base above zero."""
    ratio = ExpressionWrapper(
        (F(value) - F(base)) * Decimal(100) / F(base),
        output_field=DecimalField(max_digits=24, decimal_places=GROWTH_PLACES),
    )
    return Case(
        When(Q(**{f"{value}__isnull": False, f"{base}__gt": 0}), then=ratio),
        default=None,
        output_field=DecimalField(max_digits=24, decimal_places=GROWTH_PLACES),
    )


def _valid_sort(sort: str, annotations: set[str]) -> str:
    """Return `sort` when the directory can apply it, else the default: a figure's sort
    needs its indicator in use."""
    key = sort.removeprefix("-")
    if key not in SORTS or (key not in TEXT_SORTS and SORTS[key][0] not in annotations):
        return DEFAULT_SORT
    return sort


def _ordering(sort: str) -> list[OrderBy]:
    """Return the ordering of a sort key: its fields (a figure without a value last, either
    way), then the park, the name and the id, so that pages never overlap."""
    descending = sort.startswith("-")
    fields = SORTS[sort.removeprefix("-")]
    ordering = [OrderBy(F(field), descending=descending, nulls_last=True) for field in fields]
    ordering += [F(field).asc() for field in SORTS[DEFAULT_SORT]]
    return [*ordering, F("pk").asc()]


def directory_xlsx(table: Table) -> bytes:
    """Return the directory's table as an .xlsx file: money in 万元, numbers as numbers."""
    book = Book(table.title, SHEET)
    book.table_sheet(table)
    return book.close()
