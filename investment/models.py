"""Investment leads, the history of their stages, and outreach events."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from parkportal.credit_code import normalize as normalize_credit_code
from parkportal.credit_code import validate_credit_code
from parkportal.fields import AreaField, MoneyField
from parkportal.history import change_history

from .choices import AssetType, Channel, EventKind, FollowUpMethod, LeadStage


class LeadQuerySet(models.QuerySet):
    def visible_to(self, user) -> "LeadQuerySet":
        """Return the leads `user` may read: investment staff bound to the zone, leaders
        and admins every lead; investment staff bound to parks and park staff the leads
        of their parks (investment staff also those they own or that have no park yet)."""
        from parkportal.choices import Role
        from parkportal.models import Park
        from parkportal.roles import user_role

        role = user_role(user)
        if role in (Role.ADMIN, Role.LEADER):
            return self.all()
        if role == Role.INVESTMENT:
            parks = Park.objects.filter(memberships__user=user)
            if parks.filter(kind="zone").exists():
                return self.all()
            return self.filter(
                Q(park__in=parks) | Q(park__isnull=True) | Q(owner__in=owner_names(user))
            )
        if role == Role.STAFF:
            return self.filter(park__in=Park.objects.visible_to(user))
        return self.none()

    def editable_by(self, user) -> "LeadQuerySet":
        """Return the leads `user` may follow up and move on: investment staff and admins."""
        from parkportal.choices import Role
        from parkportal.roles import user_role

        role = user_role(user)
        if role == Role.ADMIN:
            return self.all()
        if role == Role.INVESTMENT:
            return self.visible_to(user)
        return self.none()


def owner_names(user) -> list[str]:
    """Return the names a lead's 负责人 may give for `user`: username and full name."""
    return [name for name in (user.username, user.get_full_name()) if name]


class Lead(models.Model):
    """An investment lead (招商项目), from first contact to a landed project."""

    code = models.CharField(
        "线索编号", max_length=32, help_text="招商项目的唯一编号；导入工作簿时用它识别。"
    )
    name = models.CharField("项目名称", max_length=200)
    investor = models.CharField("投资方", max_length=200, blank=True)
    investor_credit_code = models.CharField(
        "投资方统一社会信用代码",
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text="选填；与未结束项目的投资方代码相同时提示疑似重复。导入工作簿时保留原值。",
    )
    channel = models.CharField("招商方式", max_length=16, choices=Channel.choices)
    industry = models.ForeignKey(
        "parkportal.Industry",
        verbose_name="所属产业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
    )
    planned_investment = MoneyField("计划投资(万元)", null=True, blank=True)
    land_area_mu = AreaField("占地(亩)", null=True, blank=True)
    asset_type = models.CharField(
        "资产类型",
        max_length=8,
        choices=AssetType.choices,
        blank=True,
        help_text="重资产：需要自己的土地和厂房；轻资产：租用标准化厂房等现有空间。",
    )
    stage = models.CharField(
        "阶段",
        max_length=16,
        choices=LeadStage.choices,
        help_text="目前的阶段；改变阶段时自动记入下方的阶段变更记录。",
    )
    docked_on = models.DateField("对接日期", help_text="首次对接的日期：“本年对接项目”按它统计。")
    signed_on = models.DateField(
        "签约日期",
        null=True,
        blank=True,
        help_text="签约的日期：“本年签约项目”和签约投资额按它统计。",
    )
    landed_on = models.DateField(
        "落地日期", null=True, blank=True, help_text="项目落地、转为建设项目的日期。"
    )
    park = models.ForeignKey(
        "parkportal.Park",
        verbose_name="意向园区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="关联项目",
        null=True,
        blank=True,
        help_text="落地后对应的建设项目。",
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    owner = models.CharField(
        "负责人", max_length=50, blank=True, help_text="跟进该项目的招商专员（姓名或用户名）。"
    )
    drop_reason = models.CharField(
        "终止原因", max_length=200, blank=True, help_text="阶段为“终止”时必填：为什么不再跟进。"
    )
    delisted_on = models.DateField(
        "摘牌日期", null=True, blank=True, help_text="重资产项目摘得土地（摘牌）的日期。"
    )
    promised_start_on = models.DateField(
        "承诺开工日期", null=True, blank=True, help_text="投资协议中承诺的开工日期。"
    )

    objects = LeadQuerySet.as_manager()
    history = change_history()

    class Meta:
        verbose_name = "招商项目"
        verbose_name_plural = "招商项目"
        ordering = ["-docked_on", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="lead_code_unique"),
            models.CheckConstraint(
                condition=Q(planned_investment__isnull=True) | Q(planned_investment__gte=0),
                name="lead_planned_investment_not_negative",
                violation_error_message="计划投资不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True) | Q(signed_on__gte=F("docked_on")),
                name="lead_signed_after_docked",
                violation_error_message="签约日期不能早于对接日期。",
            ),
            models.CheckConstraint(
                condition=Q(landed_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(landed_on__gte=F("signed_on")),
                name="lead_landed_after_signed",
                violation_error_message="落地日期不能早于签约日期。",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("investment:lead", args=[self.pk])

    def clean_fields(self, exclude=None):
        # A code typed in full-width or lower case is the same code.
        self.investor_credit_code = normalize_credit_code(self.investor_credit_code or "")
        super().clean_fields(exclude=exclude)

    def clean(self):
        errors = {}
        if self.stage == LeadStage.DROPPED and not self.drop_reason.strip():
            errors["drop_reason"] = "阶段为“终止”时必须填写终止原因。"
        # Each stage's date after the one before: said at the later date's field.
        if self.signed_on and self.docked_on and self.signed_on < self.docked_on:
            errors["signed_on"] = "签约日期不能早于对接日期。"
        if self.landed_on and self.signed_on and self.landed_on < self.signed_on:
            errors["landed_on"] = "落地日期不能早于签约日期。"
        if self.delisted_on and self.signed_on and self.delisted_on < self.signed_on:
            errors["delisted_on"] = "摘牌日期不能早于签约日期。"
        if errors:
            raise ValidationError(errors)


class LeadStageChange(models.Model):
    """One change of a lead's stage: when, from what, to what, by whom."""

    lead = models.ForeignKey(
        Lead, verbose_name="招商项目", on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField("原阶段", max_length=16, choices=LeadStage.choices, blank=True)
    to_stage = models.CharField("新阶段", max_length=16, choices=LeadStage.choices)
    changed_on = models.DateField("变更日期")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "阶段变更"
        verbose_name_plural = "阶段变更记录"
        ordering = ["changed_on", "id"]

    def __str__(self):
        previous = self.get_from_stage_display() or "—"
        return f"{self.lead}：{previous} → {self.get_to_stage_display()}"


class OutreachEvent(models.Model):
    """An outreach event (招商活动): a trip, promotion fair, forum or visit."""

    date = models.DateField("活动日期")
    name = models.CharField("活动名称", max_length=200)
    kind = models.CharField("活动类型", max_length=16, choices=EventKind.choices)
    place = models.CharField("地点", max_length=100, blank=True)
    leader = models.CharField("带队领导", max_length=50, blank=True)
    leads_docked = models.PositiveIntegerField(
        "对接项目数", null=True, blank=True, help_text="本次活动中对接的项目个数。"
    )
    contracts_signed = models.PositiveIntegerField(
        "签约项目数", null=True, blank=True, help_text="本次活动中现场签约的项目个数。"
    )
    signed_amount = MoneyField("签约金额(万元)", null=True, blank=True)
    park = models.ForeignKey(
        "parkportal.Park",
        verbose_name="所属园区",
        null=True,
        blank=True,
        help_text="活动属于某一园区时填写。",
        on_delete=models.PROTECT,
        related_name="outreach_events",
    )
    leads = models.ManyToManyField(
        Lead, verbose_name="对接的招商项目", blank=True, related_name="events"
    )

    history = change_history()

    class Meta:
        verbose_name = "招商活动"
        verbose_name_plural = "招商活动"
        ordering = ["-date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["date", "name"], name="outreach_event_natural_key"),
            models.CheckConstraint(
                condition=Q(signed_amount__isnull=True) | Q(signed_amount__gte=0),
                name="outreach_event_amount_not_negative",
                violation_error_message="签约金额不能为负数。",
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


class FollowUp(models.Model):
    """One follow-up of a lead (招商跟进): a visit, call or talk, and the next step."""

    lead = models.ForeignKey(
        Lead, verbose_name="招商项目", on_delete=models.CASCADE, related_name="follow_ups"
    )
    date = models.DateField("日期")
    method = models.CharField("方式", max_length=16, choices=FollowUpMethod.choices)
    content = models.TextField("内容")
    next_step = models.CharField("下一步", max_length=200, blank=True)
    next_on = models.DateField("下次跟进日期", null=True, blank=True)
    by = models.CharField("跟进人", max_length=50, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = change_history()

    class Meta:
        verbose_name = "招商跟进"
        verbose_name_plural = "招商跟进"
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lead", "date", "method"], name="follow_up_natural_key"
            ),
            models.CheckConstraint(
                condition=Q(next_on__isnull=True) | Q(next_on__gte=F("date")),
                name="follow_up_next_after_date",
                violation_error_message="下次跟进日期不能早于本次跟进日期。",
            ),
        ]

    def __str__(self):
        return f"{self.lead} {self.date:%Y-%m-%d} {self.get_method_display()}"
