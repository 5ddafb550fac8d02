"""Choices of the register, with the Chinese labels users see and import."""

from django.db import models


class ParkKind(models.TextChoices):
    ZONE = "zone", "开发区"
    PARK = "park", "园区"


class IndustryGroup(models.TextChoices):
    TRADITIONAL = "traditional", "传统产业"
    EMERGING = "emerging", "新兴产业"


class ScaleCategory(models.TextChoices):
    """The five kinds of 四上 (above-scale) enterprise; blank means none."""

    INDUSTRY = "industry", "规上工业"
    TRADE = "trade", "限上批零住餐"
    CONSTRUCTION = "construction", "资质内建筑业"
    REAL_ESTATE = "real_estate", "房地产开发经营"
    SERVICES = "services", "规上服务业"


class EnterpriseStatus(models.TextChoices):
    ACTIVE = "active", "在营"
    SUSPENDED = "suspended", "停产"
    DEREGISTERED = "deregistered", "注销"


class Role(models.TextChoices):
    """The portal's roles; each is a Django group of the same label."""

    STAFF = "staff", "园区填报员"
    INVESTMENT = "investment", "招商专员"
    LEADER = "leader", "领导"
    ADMIN = "admin", "管理员"
