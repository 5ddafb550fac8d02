"""Choices of the indicator catalog and targets."""

from django.db import models


class IndicatorKind(models.TextChoices):
    FLOW = "flow", "流量（本年累计）"
    STOCK = "stock", "存量（当月值）"


class TargetKind(models.TextChoices):
    TARGET = "target", "目标"
    FORECAST = "forecast", "预计"
