"""The pages leaders and staff read: the home page and the year-end summary."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from parkportal.models import Park
from parkportal.roles import visible_parks

from .forms import YearEndForm
from .selectors import park_overview
from .year_end import ReportPeriod, ReportScope, latest_period, report_scope, year_end_report
from .year_end_docx import year_end_docx
from .year_end_narrative import narrative
from .year_end_rows import PAGE_SIZE, UnknownFigure, figure_rows
from .year_end_tables import Table, report_tables, table_row
from .year_end_xlsx import year_end_xlsx

DOWNLOADS = {
    "xlsx": (
        year_end_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "docx": (
        year_end_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


@login_required
def home(request):
    """Show the parks the user may see, each with its register at a glance."""
    return render(request, "reports/home.html", {"overview": park_overview(request.user)})


@dataclass(frozen=True)
class _Choice:
    """A report's park and period as chosen (or defaulted) from the query string."""

    form: YearEndForm
    parks: list[Park]
    scope: ReportScope | None = None
    period: ReportPeriod | None = None

    @property
    def query(self) -> dict:
        return {"park": self.scope.park.code, "year": self.period.year, "month": self.period.month}


def _choose(request) -> _Choice:
    """Return the report the request asks for, its park checked against the user's parks.

    Raise Http404 for an unknown park and PermissionDenied for a park the user may
    not read. An invalid form, or a user without parks, leaves the scope empty.
    """
    prefetch_related_objects([request.user], "groups")
    parks = list(
        visible_parks(request.user).order_by(
            Coalesce("parent__sort_order", "sort_order"),
            Coalesce("parent__code", "code"),
            "-kind",  # a zone before its parks
            "sort_order",
            "code",
        )
    )
    form = YearEndForm(request.GET, parks=parks)
    if not parks or not form.is_valid():
        return _Choice(form, parks)
    code = form.cleaned_data["park"]
    park = next((park for park in parks if park.code == code), None) if code else parks[0]
    if park is None:
        if Park.objects.filter(code=code).exists():
            raise PermissionDenied("您无权查看该园区的报告。")
        raise Http404("没有这个园区。")
    scope = report_scope(park)
    year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    if year is None or month is None:
        latest = latest_period(scope, year) or _no_figures_period(year)
        year, month = latest.year, month or latest.month
    return _Choice(form, parks, scope, ReportPeriod(year, month))


def _no_figures_period(year: int | None) -> ReportPeriod:
    """Return the period to show when the scope has no figures: this month, or a past December."""
    today = timezone.localdate()
    if year is None or year == today.year:
        return ReportPeriod(today.year, today.month)
    return ReportPeriod(year, 12)


@login_required
def year_end(request):
    """Show the year-end summary, or send it as .xlsx or .docx with `format`."""
    choice = _choose(request)
    if choice.scope is None:
        status = 400 if choice.parks else 200
        return render(request, "reports/year_end.html", {"choice": choice}, status=status)
    report = year_end_report(choice.scope, choice.period)
    output = choice.form.cleaned_data.get("format") or "html"
    if output in DOWNLOADS:
        write, content_type = DOWNLOADS[output]
        return HttpResponse(
            write(report),
            content_type=content_type,
            headers={
                "Content-Disposition": content_disposition_header(True, f"{report.title}.{output}")
            },
        )
    query = choice.query
    context = {
        "choice": choice,
        "report": report,
        "paragraphs": narrative(report),
        "tables": report_tables(report),
        "xlsx_query": urlencode({**query, "format": "xlsx"}),
        "docx_query": urlencode({**query, "format": "docx"}),
    }
    return render(request, "reports/year_end.html", context)


@login_required
def year_end_rows(request):
    """List the enterprises, projects or leads a figure of the summary adds up, by pages."""
    choice = _choose(request)
    if choice.scope is None:
        raise Http404("请先选择园区和期间。")
    try:
        rows = figure_rows(choice.scope, choice.period, request.GET.get("figure", ""))
    except UnknownFigure as error:
        raise Http404("报告中没有这个数字。") from error
    page = Paginator(rows.queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    table = Table(
        key="明细",
        title=rows.title,
        unit=rows.unit,
        columns=rows.columns,
        rows=[table_row(rows.columns, rows.values(item)) for item in page.object_list],
        note=rows.note,
        empty="没有符合条件的记录。",
    )
    query = {**choice.query, "figure": request.GET.get("figure", "")}
    context = {
        "choice": choice,
        "table": table,
        "page": page,
        "report_query": urlencode(choice.query),
        "page_query": urlencode(query),
        "scope_name": choice.scope.park.name,
        "period_label": f"{choice.period.year}年{choice.period.label}",
    }
    return render(request, "reports/year_end_rows.html", context)
