"""Choices of investment attraction, with the labels of the import format."""

from django.db import models


class Channel(models.TextChoices):
    AGENCY = "agency", "委托招商"
    REFERRAL = "referral", "以商招商"
    SELF_LED = "self_led", "自主招商"
    RESOURCE_PLUS = "resource_plus", "资源+招商"
    THIRD_PARTY = "third_party", "第三方代理"
    CO_BUILD = "co_build", "合作共建"


class AssetType(models.TextChoices):
    HEAVY = "heavy", "重资产"
    LIGHT = "light", "轻资产"


class LeadStage(models.TextChoices):
    """A lead's stage; the first five follow each other, 终止 ends a lead at any of them."""

    DOCKED = "docked", "对接"
    NEGOTIATING = "negotiating", "洽谈"
    INTENTION = "intention", "意向"
    SIGNED = "signed", "签约"
    LANDED = "landed", "落地"
    DROPPED = "dropped", "终止"


class EventKind(models.TextChoices):
    TRIP = "trip", "外出招商"
    PROMOTION = "promotion", "招商推介会"
    FORUM = "forum", "座谈会"
    RECEPTION = "reception", "来访接待"


class FollowUpMethod(models.TextChoices):
    """How a lead was followed up (招商跟进的方式)."""

    VISIT = "visit", "外出拜访"
    RECEPTION = "reception", "来访接待"
    CALL = "call", "电话微信"
    TALKS = "talks", "洽谈会"
    SIGNING = "signing", "签约仪式"
