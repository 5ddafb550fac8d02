"""The pages leaders and staff read: the dashboard, the enterprise directory, an
enterprise's page and the year-end summary."""

from dataclasses import dataclass
from functools import cached_property, partial
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header

from indicators import codes
from indicators.choices import IndicatorKind
from indicators.models import Indicator
from indicators.official import default_period, reporting_progress
from indicators.workflow import may_enter
from parkportal.access import get_visible_or_403
from parkportal.models import Enterprise, Industry, Park
from parkportal.replica import reads_from_replica
from parkportal.roles import user_role

from . import directory as enterprise_directory
from .cache import cached_dashboard, cached_year_end_report, dashboard_key, dashboard_page_key
from .dashboard import dashboard_charts, monthly_series, rules, series_chart
from .enterprise import enterprise_charts, enterprise_latest_year, enterprise_page
from .forms import DirectoryForm, YearEndForm
from .links import EnterpriseLinks
from .scope import MonthSteps, ReportPeriod, ReportScope, month_steps, report_scope
from .tables import Table, table_row
from .year_end import (
    PAGE_SIZE,
    UnknownFigure,
    figure_rows,
    narrative,
    report_tables,
    year_end_docx,
    year_end_xlsx,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOADS = {
    "xlsx": (year_end_xlsx, XLSX),
    "docx": (
        year_end_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


@login_required
@reads_from_replica
def home(request):
    """Show the dashboard of the zone or park and month the query string asks for.

    Leaders and admins may choose any zone or park; park staff their own parks only
    (another park is refused with 403). The default is the first park the user may
    read (the zone, for leaders) and the latest month that every park of it has
    counted (reports.year_end.default_period).
    """
    choice = _choose(request)
    if choice.scope is None:
        return _picker_only(request, choice, "reports/home.html")
    chart = request.GET.get("indicator") or codes.REVENUE
    board_key = dashboard_key(choice.scope, choice.period, chart)
    # Read only when a kept part of the page is missing (or a test looks at it): a warm
    # page reads nothing of it.
    board = SimpleLazyObject(
        lambda: cached_dashboard(choice.scope, choice.period, chart, key=board_key)[0]
    )
    context = {
        "choice": choice,
        "board": board,
        "board_key": board_key,  # the page keeps what it draws from the board alone
        # All of the page but its header, as this user's role and parks draw it.
        "page_key": dashboard_page_key(board_key, role=user_role(request.user), parks=choice.parks),
        # Called only when the kept fragment is missing.
        "charts": partial(dashboard_charts, board),
        "rules": SimpleLazyObject(rules),
        "series_url": f"{reverse('reports:dashboard_series')}?{urlencode(choice.query)}",
        "year_end_query": urlencode(choice.query),
    }
    return render(request, "reports/home.html", context)


@login_required
@reads_from_replica
def dashboard_series(request):
    """Send the dashboard's monthly series of another indicator, as JSON for its charts."""
    choice = _chosen(request)
    indicator = (
        Indicator.objects.active()
        .filter(code=request.GET.get("indicator", ""), kind=IndicatorKind.FLOW)
        .first()
    )
    if indicator is None:
        raise Http404("没有这个指标。")
    return JsonResponse(series_chart(monthly_series(choice.scope, choice.period, indicator)))


@login_required
@reads_from_replica
def enterprise(request, pk):
    """Show an enterprise: three years of monthly figures, its projects, its latest changes.

    Official figures only, except for those who may enter the park's figures: they see
    the draft months as well, marked 草稿.
    """
    prefetch_related_objects([request.user], "groups")
    enterprise = get_visible_or_403(
        Enterprise.objects.select_related("park", "industry"), request.user, pk=pk
    )
    # Who may enter the park's figures sees its drafts too, marked; everyone else
    # sees official figures only.
    drafts = may_enter(request.user, enterprise.park)
    year = _year(request.GET.get("year")) or enterprise_latest_year(enterprise, drafts=drafts)
    page = enterprise_page(enterprise, year or timezone.localdate().year, drafts=drafts)
    context = {"page": page, "charts": enterprise_charts(page)}
    return render(request, "reports/enterprise.html", context)


@login_required
@reads_from_replica
def directory(request):
    """List the enterprises the user may see, searched, filtered and sorted, a page at a
    time, with their official revenue and tax of a month and its growth; send the whole
    list as .xlsx with `format=xlsx`.

    Park staff list their own parks' enterprises only; asking for another park is refused
    with 403. The month is the dashboard's by default: the latest every park listed has
    counted.
    """
    parks = _readable_parks(request.user)
    industries = list(Industry.objects.order_by("group", "sort_order", "name"))
    form = DirectoryForm(request.GET, parks=parks, industries=industries)
    if not parks:  # the page says so
        return render(request, "reports/directory.html", {"form": form, "parks": parks})
    if not form.is_valid():
        context = {"form": form, "parks": parks}
        return render(request, "reports/directory.html", context, status=400)
    park = _chosen_park(parks, form.cleaned_data["park"])
    listed = report_scope(park).parks if park else parks
    period = _period(listed, form.cleaned_data["year"], form.cleaned_data["month"])
    listing = enterprise_directory.directory(
        request.user, form.filters(park), period, enterprise_directory.directory_indicators()
    )
    links = EnterpriseLinks([park.pk for park in parks], period.year)
    progress = reporting_progress(listed, period.year, period.month)
    if form.cleaned_data["format"] == "xlsx":
        table = listing.table(listing.enterprises, links, notice=progress.notice)
        return _attachment(
            enterprise_directory.directory_xlsx(table), XLSX, f"{listing.title}.xlsx"
        )
    page = Paginator(listing.enterprises, enterprise_directory.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # The form shows what is listed: the period and the sort filled in.
    shown = {**form.cleaned_data, "year": period.year, "month": period.month, "sort": listing.sort}
    context = {
        "form": DirectoryForm(initial=shown, parks=parks, industries=industries),
        "parks": parks,
        "listing": listing,
        "progress": progress,
        "page": page,
        "table": listing.table(page.object_list, links),
        "headers": [
            (header, form.query(period, header.sort) if header.sort else "")
            for header in listing.headers
        ],
        "page_query": form.query(period, listing.sort),
        "xlsx_query": form.query(period, listing.sort, format="xlsx"),
    }
    return render(request, "reports/directory.html", context)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """Return a download of `content` named `filename`."""
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


def _year(text: str | None) -> int | None:
    """Return the year asked for, or None when none (or no sensible one) is given."""
    if text and text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    return None


@dataclass(frozen=True)
class _Choice:
    """A report's park and period as chosen (or defaulted) from the query string."""

    form: YearEndForm  # as the picker shows it
    parks: list[Park]
    scope: ReportScope | None = None
    period: ReportPeriod | None = None
    output: str = "html"  # the format asked for: html, xlsx or docx

    @property
    def query(self) -> dict:
        return {"park": self.scope.park.code, "year": self.period.year, "month": self.period.month}

    @cached_property
    def steps(self) -> MonthSteps | None:
        """Return the picker's previous and next months (read when the page shows them)."""
        return month_steps(self.scope, self.period) if self.scope else None


def _choose(request) -> _Choice:
    """Return the report the request asks for, its park checked against the user's parks.

    Raise Http404 for an unknown park and PermissionDenied for a park the user may
    not read. An invalid form, or a user without parks, leaves the scope empty.
    """
    parks = _readable_parks(request.user)
    form = YearEndForm(request.GET, parks=parks)
    if not parks or not form.is_valid():
        return _Choice(form, parks)
    park = _chosen_park(parks, form.cleaned_data["park"]) or parks[0]
    scope = report_scope(park)
    period = _period(scope.parks, form.cleaned_data["year"], form.cleaned_data["month"])
    # The picker shows what is shown: the park and the period, defaults filled in.
    initial = {"park": park.code, "year": period.year, "month": period.month}
    shown = YearEndForm(initial=initial, parks=parks)
    output = form.cleaned_data["format"] or "html"
    return _Choice(shown, parks, scope, period, output)


def _readable_parks(user) -> list[Park]:
    """Return the parks (and zones) `user` may read, each zone followed by its parks."""
    prefetch_related_objects([user], "groups")
    return list(
        Park.objects.visible_to(user).order_by(
            Coalesce("parent__sort_order", "sort_order"),
            Coalesce("parent__code", "code"),
            "-kind",  # a zone before its parks
            "sort_order",
            "code",
        )
    )


def _chosen_park(parks: list[Park], code: str) -> Park | None:
    """Return the park of `code` among the user's `parks`; None when no code is given.

    Raise Http404 for an unknown park and PermissionDenied for one the user may not read.
    """
    if not code:
        return None
    park = next((park for park in parks if park.code == code), None)
    if park is None:
        if Park.objects.filter(code=code).exists():
            raise PermissionDenied("您无权查看该园区的数据。")
        raise Http404("没有这个园区。")
    return park


def _period(parks, year: int | None, month: int | None) -> ReportPeriod:
    """Return the period asked for, a blank filled as every report fills it: the latest
    month that every one of `parks` has counted (in `year` when given), else the latest
    that any has (indicators.official.default_period)."""
    if year is None or month is None:
        latest = default_period(parks, year)
        latest = ReportPeriod(*latest) if latest else _no_figures_period(year)
        year, month = latest.year, month or latest.month
    return ReportPeriod(year, month)


def _chosen(request) -> _Choice:
    """Return the report the request asks for; raise Http404 when it names none."""
    choice = _choose(request)
    if choice.scope is None:
        raise Http404("请先选择园区和期间。")
    return choice


def _picker_only(request, choice: _Choice, template: str) -> HttpResponse:
    """Show a page with its picker alone: 400 for an invalid choice, or 200 for a user
    without parks (the page says so)."""
    return render(request, template, {"choice": choice}, status=400 if choice.parks else 200)


def _no_figures_period(year: int | None) -> ReportPeriod:
    """Return the period to show when the scope has no figures: this month, or a past December."""
    today = timezone.localdate()
    if year is None or year == today.year:
        return ReportPeriod(today.year, today.month)
    return ReportPeriod(year, 12)


@login_required
@reads_from_replica
def year_end(request):
    """Show the year-end summary, or send it as .xlsx or .docx with `format`."""
    choice = _choose(request)
    if choice.scope is None:
        return _picker_only(request, choice, "reports/year_end.html")
    report = cached_year_end_report(choice.scope, choice.period)
    output = choice.output
    if output in DOWNLOADS:
        write, content_type = DOWNLOADS[output]
        return _attachment(write(report), content_type, f"{report.title}.{output}")
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
@reads_from_replica
def year_end_rows(request):
    """List the enterprises, projects or leads a figure of the summary adds up, by pages;
    an enterprise's name links to its page."""
    choice = _chosen(request)
    try:
        rows = figure_rows(choice.scope, choice.period, request.GET.get("figure", ""))
    except UnknownFigure as error:
        raise Http404("报告中没有这个数字。") from error
    page = Paginator(rows.queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    links = EnterpriseLinks([park.pk for park in choice.parks], choice.period.year)
    table = Table(
        key="明细",
        title=rows.title,
        unit=rows.unit,
        columns=rows.columns,
        rows=[
            table_row(rows.columns, rows.values(item), pages=rows.pages(item, links))
            for item in page.object_list
        ],
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
        "period_label": choice.period.title,
    }
    return render(request, "reports/year_end_rows.html", context)
