"""The choices of the service desk, with the labels the documents and the workbook use."""

from django.db import models


class CaseKind(models.TextChoices):
    REQUEST = "request", "诉求办理"
    APPROVAL = "approval", "审批代办"


class CaseChannel(models.TextChoices):
    DIRECT_LINE = "direct_line", "政企直通车"
    BREAKFAST = "breakfast", "中小企业早餐会"
    FRONT_LINE = "front_line", "一线服务指挥部"
    ONLINE = "online", "线上"
    CALL_VISIT = "call_visit", "来电来访"
    VISIT = "visit", "走访"


class CaseCategory(models.TextChoices):
    APPROVAL = "approval", "审批手续"
    UTILITIES = "utilities", "水电路气"
    FINANCING = "financing", "融资"
    LABOUR = "labour", "用工"
    POLICY = "policy", "政策兑现"
    PASSAGE = "passage", "通行保障"
    OTHER = "other", "其他"


class HandlingMode(models.TextChoices):
    ONLINE = "online", "线上"
    OFFLINE = "offline", "线下"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    FAIRLY = "fairly", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"
