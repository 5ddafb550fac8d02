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


class MeetingKind(models.TextChoices):
    TEN_DAY = "ten_day", "旬调度会"
    SPECIAL = "special", "专题调度会"
    BREAKFAST = "breakfast", "中小企业早餐会"
    DIRECT = "direct", "政企直通车"
    BANK = "bank", "银企对接会"


class SupplyWay(models.TextChoices):
    STANDARD_LAND = "standard", "标准地出让"
    AUCTION = "auction", "招拍挂出让"
    ALLOCATION = "allocation", "划拨"
    LEASE = "lease", "租赁"


class FinancingWay(models.TextChoices):
    BANK_LOAN = "bank_loan", "银企对接贷款"
    ASSET_SALE = "asset_sale", "资产收购"
    CITY_INVESTMENT = "city_investment", "城投融资"
    PARTNERSHIP = "partnership", "社会资本合作"
    OTHER = "other", "其他"


class Light(models.TextChoices):
    """A project's light (红黄绿灯), worst last."""

    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"
