"""The indicator catalog, enterprises' monthly figures and parks' annual targets."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from parkportal.choices import ScaleCategory
from parkportal.fields import MoneyField, MonthField, YearField
from parkportal.history import change_history

from .choices import (
    ChangeSource,
    IndicatorKind,
    OutlierVerdict,
    PeriodAction,
    PeriodStatus,
    RuleOperator,
    RuleRightSide,
    RuleScope,
    RuleSeverity,
    TargetKind,
)

MONEY_UNIT = "万元"


class IndicatorQuerySet(models.QuerySet):
    def active(self) -> "IndicatorQuerySet":
        """Return the indicators in use, in the one order every page and report shows them."""
        return self.filter(is_active=True).order_by("sort_order", "code")


class Indicator(models.Model):
    """An economic indicator collected monthly, such as 营业收入."""

    code = models.SlugField(
        "指标编码",
        max_length=40,
        help_text="英文字母、数字和下划线组成的代号，如 revenue；建立后不能修改。",
    )
    name = models.CharField("指标名称", max_length=50)
    unit = models.CharField("单位", max_length=16)
    kind = models.CharField(
        "统计方式",
        max_length=8,
        choices=IndicatorKind.choices,
        default=IndicatorKind.FLOW,
        help_text="流量指标（如营业收入）填本年累计值，当月值由相邻两月相减得出；"
        "存量指标（如从业人员）填月末数，不按月相加。",
    )
    allows_negative = models.BooleanField(
        "允许负值", default=False, help_text="可能为负数的指标勾选，如利润总额。"
    )
    sort_order = models.PositiveSmallIntegerField(
        "显示顺序", default=0, help_text="填报页、仪表盘和报表中的先后次序，数字小的在前。"
    )
    is_active = models.BooleanField(
        "启用", default=True, help_text="停用的指标不再出现在填报页和报表中，已有数据保留。"
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标目录"
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="indicator_code_unique"),
            models.UniqueConstraint(fields=["name"], name="indicator_name_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def header(self) -> str:
        """Return the column header of this indicator in spreadsheets, e.g. 营业收入(万元)."""
        return f"{self.name}({self.unit})"

    @property
    def is_flow(self) -> bool:
        return self.kind == IndicatorKind.FLOW

    @property
    def is_money(self) -> bool:
        """Whether the indicator's figures are money (万元), shown in 亿元 in totals."""
        return self.unit == MONEY_UNIT


class MonthlyValueQuerySet(models.QuerySet):
    """Reads of monthly figures; every write goes through indicators.figures."""

    def official(self) -> "MonthlyValueQuerySet":
        """Return the figures whose park-month counts (indicators.official)."""
        from .official import official_figure_q

        return self.filter(official_figure_q())

    def reported(self) -> "MonthlyValueQuerySet":
        """Return the figures that make an enterprise "reported" for their month: those of
        the active indicators."""
        return self.filter(indicator__is_active=True)


class MonthlyValue(models.Model):
    """An enterprise's figure for one indicator and month: the year-to-date cumulative
    for a flow indicator, the month's own figure for a stock."""

    enterprise = models.ForeignKey(
        "parkportal.Enterprise",
        verbose_name="企业",
        # An enterprise with figures is deregistered (注销), never deleted: its figures
        # belong to approved months (parkportal.services.enterprise_delete).
        on_delete=models.PROTECT,
        related_name="monthly_values",
        db_index=False,  # the natural key's unique index starts with it
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name="指标",
        on_delete=models.PROTECT,
        related_name="monthly_values",
        db_index=False,  # the period index starts with it
    )
    year = YearField("年份")
    month = MonthField("月份")
    value = MoneyField(
        "数值（本年累计）",
        help_text="从1月到该月的累计值（从业人员填月末人数）；金额单位为万元。",
    )

    objects = MonthlyValueQuerySet.as_manager()

    class Meta:
        verbose_name = "月度指标"
        verbose_name_plural = "月度指标"
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "indicator", "year", "month"],
                name="monthly_value_natural_key",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="monthly_value_month_range"
            ),
        ]
        indexes = [
            # Reports add up one indicator over months for every enterprise: with the
            # enterprise and the value in the index they read no table rows at all.
            models.Index(
                fields=["indicator", "year", "month", "enterprise", "value"],
                name="monthly_value_period",
            ),
            # A month's largest figures first: the dashboard's top 10 and its enterprises
            # near or past the 规上 threshold read a few entries, however many figures.
            models.Index(
                fields=["indicator", "year", "month", "-value", "enterprise"],
                name="monthly_value_ranking",
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.year}年1-{self.month}月 {self.indicator}"


class Target(models.Model):
    """A park's annual target or forecast for one indicator."""

    park = models.ForeignKey(
        "parkportal.Park", verbose_name="园区", on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="targets"
    )
    year = YearField("年份")
    kind = models.CharField(
        "类型",
        max_length=8,
        choices=TargetKind.choices,
        help_text="目标：年初下达的全年任务；预计：对全年完成情况的预计。",
    )
    value = MoneyField("数值", help_text="全年数值，单位与指标相同（金额为万元）。")

    history = change_history()

    class Meta:
        verbose_name = "年度目标"
        verbose_name_plural = "年度目标与预计"
        ordering = ["-year", "park", "indicator", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "indicator", "year", "kind"], name="target_natural_key"
            ),
        ]

    def __str__(self):
        return f"{self.park} {self.year}年{self.indicator}{self.get_kind_display()}"


class FigureChange(models.Model):
    """One change of an enterprise's monthly figure: who, when, from what, to what, how.

    A log written hundreds of thousands of rows at a time by imports: its foreign
    keys are not checked by the database (Django still applies their on_delete),
    and it keeps one index, the one the enterprise's history reads.
    """

    enterprise = models.ForeignKey(
        "parkportal.Enterprise",
        verbose_name="企业",
        on_delete=models.PROTECT,  # the log outlives no enterprise it names
        related_name="figure_changes",
        db_constraint=False,
        db_index=False,
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name="指标",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    year = YearField("年份")
    month = MonthField("月份")
    old_value = MoneyField("原值", null=True, blank=True)
    new_value = MoneyField("新值", null=True, blank=True)
    changed_at = models.DateTimeField("修改时间", auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    source = models.CharField("来源", max_length=8, choices=ChangeSource.choices)
    reference = models.CharField("导入文件/说明", max_length=255, blank=True)

    class Meta:
        verbose_name = "指标修改记录"
        verbose_name_plural = "指标修改记录"
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "year", "month"], name="figure_change_period"),
        ]

    def __str__(self):
        period = f"{self.year}年{self.month}月"
        return f"{self.enterprise} {period}{self.indicator}：{self.old_value} → {self.new_value}"


class PeriodSubmission(models.Model):
    """A park's figures of one month as a whole: draft, submitted, or approved and locked.

    `version` goes up with every save of the month's figures from the entry page,
    so that a save based on figures someone has changed since is told so.
    """

    park = models.ForeignKey(
        "parkportal.Park",
        verbose_name="园区",
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    year = YearField("年份")
    month = MonthField("月份")
    status = models.CharField(
        "状态", max_length=16, choices=PeriodStatus.choices, default=PeriodStatus.DRAFT
    )
    version = models.PositiveIntegerField("版本", default=0)
    updated_at = models.DateTimeField("最后保存时间", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后保存人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "月度报送"
        verbose_name_plural = "月度报送"
        ordering = ["-year", "-month", "park"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "year", "month"], name="period_submission_natural_key"
            ),
        ]

    def __str__(self):
        return f"{self.park} {self.year}年{self.month}月（{self.get_status_display()}）"

    @property
    def is_locked(self) -> bool:
        return self.status == PeriodStatus.APPROVED


class PeriodEvent(models.Model):
    """One step of a park-month's workflow: who did what, when, and why."""

    submission = models.ForeignKey(
        PeriodSubmission, verbose_name="月度报送", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("操作", max_length=16, choices=PeriodAction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.TextField("原因/说明", blank=True)

    class Meta:
        verbose_name = "报送记录"
        verbose_name_plural = "报送记录"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.submission} {self.get_action_display()}"


class FigureNote(models.Model):
    """The explanation (说明) of a figure that the entry checks warn about."""

    enterprise = models.ForeignKey(
        "parkportal.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="figure_notes",
        db_index=False,  # the natural key's unique index starts with it
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="+"
    )
    year = YearField("年份")
    month = MonthField("月份")
    text = models.CharField("说明", max_length=500)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填写人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    written_at = models.DateTimeField("填写时间", auto_now=True)

    class Meta:
        verbose_name = "数据说明"
        verbose_name_plural = "数据说明"
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "indicator", "year", "month"], name="figure_note_natural_key"
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.year}年{self.month}月{self.indicator}：{self.text}"


class ReportingCalendar(models.Model):
    """The reporting deadline of a year's months: a day of the following month."""

    year = YearField("年份")
    deadline_day = models.PositiveSmallIntegerField(
        "截止日（次月几日）",
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="每月数据须在次月这一天结束前上报（1–28日）；逢周末、节假日不顺延。",
    )

    history = change_history()

    class Meta:
        verbose_name = "报送截止日"
        verbose_name_plural = "报送截止日"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["year"], name="reporting_calendar_year_unique"),
            models.CheckConstraint(
                condition=Q(deadline_day__gte=1) & Q(deadline_day__lte=28),
                name="reporting_calendar_day_range",
            ),
        ]

    def __str__(self):
        return f"{self.year}年：次月{self.deadline_day}日前上报"


class Reminder(models.Model):
    """A reminder (催报) an admin sent a park to report a month."""

    park = models.ForeignKey(
        "parkportal.Park", verbose_name="园区", on_delete=models.CASCADE, related_name="reminders"
    )
    year = YearField("年份")
    month = MonthField("月份")
    message = models.CharField("催报内容", max_length=500)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="催报人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField("催报时间", default=timezone.now)
    mailed_to = models.TextField("邮件发送至", blank=True)

    class Meta:
        verbose_name = "催报记录"
        verbose_name_plural = "催报记录"
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["park", "year", "month"], name="reminder_period")]

    def __str__(self):
        return f"{self.park} {self.year}年{self.month}月催报（{self.sent_at:%Y-%m-%d %H:%M}）"


class ValidationRuleQuerySet(models.QuerySet):
    def active(self) -> "ValidationRuleQuerySet":
        """Return the rules in force, with their indicators, in a fixed order."""
        return (
            self.filter(is_active=True)
            .select_related("left", "right")
            .order_by("left__sort_order", "pk")
        )


class ValidationRule(models.Model):
    """A check an admin sets on each enterprise-month's figures, e.g. 税收收入 ≤ 营业收入."""

    name = models.CharField("规则名称", max_length=100)
    left = models.ForeignKey(
        Indicator,
        verbose_name="左边指标",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="被检查的指标：规则不成立时，错误或警告显示在这个指标的格子上"
        "（导入时指向这一列）。",
    )
    operator = models.CharField("比较", max_length=2, choices=RuleOperator.choices)
    right_side = models.CharField(
        "右边",
        max_length=10,
        choices=RuleRightSide.choices,
        default=RuleRightSide.INDICATOR,
        help_text="另一个指标、一个常数，或常数乘另一个指标（如 0.5 × 营业收入）。",
    )
    right = models.ForeignKey(
        Indicator,
        verbose_name="右边指标",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    constant = models.DecimalField(
        "常数",
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="右边为常数时是那个数（单位与左边指标相同，金额为万元）；"
        "为“常数 × 另一个指标”时是倍数，如 0.5。",
    )
    scope = models.CharField(
        "适用企业", max_length=10, choices=RuleScope.choices, default=RuleScope.ALL
    )
    scale_category = models.CharField(
        "四上类别",
        max_length=16,
        choices=ScaleCategory.choices,
        blank=True,
        help_text="适用企业为“某一四上类别”时选择，如规上工业。",
    )
    industry = models.ForeignKey(
        "parkportal.Industry",
        verbose_name="产业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="适用企业为“某一产业”时选择。",
    )
    severity = models.CharField(
        "级别",
        max_length=8,
        choices=RuleSeverity.choices,
        default=RuleSeverity.WARNING,
        help_text="错误：填报页不能保存、导入拒绝该行；警告：填报页上报前须填写说明，"
        "导入时列为警告。",
    )
    message = models.CharField(
        "提示信息",
        max_length=200,
        help_text="规则不成立时显示给填报员的话，如“税收收入不应大于营业收入”。",
    )
    is_active = models.BooleanField("启用", default=True)

    objects = ValidationRuleQuerySet.as_manager()
    history = change_history()

    class Meta:
        verbose_name = "校验规则"
        verbose_name_plural = "校验规则"
        ordering = ["left__sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(right_side=RuleRightSide.CONSTANT) | Q(right__isnull=False),
                name="validation_rule_right_indicator",
            ),
            models.CheckConstraint(
                condition=Q(right_side=RuleRightSide.INDICATOR) | Q(constant__isnull=False),
                name="validation_rule_constant",
            ),
            models.CheckConstraint(
                condition=~Q(scope=RuleScope.CATEGORY) | ~Q(scale_category=""),
                name="validation_rule_category",
            ),
            models.CheckConstraint(
                condition=~Q(scope=RuleScope.INDUSTRY) | Q(industry__isnull=False),
                name="validation_rule_industry",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.right_side != RuleRightSide.CONSTANT and self.right_id is None:
            errors["right"] = "右边为指标或“常数 × 指标”时，请选择右边指标。"
        if self.right_side != RuleRightSide.INDICATOR and self.constant is None:
            errors["constant"] = "右边为常数或“常数 × 指标”时，请填写常数。"
        if self.scope == RuleScope.CATEGORY and not self.scale_category:
            errors["scale_category"] = "适用企业为“某一四上类别”时，请选择四上类别。"
        if self.scope == RuleScope.INDUSTRY and self.industry_id is None:
            errors["industry"] = "适用企业为“某一产业”时，请选择产业。"
        if errors:
            raise ValidationError(errors)

    @property
    def formula(self) -> str:
        """Return the rule as people read it, e.g. "税收收入 ≤ 营业收入"."""
        from .rules import rule_formula

        return rule_formula(self)


class OutlierMark(models.Model):
    """An admin's verdict on a figure the outlier scan found: verified, or to be corrected.

    `value` is the month's own value the mark was given to: once the figure reads
    otherwise (changed since), the mark no longer holds.
    """

    enterprise = models.ForeignKey(
        "parkportal.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="outlier_marks",
        db_index=False,  # the natural key's unique index starts with it
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="+"
    )
    year = YearField("年份")
    month = MonthField("月份")
    value = MoneyField("标记时的当月值")
    verdict = models.CharField("核查结论", max_length=12, choices=OutlierVerdict.choices)
    note = models.CharField("备注", max_length=500, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="标记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField("标记时间", default=timezone.now)

    history = change_history()  # a mark replaced keeps its earlier verdicts

    class Meta:
        verbose_name = "异常值核查"
        verbose_name_plural = "异常值核查"
        ordering = ["-marked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "indicator", "year", "month"], name="outlier_mark_natural_key"
            ),
        ]

    def __str__(self):
        period = f"{self.year}年{self.month}月"
        return f"{self.enterprise} {period}{self.indicator}：{self.get_verdict_display()}"


class FigureSum(models.Model):
    """The statistical (入统) enterprises' figures of one park, industry, indicator and
    month added up, with the comparable scopes against the year before and the year
    after; kept by `indicators.sums` in the transaction of every write that changes
    them. A park-month's line counts in a report once the month is official
    (indicators.official), which the reads check."""

    park = models.ForeignKey(
        "parkportal.Park", verbose_name="园区", on_delete=models.CASCADE, related_name="+"
    )
    industry = models.ForeignKey(
        "parkportal.Industry",
        verbose_name="产业",
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="+"
    )
    year = YearField("年份")
    month = MonthField("月份")
    total = models.DecimalField("合计", max_digits=20, decimal_places=4)
    reporters = models.PositiveIntegerField("填报企业数")
    # Over the enterprises that have a figure of the same indicator and month in the
    # year before (with_last) or the year after (with_next): the comparable scopes of
    # this year's growth and of next year's. None: no such enterprise.
    with_last = models.DecimalField(
        "可比合计（上年有数）", max_digits=20, decimal_places=4, null=True
    )
    with_last_members = models.PositiveIntegerField("可比企业数（上年有数）")
    with_next = models.DecimalField(
        "可比合计（下年有数）", max_digits=20, decimal_places=4, null=True
    )
    with_next_members = models.PositiveIntegerField("可比企业数（下年有数）")

    class Meta:
        verbose_name = "指标合计"
        verbose_name_plural = "指标合计"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "indicator", "park", "industry"],
                name="figure_sum_cell",
            ),
            models.UniqueConstraint(
                fields=["year", "month", "indicator", "park"],
                condition=Q(industry__isnull=True),
                name="figure_sum_cell_without_industry",
            ),
        ]

    def __str__(self):
        return f"{self.park_id} {self.year}年1-{self.month}月 {self.indicator_id}"
