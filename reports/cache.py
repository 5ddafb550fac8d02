"""The dashboard's and the year-end summary's built data, kept in the cache and never stale.

What is kept is the builders' result (plain frozen dataclasses), not the page: the page
still renders per request with its user's name, menu, picker and CSRF token; the
dashboard's part drawn from its data alone (the same for every user who may read the
scope) is kept as a template fragment under the same key (templates/reports/home.html).
A result is keyed by what it is built from: the scope, the period, the chart's
indicator (and, for the dashboard, the day its attention list is judged on), which figures
count as official (FIGURES_OFFICIAL_FROM) and the data version
that every door bumps in the same transaction as its write (parkportal.data_version). The
version is read before the builder's reads, from the same database, so what is built is
at least as new as the version it is kept under: a change committed before a request is seen by it.
"""

import hashlib
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from indicators import codes
from parkportal.data_version import data_version

from .dashboard import Dashboard, dashboard
from .scope import ReportPeriod, ReportScope
from .year_end import YearEndReport, year_end_report
from .year_end.attraction import made_on

# The apps whose code builds what is kept, and the reports' templates (the fragment).
BUILT_FROM = (
    "reports",
    "indicators",
    "parkportal",
    "projects",
    "investment",
    "planning",
    "services",
)


def _code_digest() -> str:
    """Return a digest of the code and templates the kept data and fragments come from,
    so that a new release never reads an old release's pickles or fragments."""
    base = Path(settings.BASE_DIR)
    paths = [path for app in BUILT_FROM for path in (base / app).rglob("*.py")]
    paths += (base / "templates" / "reports").rglob("*.html")
    digest = hashlib.blake2b(digest_size=6)
    for path in sorted(paths):
        digest.update(path.read_bytes())
    return digest.hexdigest()


FORMAT = _code_digest()
# A version's results are useless once the next write lands; they leave the cache on
# their own after this long.
TIMEOUT = 24 * 60 * 60
# An indicator's code as the query string may carry it into a key.
CODE = re.compile(r"[A-Za-z0-9_]{1,40}")


def _store():
    """Return the cache the reports keep their data in: "template_fragments" (as the
    dashboard's {% cache %} tag does) when configured, else the default one."""
    return caches["template_fragments" if "template_fragments" in settings.CACHES else "default"]


def _key(kind: str, scope: ReportScope, period: ReportPeriod, *parts) -> str:
    version = data_version()
    rule = settings.FIGURES_OFFICIAL_FROM
    return ":".join(
        str(part)
        for part in (
            "reports",
            FORMAT,
            kind,
            version,
            rule,
            scope.park.pk,
            period.year,
            period.month,
            *parts,
        )
    )


def dashboard_key(scope: ReportScope, period: ReportPeriod, chart_indicator: str) -> str:
    """Return the key the dashboard of `scope`, `period` and the chart's indicator is kept
    under, with the data version as it stands now (read before anything it is built from)."""
    if not CODE.fullmatch(chart_indicator):
        chart_indicator = codes.REVENUE  # as the builder reads a code it does not know
    # The attention list judges leads, lights, issues and promises as of today: a new day
    # builds anew.
    today = timezone.localdate()
    return _key("dashboard", scope, period, chart_indicator, today.isoformat())


def cached_dashboard(
    scope: ReportScope, period: ReportPeriod, chart_indicator: str, *, key: str | None = None
) -> tuple[Dashboard, str]:
    """Return `dashboard(scope, period, chart_indicator)`, built once per data version,
    and its key (`key` when the caller has made it with dashboard_key): the page keeps
    what it renders of the dashboard alone under it."""
    if not CODE.fullmatch(chart_indicator):
        chart_indicator = codes.REVENUE
    key = key or dashboard_key(scope, period, chart_indicator)
    board = _store().get(key)
    if board is None:
        # The day is the key's: a build that runs past midnight keeps the day it began.
        board = dashboard(scope, period, chart_indicator, date.fromisoformat(key.split(":")[-1]))
        _store().set(key, board, TIMEOUT)
    return board, key


def dashboard_page_key(board_key: str, *, role, parks) -> str:
    """Return the key the dashboard's page is kept under, all but its header (the user's
    name, menu, messages, CSRF token): the board's key, the user's role and the parks
    their picker lists (a digest of each one's id, code, name, kind and zone)."""
    listed = hashlib.blake2b(digest_size=8)
    for park in parks:
        listed.update(f"{park.pk}|{park.code}|{park.name}|{park.kind}|{park.parent_id}\n".encode())
    return f"{board_key}:page:{role or ''}:{listed.hexdigest()}"


def kept_part(key: str, draw: Callable[[], str]) -> str:
    """Return the part of a page kept under `key`; draw and keep it when missing
    (the {% keep %} tag: reports/templatetags/kept.py)."""
    part = _store().get(key)
    if part is None:
        part = draw()
        _store().set(key, part, TIMEOUT)
    return part


def cached_year_end_report(scope: ReportScope, period: ReportPeriod) -> YearEndReport:
    """Return `year_end_report(scope, period)`, built once per data version and, in the
    current year, per day: it reports the fairs held after the cut-off up to the day it is
    made (a past year's up to its end, the same every day)."""
    until = made_on(period)
    key = _key("year_end", scope, period, until.isoformat())
    report = _store().get(key)
    if report is None:
        report = year_end_report(scope, period, until)
        _store().set(key, report, TIMEOUT)
    return report
