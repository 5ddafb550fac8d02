"""The change history of the registers, projects and leads (django-simple-history).

Every save leaves a copy of the row: who (the signed-in user, or the importing
user), when, and why (the import file, for rows a workbook wrote). Monthly
figures keep their own, leaner log (indicators.FigureChange).
"""

from django.db import models
from simple_history.models import HistoricalRecords


def change_history() -> HistoricalRecords:
    """Return the history of a model, the same for every model that keeps one."""
    return HistoricalRecords(history_change_reason_field=models.TextField("修改原因", null=True))


def import_reason(filename: str) -> str:
    """Return the reason recorded with a row that an import wrote."""
    return f"导入：{filename}"
