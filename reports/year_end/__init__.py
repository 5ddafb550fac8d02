"""The year-end summary (年度建设发展情况总结, section 一): the builder, its tables, the
rows behind each figure, the narrative, and the xlsx and docx writers."""

from .attraction import (
    AssetGroup,
    EventFigures,
    EventLine,
    LeadFigures,
    LeadLine,
    lead_channels,
    signed_totals,
)
from .builder import YearEndReport, year_end_report
from .docx import year_end_docx
from .narrative import narrative
from .projects import (
    BondFigures,
    BondLine,
    CategoryProjects,
    FaiStructure,
    ProjectFigures,
    ProjectGroup,
    ProjectLine,
    project_figures,
    project_totals,
)
from .rows import PAGE_SIZE, FigureRows, UnknownFigure, figure_rows
from .tables import report_tables
from .xlsx import year_end_xlsx

__all__ = [
    "PAGE_SIZE",
    "AssetGroup",
    "BondFigures",
    "BondLine",
    "CategoryProjects",
    "EventFigures",
    "EventLine",
    "FaiStructure",
    "FigureRows",
    "LeadFigures",
    "LeadLine",
    "ProjectFigures",
    "ProjectGroup",
    "ProjectLine",
    "UnknownFigure",
    "YearEndReport",
    "figure_rows",
    "lead_channels",
    "narrative",
    "project_figures",
    "project_totals",
    "report_tables",
    "signed_totals",
    "year_end_docx",
    "year_end_report",
    "year_end_xlsx",
]
