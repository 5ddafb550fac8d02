"""The dashboard's chart data: the builder's figures as plain JSON for `json_script`.

Money stays Decimal up to here and goes out as strings (DjangoJSONEncoder), totals
converted to 亿元 with 4 decimals, enterprises' figures in 万元; the page's script
(static/reports/dashboard.js) turns them into numbers for ECharts. Every chart
names its unit.
"""

from decimal import Decimal

from django.urls import reverse

from parkportal import display

from ..figures import IndicatorFigures, ParkIndicators
from .builder import Dashboard, GroupIndicators, MonthlySeries


def series_chart(series: MonthlySeries | None) -> dict | None:
    """Return one indicator's months, this year against last: cumulative and own values."""
    if series is None:
        return None

    def shown(values: list[Decimal | None]) -> list[Decimal | None]:
        return [display.chart_amount(value, is_money=series.is_money) for value in values]

    return {
        "code": series.code,
        "name": series.name,
        "unit": display.chart_unit(series.unit, is_money=series.is_money),
        "months": [f"{month}月" for month in range(1, 13)],
        "cumulative": shown(series.cumulative),
        "last_cumulative": shown(series.last_cumulative),
        "own": shown(series.own),
        "last_own": shown(series.last_own),
        "own_labels": series.own_labels,
        "last_own_labels": series.last_own_labels,
    }


def _groups_chart(lines: list[ParkIndicators] | list[GroupIndicators], flows: list[str]) -> dict:
    """Return, per flow indicator, each line's year to date, last year's and growth."""
    chart = {"names": [line.name for line in lines], "by_indicator": {}}
    for code in flows:
        figures: list[IndicatorFigures] = [
            next(f for f in line.indicators if f.code == code) for line in lines
        ]
        chart["by_indicator"][code] = {
            "current": [display.chart_amount(f.current, is_money=f.is_money) for f in figures],
            "last_year": [display.chart_amount(f.last_year, is_money=f.is_money) for f in figures],
            "growth": [f.growth.rate for f in figures],
        }
    return chart


def dashboard_charts(board: Dashboard) -> dict:
    """Return every chart's data of the dashboard, for the page's json_script."""
    flows = [line.code for line in board.chart_indicators]
    industries = [
        line
        for line in board.industries
        # An industry without a figure in either year stays off the chart.
        if any(f.current is not None or f.last_year is not None for f in line.indicators)
    ]
    return {
        "period": {"year": board.period.year, "month": board.period.month},
        "indicators": [
            {
                "code": line.code,
                "name": line.name,
                "unit": display.chart_unit(line.unit, is_money=line.is_money),
            }
            for line in board.chart_indicators
        ],
        "series": series_chart(board.series),
        "parks": _groups_chart(board.by_park, flows) if board.by_park else None,
        "industries": {
            **_groups_chart(industries, flows),
            "groups": [line.group for line in industries],
        },
        "rankings": [
            {
                "code": ranking.code,
                "name": ranking.name,
                "unit": ranking.unit,
                "names": [line.name for line in ranking.lines],
                "parks": [line.park for line in ranking.lines],
                "values": [line.value for line in ranking.lines],
                "growth": [line.growth for line in ranking.lines],
                "urls": [
                    reverse("reports:enterprise", args=[line.pk]) + f"?year={board.period.year}"
                    for line in ranking.lines
                ],
            }
            for ranking in board.rankings
        ],
        "stages": {
            "labels": [stage.label for stage in board.projects.by_stage],
            "counts": [stage.count for stage in board.projects.by_stage],
            "investment": [
                display.chart_amount(stage.total_investment, is_money=True)
                for stage in board.projects.by_stage
            ],
        },
        "funnel": {
            "labels": [step.label for step in board.leads.funnel],
            "counts": [step.count for step in board.leads.funnel],
        },
        "channels": {
            "labels": [line.label for line in board.leads.by_channel],
            "counts": [line.count for line in board.leads.by_channel],
        },
    }
