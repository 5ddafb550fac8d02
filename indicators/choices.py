"""Choices of the indicator catalog and targets."""

from django.db import models


class IndicatorKind(models.TextChoices):
    FLOW = "flow", "流量（本年累计）"
    STOCK = "stock", "存量（当月值）"


class TargetKind(models.TextChoices):
    TARGET = "target", "目标"
    FORECAST = "forecast", "预计"


class ChangeSource(models.TextChoices):
    """Where a change of a figure came from."""

    IMPORT = "import", "导入"
    ENTRY = "entry", "月度填报"
    ADMIN = "admin", "管理后台"
