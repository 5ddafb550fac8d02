"""Investment projects, their monthly progress and the special-purpose bonds they receive."""

from django.db import models
from django.db.models import F, Q

from parkportal.fields import AreaField, MoneyField, MonthField, YearField
from parkportal.history import change_history

from .choices import KeyLevel, ProjectCategory, ProjectStage


class Project(models.Model):
    """An investment project in a park."""

    code = models.CharField(
        "项目编号", max_length=32, help_text="项目的唯一编号；导入工作簿时用它识别项目。"
    )
    name = models.CharField("项目名称", max_length=200)
    park = models.ForeignKey(
        "parkportal.Park",
        verbose_name="所属园区",
        on_delete=models.PROTECT,
        related_name="projects",
    )
    enterprise = models.ForeignKey(
        "parkportal.Enterprise",
        verbose_name="建设单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    category = models.CharField("项目类别", max_length=16, choices=ProjectCategory.choices)
    stage = models.CharField("项目阶段", max_length=16, choices=ProjectStage.choices)
    total_investment = MoneyField("总投资(万元)", help_text="批复的项目总投资（概算），单位万元。")
    land_area_mu = AreaField("占地(亩)", null=True, blank=True)
    start_date = models.DateField(
        "开工日期",
        null=True,
        blank=True,
        help_text="实际开工日期：报表按它判断项目在某年是新开工还是续建；未开工留空。",
    )
    completion_date = models.DateField(
        "竣工日期",
        null=True,
        blank=True,
        help_text="计划或实际竣工日期：重点项目过了此日期仍未竣工，仪表盘列为进度滞后。",
    )
    key_level = models.CharField(
        "重点级别",
        max_length=16,
        choices=KeyLevel.choices,
        blank=True,
        help_text="省、市、县重点项目选择级别；不是重点项目留空。",
    )
    official_in_charge = models.CharField(
        "包联领导", max_length=50, blank=True, help_text="负责包联、调度该项目的领导。"
    )

    history = change_history()

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        ordering = ["park", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="project_code_unique"),
            models.CheckConstraint(
                condition=Q(total_investment__gte=0),
                name="project_total_investment_not_negative",
                violation_error_message="总投资不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(completion_date__isnull=True)
                | Q(completion_date__gte=F("start_date")),
                name="project_completes_after_start",
                violation_error_message="竣工日期不能早于开工日期。",
            ),
        ]

    def __str__(self):
        return self.name


class ProjectProgress(models.Model):
    """A project's completed investment from January to a month (本年累计)."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="progress"
    )
    year = YearField("年份")
    month = MonthField("月份")
    completed_investment = MoneyField(
        "本年累计完成投资(万元)", help_text="从1月到该月的累计完成投资，不是当月数。"
    )
    government_investment = MoneyField(
        "其中政府财政性投资(万元)",
        default=0,
        help_text="本年累计完成投资中由政府财政性资金完成的部分，其余为社会资本投资。",
    )

    history = change_history()

    class Meta:
        verbose_name = "项目进度"
        verbose_name_plural = "项目进度"
        ordering = ["project_id", "-year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"], name="project_progress_natural_key"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="project_progress_month_range"
            ),
            models.CheckConstraint(
                condition=Q(completed_investment__gte=0) & Q(government_investment__gte=0),
                name="project_progress_not_negative",
                violation_error_message="完成投资不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(government_investment__lte=F("completed_investment")),
                name="project_progress_government_within_total",
                violation_error_message="政府财政性投资不能超过本年累计完成投资。",
            ),
        ]

    def __str__(self):
        months = "1月" if self.month == 1 else f"1-{self.month}月"
        return f"{self.project} {self.year}年{months}"

    @property
    def social_investment(self):
        """Return the social-capital part: completed minus government-financed."""
        return self.completed_investment - self.government_investment


class SpecialBond(models.Model):
    """Special-purpose bond money (专项债券) a project received in a year."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="bonds"
    )
    year = YearField("年份")
    amount = MoneyField("到位资金(万元)", help_text="该年到位的专项债券资金。")

    history = change_history()

    class Meta:
        verbose_name = "专项债券"
        verbose_name_plural = "专项债券"
        ordering = ["-year", "project_id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="special_bond_natural_key"),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="special_bond_amount_not_negative",
                violation_error_message="到位资金不能为负数。",
            ),
        ]

    def __str__(self):
        return f"{self.project} {self.year}年专项债券"
