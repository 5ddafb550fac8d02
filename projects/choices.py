"""Choices of investment projects, with the labels of the import format."""

from django.db import models


class ProjectCategory(models.TextChoices):
    INDUSTRIAL = "industrial", "产业项目"
    INFRASTRUCTURE = "infrastructure", "基础设施"
    PUBLIC_SERVICE = "public_service", "公共服务"


class ProjectStage(models.TextChoices):
    PLANNING = "planning", "谋划"
    SIGNED = "signed", "签约"
    PREPARATION = "preparation", "前期手续"
    UNDER_CONSTRUCTION = "construction", "在建"
    COMPLETED = "completed", "竣工"
    IN_PRODUCTION = "production", "投产"


class KeyLevel(models.TextChoices):
    PROVINCIAL = "provincial", "省重点"
    CITY = "city", "市重点"
    COUNTY = "county", "县重点"


class YearStatus(models.TextChoices):
    """A project's place in a report year, derived from its start date."""

    NEW = "new", "新开工"
    CONTINUING = "continuing", "续建"
