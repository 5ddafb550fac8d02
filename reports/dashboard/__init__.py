"""The leaders' dashboard: the builder, its attention list, its panels and its chart data."""

from .attention import Attention, Flagged, FlaggedEnterprise, ParkReport, rules
from .builder import (
    Card,
    Dashboard,
    GroupIndicators,
    MonthlySeries,
    RankedEnterprise,
    Ranking,
    dashboard,
    monthly_series,
)
from .charts import dashboard_charts, series_chart
from .panels import BehindProject, FunnelStep, LeadPanel, ProjectPanel, StageCount

__all__ = [
    "Attention",
    "BehindProject",
    "Card",
    "Dashboard",
    "Flagged",
    "FlaggedEnterprise",
    "FunnelStep",
    "GroupIndicators",
    "LeadPanel",
    "MonthlySeries",
    "ParkReport",
    "ProjectPanel",
    "RankedEnterprise",
    "Ranking",
    "StageCount",
    "dashboard",
    "dashboard_charts",
    "monthly_series",
    "rules",
    "series_chart",
]
