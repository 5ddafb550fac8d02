"""Investment projects and what is followed of them: plans, monthly progress, milestones,
special-purpose bonds, scheduling meetings and their issues, land supplied, financing."""

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from parkportal.fields import AreaField, MoneyField, MonthField, YearField
from parkportal.history import change_history

from .choices import (
    FinancingWay,
    KeyLevel,
    MeetingKind,
    ProjectCategory,
    ProjectStage,
    SupplyWay,
)


class ProjectQuerySet(models.QuerySet):
    """Projects scoped by what a user may do with their parks (see parkportal.roles)."""

    def visible_to(self, user) -> "ProjectQuerySet":
        """Return the projects of the parks `user` may read."""
        from parkportal.models import Park

        return self.filter(park__in=Park.objects.visible_to(user))

    def editable_by(self, user) -> "ProjectQuerySet":
        """Return the projects of the parks `user` may edit: staff theirs, admins all."""
        from parkportal.models import Park

        return self.filter(park__in=Park.objects.editable_by(user))


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
    budget = MoneyField(
        "概算(万元)",
        null=True,
        blank=True,
        help_text="批复的初设概算；资金缺口 = 概算 − 已落实资金。没有批复留空。",
    )
    planned_start_date = models.DateField(
        "计划开工日期",
        null=True,
        blank=True,
        help_text="过了此日期仍未开工，项目亮黄灯；超过3个月亮红灯。",
    )
    production_date = models.DateField("投产日期", null=True, blank=True)
    responsible_unit = models.CharField(
        "责任单位",
        max_length=100,
        blank=True,
        help_text="对项目负责的单位，如开发区管委会、县城投公司。",
    )

    history = change_history()

    objects = ProjectQuerySet.as_manager()

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
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="project_budget_not_negative",
                violation_error_message="概算不能为负数。",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:project", args=[self.pk])


class ProjectPlan(models.Model):
    """A project's planned investment and goal for one year (年度计划)."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="plans"
    )
    year = YearField("年份")
    planned_investment = MoneyField(
        "年度计划投资(万元)", help_text="该年计划完成的投资；乘以时间进度即序时进度。"
    )
    goal = models.CharField("年度目标", max_length=200, blank=True)

    history = change_history()

    class Meta:
        verbose_name = "项目年度计划"
        verbose_name_plural = "项目年度计划"
        ordering = ["project_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="project_plan_natural_key"),
            models.CheckConstraint(
                condition=Q(planned_investment__gte=0),
                name="project_plan_not_negative",
                violation_error_message="年度计划投资不能为负数。",
            ),
        ]

    def __str__(self):
        return f"{self.project} {self.year}年计划"


class Milestone(models.Model):
    """A step of a project (前期手续 or construction) with its planned and actual dates."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(
        "节点名称", max_length=50, help_text="如立项、用地预审、施工许可、开工。"
    )
    planned_date = models.DateField("计划完成日期")
    actual_date = models.DateField(
        "实际完成日期", null=True, blank=True, help_text="完成后填写；未完成留空。"
    )
    responsible_unit = models.CharField("责任单位", max_length=100, blank=True)
    handler = models.CharField(
        "代办人", max_length=50, blank=True, help_text="为企业领办代办该手续的干部。"
    )

    history = change_history()

    class Meta:
        verbose_name = "项目节点"
        verbose_name_plural = "项目节点"
        ordering = ["project_id", "planned_date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="milestone_natural_key"),
        ]

    def __str__(self):
        return f"{self.project} {self.name}"


class ProjectProgressQuerySet(models.QuerySet):
    """Progress reports and whether they count (docs/domain.md, "Official figures")."""

    def official(self) -> "ProjectProgressQuerySet":
        """Return the reports whose park's month is official (indicators.official): the
        only progress the project pages, the lights, the briefing, the dashboard and the
        reports count. The monthly entry's grid shows drafts to those who enter them."""
        from indicators.official import official_figure_q

        return self.filter(official_figure_q(park_field="project__park_id"))


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

    objects = ProjectProgressQuerySet.as_manager()

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
    applied = MoneyField(
        "申报金额(万元)", null=True, blank=True, help_text="该年债券额度中申报的金额。"
    )
    approved = MoneyField("批复金额(万元)", null=True, blank=True)
    amount = MoneyField(
        "到位资金(万元)", default=0, help_text="该年到位的专项债券资金；尚未到位填0。"
    )
    spent = MoneyField("支出金额(万元)", null=True, blank=True)

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
            models.CheckConstraint(
                condition=(Q(applied__isnull=True) | Q(applied__gte=0))
                & (Q(approved__isnull=True) | Q(approved__gte=0))
                & (Q(spent__isnull=True) | Q(spent__gte=0)),
                name="special_bond_figures_not_negative",
                violation_error_message="申报、批复、支出金额不能为负数。",
            ),
        ]

    def __str__(self):
        return f"{self.project} {self.year}年专项债券"


class Meeting(models.Model):
    """A scheduling or service meeting (调度会, 早餐会, 直通车 …) and the projects it took up."""

    held_on = models.DateField("会议日期")
    name = models.CharField("会议名称", max_length=100)
    kind = models.CharField("会议类型", max_length=16, choices=MeetingKind.choices)
    chair = models.CharField("主持领导", max_length=50, blank=True)
    projects = models.ManyToManyField(
        Project, verbose_name="涉及项目", blank=True, related_name="meetings"
    )

    history = change_history()

    class Meta:
        verbose_name = "调度会议"
        verbose_name_plural = "调度会议"
        ordering = ["-held_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["held_on", "name"], name="meeting_natural_key"),
        ]

    def __str__(self):
        return f"{self.held_on or ''} {self.name}".strip()


class ProjectIssueQuerySet(models.QuerySet):
    """Which issues are open or overdue on a day: the one rule the issues page, the
    meeting's briefing and the dashboard's attention list follow."""

    def open_on(self, day: date) -> "ProjectIssueQuerySet":
        """Return the issues raised by `day` and not solved by then."""
        return self.filter(raised_on__lte=day).filter(
            Q(solved_on__isnull=True) | Q(solved_on__gt=day)
        )

    def overdue_on(self, day: date) -> "ProjectIssueQuerySet":
        """Return the issues open on `day` past their 办结时限 (the deadline day itself is
        not late)."""
        return self.open_on(day).filter(deadline__lt=day)


class ProjectIssue(models.Model):
    """An issue that blocks a project, assigned to a unit with a deadline until it is solved."""

    code = models.CharField("问题编号", max_length=32)
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="issues"
    )
    raised_on = models.DateField("提出日期")
    description = models.TextField("问题描述", max_length=1000)
    responsible_unit = models.CharField("责任单位", max_length=100)
    deadline = models.DateField("办结时限", null=True, blank=True)
    solved_on = models.DateField("解决日期", null=True, blank=True, help_text="未解决留空。")
    solution = models.TextField("解决情况", max_length=1000, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name="会议",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issues",
        help_text="提出该问题的调度会议。",
    )

    objects = ProjectIssueQuerySet.as_manager()
    history = change_history()

    class Meta:
        verbose_name = "项目问题"
        verbose_name_plural = "项目问题"
        ordering = ["-raised_on", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="project_issue_code_unique"),
            models.CheckConstraint(
                condition=Q(solved_on__isnull=True) | Q(solved_on__gte=F("raised_on")),
                name="project_issue_solved_after_raised",
                violation_error_message="解决日期不能早于提出日期。",
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=F("raised_on")),
                name="project_issue_deadline_after_raised",
                violation_error_message="办结时限不能早于提出日期。",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.project}"


class LandPlot(models.Model):
    """A plot of land supplied (供地) in a park, with 标准地 promises per mu."""

    code = models.CharField("地块编号", max_length=32)
    park = models.ForeignKey(
        "parkportal.Park", verbose_name="所属园区", on_delete=models.PROTECT, related_name="plots"
    )
    area_mu = AreaField("面积(亩)")
    way = models.CharField("供地方式", max_length=16, choices=SupplyWay.choices)
    dealt_on = models.DateField("成交日期", null=True, blank=True)
    price_per_mu = MoneyField("单价(万元/亩)", null=True, blank=True)
    enterprise = models.ForeignKey(
        "parkportal.Enterprise",
        verbose_name="受让企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plots",
    )
    lead = models.ForeignKey(
        "investment.Lead",
        verbose_name="受让招商项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plots",
    )
    project = models.ForeignKey(
        Project,
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plots",
    )
    promised_tax_per_mu = MoneyField("承诺亩均税收(万元/亩)", null=True, blank=True)
    promised_investment_per_mu = MoneyField("承诺投资强度(万元/亩)", null=True, blank=True)

    history = change_history()

    class Meta:
        verbose_name = "土地供应"
        verbose_name_plural = "土地供应"
        ordering = ["park", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="land_plot_code_unique"),
            models.CheckConstraint(
                condition=Q(area_mu__gt=0),
                name="land_plot_area_positive",
                violation_error_message="面积必须大于0。",
            ),
            models.CheckConstraint(
                condition=Q(enterprise__isnull=True) | Q(lead__isnull=True),
                name="land_plot_one_grantee",
                violation_error_message="受让方只能是一家企业或一个招商项目。",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def grantee(self):
        """Return who took the plot: the enterprise, else the lead, else None."""
        return self.enterprise or self.lead


class Financing(models.Model):
    """Funding secured other than bonds: a loan arranged, assets sold, a partner's money."""

    code = models.CharField("融资编号", max_length=32)
    received_on = models.DateField("日期", help_text="资金到位的日期。")
    way = models.CharField("方式", max_length=16, choices=FinancingWay.choices)
    amount = MoneyField("金额(万元)")
    enterprise = models.ForeignKey(
        "parkportal.Enterprise",
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="financings",
    )
    project = models.ForeignKey(
        Project,
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="financings",
    )
    note = models.CharField("说明", max_length=200, blank=True)

    history = change_history()

    class Meta:
        verbose_name = "融资"
        verbose_name_plural = "融资"
        ordering = ["-received_on", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="financing_code_unique"),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="financing_amount_not_negative",
                violation_error_message="金额不能为负数。",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.get_way_display()}"
