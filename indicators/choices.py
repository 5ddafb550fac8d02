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
    COMMAND = "command", "命令行"


class PeriodStatus(models.TextChoices):
    """Where a park's figures of one month stand."""

    DRAFT = "draft", "填报中"
    SUBMITTED = "submitted", "已上报"
    APPROVED = "approved", "已审核（锁定）"


class PeriodAction(models.TextChoices):
    """A step of a park-month's workflow."""

    SUBMIT = "submit", "上报"
    WITHDRAW = "withdraw", "撤回"
    APPROVE = "approve", "审核通过"
    RETURN = "return", "退回修改"
    UNLOCK = "unlock", "解锁"


class RuleOperator(models.TextChoices):
    """How a validation rule compares its left side with its right side."""

    EQ = "eq", "="
    NE = "ne", "≠"
    LT = "lt", "<"
    LE = "le", "≤"
    GT = "gt", ">"
    GE = "ge", "≥"


class RuleRightSide(models.TextChoices):
    """What a validation rule compares its left side with."""

    INDICATOR = "indicator", "另一个指标"
    CONSTANT = "constant", "常数"
    SCALED = "scaled", "常数 × 另一个指标"


class RuleScope(models.TextChoices):
    """The enterprises a validation rule applies to."""

    ALL = "all", "全部企业"
    CATEGORY = "category", "某一四上类别"
    INDUSTRY = "industry", "某一产业"


class RuleSeverity(models.TextChoices):
    ERROR = "error", "错误（不能保存）"
    WARNING = "warning", "警告（需填写说明）"


class OutlierVerdict(models.TextChoices):
    """An admin's mark on a figure the outlier scan found."""

    VERIFIED = "verified", "已核实"
    TO_CORRECT = "to_correct", "需更正"
