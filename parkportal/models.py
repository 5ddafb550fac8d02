"""The register every app shares: zones and parks, industries, enterprises, staff's parks."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from .choices import EnterpriseStatus, IndustryGroup, ParkKind, ScaleCategory
from .credit_code import validate_credit_code
from .fields import AreaField
from .history import change_history


class ParkQuerySet(models.QuerySet):
    """Parks scoped by what a user may do with them (see parkportal.roles)."""

    def visible_to(self, user) -> "ParkQuerySet":
        """Return the parks (and zones) whose records `user` may read."""
        from .choices import Role
        from .roles import user_role

        role = user_role(user)
        if role in (Role.ADMIN, Role.LEADER):
            return self.all()
        if role == Role.STAFF:
            # Staff are bound to parks only: a membership of a zone grants nothing.
            return self.filter(memberships__user=user, kind=ParkKind.PARK)
        return self.none()

    def editable_by(self, user) -> "ParkQuerySet":
        """Return the parks whose monthly figures `user` may enter and submit."""
        from .choices import Role
        from .roles import user_role

        role = user_role(user)
        if role == Role.ADMIN:
            return self.filter(kind=ParkKind.PARK)
        if role == Role.STAFF:
            return self.filter(memberships__user=user, kind=ParkKind.PARK)
        return self.none()

    def parks(self) -> "ParkQuerySet":
        """Return the parks proper, zones left out."""
        return self.filter(kind=ParkKind.PARK)


class Park(models.Model):
    """A zone (开发区, no parent) or one of its parks (园区)."""

    code = models.CharField(
        "园区编码",
        max_length=32,
        help_text="园区的简短代号，如 CGC；网址和导入的工作簿用它识别园区。",
    )
    name = models.CharField("园区名称", max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级园区",
        null=True,
        blank=True,
        help_text="园区所属的开发区；开发区本身留空。",
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(
        "类型",
        max_length=8,
        choices=ParkKind.choices,
        default=ParkKind.PARK,
        help_text="开发区下辖各园区；开发区的合计包括其下各园区和开发区本级。",
    )
    planned_area_mu = AreaField("规划面积(亩)", null=True, blank=True)
    assessment_category = models.CharField(
        "考核类别",
        max_length=50,
        blank=True,
        help_text="省级开发区考核中所在的类别，如“重点生态功能区域”。",
    )
    focus_industries = models.ManyToManyField(
        "Industry", verbose_name="主导产业", blank=True, related_name="parks"
    )
    sort_order = models.PositiveSmallIntegerField(
        "排序", default=0, help_text="列表和报表中的先后次序，数字小的在前。"
    )

    objects = ParkQuerySet.as_manager()
    history = change_history()

    class Meta:
        verbose_name = "园区"
        verbose_name_plural = "园区"
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="park_code_unique"),
            models.UniqueConstraint(fields=["name"], name="park_name_unique"),
            models.CheckConstraint(
                condition=(Q(kind=ParkKind.ZONE, parent__isnull=True))
                | (Q(kind=ParkKind.PARK) & Q(parent__isnull=False)),
                name="park_zone_has_no_parent",
                violation_error_message="开发区不能有上级园区；园区必须有上级开发区。",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.parent.kind != ParkKind.ZONE:
            raise ValidationError({"parent": "上级园区必须是开发区。"})

    @property
    def is_zone(self) -> bool:
        return self.kind == ParkKind.ZONE


class Industry(models.Model):
    """One of the zone's leading industries (the 5+5 system)."""

    name = models.CharField("产业名称", max_length=50)
    group = models.CharField(
        "产业类别",
        max_length=16,
        choices=IndustryGroup.choices,
        help_text="“5+5”产业体系中属于传统产业还是新兴产业。",
    )
    sort_order = models.PositiveSmallIntegerField(
        "排序", default=0, help_text="列表和报表中的先后次序，数字小的在前。"
    )

    history = change_history()

    class Meta:
        verbose_name = "产业"
        verbose_name_plural = "产业"
        ordering = ["group", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="industry_name_unique")]

    def __str__(self):
        return self.name


class EnterpriseQuerySet(models.QuerySet):
    """Enterprises scoped by user and by what the reports count."""

    def visible_to(self, user) -> "EnterpriseQuerySet":
        """Return the enterprises of the parks `user` may read."""
        return self.filter(park__in=Park.objects.visible_to(user))

    def registered(self) -> "EnterpriseQuerySet":
        """Return the enterprises on the register: all but the deregistered (注销)."""
        return self.exclude(status=EnterpriseStatus.DEREGISTERED)

    def statistical(self) -> "EnterpriseQuerySet":
        """Return the enterprises in the statistics (入统), whose figures totals add up."""
        return self.filter(in_statistics=True)

    # The fields whose past values as_of() reads from the change history.
    AS_OF_FIELDS = ("park_id", "in_statistics", "scale_category", "status")

    def as_of(self, day: date) -> "EnterpriseQuerySet":
        """Return the enterprises as the register stood at the end of `day`: established
        by then (or without a date), each with `park_id_then`, `in_statistics_then`,
        `scale_category_then` and `status_then` from its change history.

        The register has no date of deregistration or of entering the statistics; the
        history's records say when the portal learned of each change. An enterprise's
        state on `day` is its latest record up to the end of that day; before its first
        record (the register imported later than `day`), its first record's state is
        taken as it stood then; without any record, its current state.
        """
        end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
        records = self.model.history.filter(id=OuterRef("pk"))
        # The latest record before the end, else the first record after it: one lookup.
        as_of = records.annotate(
            before=Case(When(history_date__lt=end, then=F("history_date")))
        ).order_by(F("before").desc(nulls_last=True), "history_date", "-history_id")
        # Without a record after the end (nothing changed since), the row is as it was.
        # The enterprises changed since are read once (not probed row by row): a report
        # of the current month reads the history of the few that changed.
        changed = Q(pk__in=self.model.history.filter(history_date__gte=end).values("id"))
        return self.filter(Q(established_on__isnull=True) | Q(established_on__lte=day)).annotate(
            **{
                f"{field}_then": Case(
                    When(
                        changed,
                        then=Coalesce(Subquery(as_of.values(field)[:1]), F(field)),
                    ),
                    default=F(field),
                    output_field=self.model._meta.get_field(field.removesuffix("_id")).target_field
                    if field.endswith("_id")
                    else self.model._meta.get_field(field),
                )
                for field in self.AS_OF_FIELDS
            }
        )


class Enterprise(models.Model):
    """An enterprise in a park, keyed by its unified social credit code."""

    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        validators=[validate_credit_code],
        help_text="营业执照上的18位代码，最后一位是校验码；导入工作簿时用它识别企业。",
    )
    name = models.CharField("企业名称", max_length=200)
    park = models.ForeignKey(
        Park, verbose_name="所属园区", on_delete=models.PROTECT, related_name="enterprises"
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name="所属产业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    in_statistics = models.BooleanField(
        "是否入统",
        default=False,
        help_text="纳入开发区统计报表的企业。园区和开发区的指标合计只加总入统企业。",
    )
    scale_category = models.CharField(
        "四上类别",
        max_length=16,
        choices=ScaleCategory.choices,
        blank=True,
        help_text="“四上”企业选择其类别，不是四上企业留空；四上企业必须是入统企业。",
    )
    established_on = models.DateField(
        "成立日期",
        null=True,
        blank=True,
        help_text="营业执照上的成立日期：报表按它统计本年新设立企业和某月末的企业数。",
    )
    status = models.CharField(
        "状态",
        max_length=16,
        choices=EnterpriseStatus.choices,
        default=EnterpriseStatus.ACTIVE,
        help_text="有数据的企业不删除，停业后选“注销”；注销的企业不再计入企业数。",
    )

    objects = EnterpriseQuerySet.as_manager()
    history = change_history()

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["park", "name"]
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], name="enterprise_credit_code_unique"),
            models.CheckConstraint(
                condition=Q(scale_category="") | Q(in_statistics=True),
                name="enterprise_above_scale_is_in_statistics",
                violation_error_message="四上企业必须是入统企业。",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_above_scale(self) -> bool:
        return bool(self.scale_category)


class ParkMembership(models.Model):
    """Binds a park-staff user to a park whose figures they enter."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="park_memberships",
    )
    park = models.ForeignKey(
        Park, verbose_name="园区", on_delete=models.CASCADE, related_name="memberships"
    )

    history = change_history()

    class Meta:
        verbose_name = "填报园区"
        verbose_name_plural = "填报园区"
        constraints = [
            models.UniqueConstraint(fields=["user", "park"], name="park_membership_unique")
        ]

    def __str__(self):
        return f"{self.user} → {self.park}"

    def clean(self):
        if self.park_id and self.park.is_zone:
            raise ValidationError({"park": "开发区不能作为填报园区；请绑定具体园区。"})


class DataVersion(models.Model):
    """Counts the changes of the data reports are built from: one row, bumped by every door."""

    number = models.BigIntegerField("数据版本", default=0)

    class Meta:
        verbose_name = "数据版本"
        verbose_name_plural = "数据版本"

    def __str__(self):
        return str(self.number)
