"""Requests solved and approvals handled for enterprises (企业服务)."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from parkportal.history import change_history

from .choices import CaseCategory, CaseChannel, CaseKind, HandlingMode, Satisfaction


class ServiceCaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ServiceCaseQuerySet":
        """Return the cases `user` may read: leaders and admins every case, park staff
        those of their parks' enterprises (or of their parks' projects)."""
        from parkportal.choices import Role
        from parkportal.models import Park
        from parkportal.roles import user_role

        role = user_role(user)
        if role in (Role.ADMIN, Role.LEADER):
            return self.all()
        if role == Role.STAFF:
            return self.in_parks(Park.objects.visible_to(user))
        return self.none()

    def editable_by(self, user) -> "ServiceCaseQuerySet":
        """Return the cases `user` may record and close: admins all, staff their parks'."""
        from parkportal.choices import Role
        from parkportal.models import Park
        from parkportal.roles import user_role

        role = user_role(user)
        if role == Role.ADMIN:
            return self.all()
        if role == Role.STAFF:
            return self.in_parks(Park.objects.editable_by(user))
        return self.none()

    def in_parks(self, parks, *, unassigned: bool = False) -> "ServiceCaseQuerySet":
        """Return the cases of `parks`: by the enterprise's park, or by the project's for
        a project not yet an enterprise; `unassigned` adds the cases of neither."""
        condition = Q(enterprise__park__in=parks) | Q(
            enterprise__isnull=True, project__park__in=parks
        )
        if unassigned:
            condition |= Q(enterprise__isnull=True, project__isnull=True)
        return self.filter(condition)


class ServiceCase(models.Model):
    """A request an enterprise raised (诉求办理) or an approval handled for it (审批代办)."""

    code = models.CharField(
        "服务编号", max_length=32, help_text="企业服务事项的唯一编号；导入工作簿时用它识别。"
    )
    kind = models.CharField("服务类型", max_length=16, choices=CaseKind.choices)
    enterprise = models.ForeignKey(
        "parkportal.Enterprise",
        verbose_name="企业",
        null=True,
        blank=True,
        help_text="尚未注册为企业的项目可不填，改填项目。",
        on_delete=models.PROTECT,
        related_name="service_cases",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_cases",
    )
    received_on = models.DateField("受理日期")
    channel = models.CharField("渠道", max_length=16, choices=CaseChannel.choices)
    category = models.CharField("类别", max_length=16, choices=CaseCategory.choices)
    subject = models.CharField(
        "事项", max_length=500, help_text="企业反映的问题，或代办的审批事项。"
    )
    unit = models.CharField("承办单位", max_length=100)
    days_allowed = models.PositiveIntegerField(
        "办理时限(天)",
        help_text="自受理日起的自然日天数；不填按类别的默认时限（SERVICE_TIME_LIMITS）。",
    )
    due_on = models.DateField("应办结日期", editable=False, help_text="受理日期加办理时限。")
    closed_on = models.DateField("办结日期", null=True, blank=True, help_text="不填表示仍在办理。")
    mode = models.CharField("办理方式", max_length=8, choices=HandlingMode.choices, blank=True)
    outcome = models.CharField("办理结果", max_length=500, blank=True)
    satisfaction = models.CharField(
        "满意度", max_length=16, choices=Satisfaction.choices, blank=True
    )

    objects = ServiceCaseQuerySet.as_manager()
    history = change_history()

    class Meta:
        verbose_name = "企业服务"
        verbose_name_plural = "企业服务"
        ordering = ["-received_on", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="service_case_code_unique"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("received_on")),
                name="service_case_closed_after_received",
                violation_error_message="办结日期不能早于受理日期。",
            ),
        ]
        indexes = [models.Index(fields=["closed_on", "due_on"], name="service_case_open_due")]

    def __str__(self):
        return f"{self.code} {self.subject}"

    def get_absolute_url(self):
        return reverse("services:case", args=[self.pk])
