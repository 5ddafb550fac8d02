"""Choices of the year's work plan, with the labels of the import format."""

from django.db import models


class Measure(models.TextChoices):
    """How a task's progress is measured from the portal's data (衡量方式)."""

    EVENTS = "events", "活动次数"
    SIGNED_COUNT = "signed_count", "签约项目数"
    SIGNED_AMOUNT = "signed_amount", "签约金额(万元)"
    LANDED_COUNT = "landed_count", "落地项目数"
    PROJECT_INVESTMENT = "project_investment", "项目完成投资(万元)"
    PROJECTS_STARTED = "projects_started", "项目开工"
    PROJECTS_PRODUCING = "projects_producing", "项目投产"
    INDICATOR = "indicator", "指标累计"
    MANUAL = "manual", "手工"


class TaskStatus(models.TextChoices):
    DONE = "done", "已完成"
    ON_TRACK = "on_track", "进行中"
    LATE = "late", "逾期未完成"
