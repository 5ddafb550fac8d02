"""Writes to the register that span several rows."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from .choices import Role
from .data_version import data_version_bump
from .models import Enterprise, Park, ParkMembership
from .roles import sync_role_groups


@transaction.atomic
def user_save(*, username: str, role: Role, park_codes: Iterable[str] = (), password: str | None):
    """Create or update the user `username` with exactly the given role and parks.

    Park staff must be bound to at least one park, never to the zone; investment staff
    to the zone or to parks; leaders and admins to none.
    A password of None leaves an existing user's password as it is.
    """
    role = Role(role)
    codes = list(dict.fromkeys(park_codes))
    parks = list(Park.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {park.code for park in parks})
    if unknown:
        raise ValidationError(f"园区编码不存在：{'、'.join(unknown)}")
    if role == Role.STAFF and not parks:
        raise ValidationError("园区填报员至少要绑定一个园区（--park 园区编码）。")
    if role == Role.INVESTMENT and not parks:
        raise ValidationError("招商专员要绑定开发区或具体园区（--park 编码）。")
    for park in parks if role == Role.STAFF else ():
        try:
            ParkMembership(park=park).clean()  # refuses the zone
        except ValidationError as error:
            raise ValidationError(
                f"{park.code}（{park.name}）：{''.join(error.messages)}"
            ) from error
    if role not in (Role.STAFF, Role.INVESTMENT) and parks:
        raise ValidationError(f"{role.label}可查看全部园区，不需要绑定园区。")

    user, _ = get_user_model().objects.get_or_create(username=username)
    user.is_staff = role == Role.ADMIN
    user.is_superuser = False
    if password is not None:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()

    groups = sync_role_groups()
    user.groups.set([groups[role]])
    ParkMembership.objects.filter(user=user).exclude(park__in=parks).delete()
    for park in parks:
        ParkMembership.objects.get_or_create(user=user, park=park)
    return user


# ---------------------------------------------------------------- the enterprise register

# What an enterprise's figures count for: changing one of these changes the figures of
# every month it reported (whose park they add to, whether they are counted at all).
COUNTING_FIELDS = ("park_id", "status", "in_statistics")


def enterprise_refusal(enterprise: Enterprise, *, lock: bool = False) -> str | None:
    """Return why saving `enterprise` as it is now would be refused, or None.

    A change of park, status or 入统 changes the figures of every month in which the
    enterprise reported, in its old park and its new one: refused while one of those
    months is approved (locked). `lock` locks the months' workflow records for the
    rest of the transaction, so no month is approved meanwhile.
    """
    if enterprise.pk is None:
        return None
    before = Enterprise.objects.filter(pk=enterprise.pk).values(*COUNTING_FIELDS).first()
    if before is None or all(before[f] == getattr(enterprise, f) for f in COUNTING_FIELDS):
        return None
    # The register's door asks the figures' lock: the months belong to indicators.
    from indicators.choices import PeriodStatus
    from indicators.figures import months_text
    from indicators.models import MonthlyValue, PeriodSubmission

    months = set(
        MonthlyValue.objects.filter(enterprise_id=enterprise.pk)
        .values_list("year", "month")
        .distinct()
    )
    if not months:
        return None
    records = PeriodSubmission.objects.filter(
        park_id__in={before["park_id"], enterprise.park_id},
        year__in={y for y, _ in months},
    ).order_by("park_id", "year", "month")
    if lock:
        records = records.select_for_update(of=("self",))
    locked = [
        (park_id, year, month)
        for park_id, year, month, status in records.values_list(
            "park_id", "year", "month", "status"
        )
        if status == PeriodStatus.APPROVED and (year, month) in months
    ]
    if not locked:
        return None
    names = dict(Park.objects.filter(pk__in={p for p, _, _ in locked}).values_list("pk", "name"))
    return (
        f"企业“{enterprise.name}”在{months_text(locked, names)}有数据，这些月份已审核锁定，"
        "不能修改它的所属园区、状态或是否入统；如需修改，请管理员先在月度填报中解锁这些月份。"
    )


@transaction.atomic
def enterprise_save(*, enterprise: Enterprise, user=None, reason: str = "") -> Enterprise:
    """Create or change an enterprise of the register, with its change history.

    Refused (ValidationError, in Chinese) while a change of park, status or 入统
    would change an approved month's figures (`enterprise_refusal`). Otherwise
    saved; its history records the user and `reason`, and the months whose figures
    it moves are marked changed for the entry pages open on them.
    """
    enterprise.full_clean()
    refusal = enterprise_refusal(enterprise, lock=True)
    if refusal:
        raise ValidationError(refusal)
    before = (
        Enterprise.objects.filter(pk=enterprise.pk).values(*COUNTING_FIELDS, "industry_id").first()
        if enterprise.pk
        else None
    )
    if user is not None and user.is_authenticated:
        enterprise._history_user = user
    if reason:
        enterprise._change_reason = reason
    enterprise.save()
    if before and any(before[f] != getattr(enterprise, f) for f in COUNTING_FIELDS):
        from indicators.figures import mark_periods_changed
        from indicators.models import MonthlyValue

        months = set(
            MonthlyValue.objects.filter(enterprise=enterprise).values_list("year", "month")
        )
        parks = {before["park_id"], enterprise.park_id}
        mark_periods_changed({(p, y, m) for p in parks for y, m in months})
    data_version_bump()
    # The reports' sums follow the enterprise's figures to its new park or industry.
    from indicators.sums import official_sums_enterprise_moved

    official_sums_enterprise_moved(enterprise.pk, before, enterprise)
    return enterprise


def enterprise_has_figures(enterprise: Enterprise) -> bool:
    """Return whether the enterprise has, or ever had, a monthly figure."""
    from indicators.models import FigureChange, MonthlyValue

    return (
        MonthlyValue.objects.filter(enterprise=enterprise).exists()
        or FigureChange.objects.filter(enterprise=enterprise).exists()
    )


@transaction.atomic
def enterprise_delete(*, enterprise: Enterprise, user=None) -> None:
    """Delete an enterprise that never had figures; one that had is deregistered (注销)
    instead, so its figures and their history stay with the months they belong to."""
    if enterprise_has_figures(enterprise):
        raise ValidationError(
            f"企业“{enterprise.name}”已有月度数据，不能删除；"
            "如已停业或迁出，请把它的状态改为“注销”。"
        )
    if user is not None and user.is_authenticated:
        enterprise._history_user = user
    enterprise.delete()
    data_version_bump()
