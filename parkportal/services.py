"""Writes to the register that span several rows."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from .choices import ParkKind, Role
from .models import Park, ParkMembership
from .roles import sync_role_groups


def park_membership_refusal(park: Park | None) -> str | None:
    """Return why park staff cannot be bound to `park`, or None.

    Staff enter the figures of a park; the zone's figures are its parks' sums, never entered.
    """
    if park is not None and park.kind == ParkKind.ZONE:
        return f"“{park.name}”（{park.code}）是开发区。开发区不能作为填报园区；请绑定具体园区。"
    return None


@transaction.atomic
def user_save(*, username: str, role: Role, park_codes: Iterable[str] = (), password: str | None):
    """Create or update the user `username` with exactly the given role and parks.

    Park staff must be bound to at least one park, never to the zone; leaders and admins
    to none.
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
    zones = [refusal for refusal in map(park_membership_refusal, parks) if refusal]
    if role == Role.STAFF and zones:
        raise ValidationError(zones)
    if role != Role.STAFF and parks:
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
