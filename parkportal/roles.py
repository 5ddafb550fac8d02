"""The portal's roles as Django groups, and what each may see.

Park staff (园区填报员) enter figures for the parks bound to them through
ParkMembership; leaders (领导) read everything and change nothing; admins
(管理员) do everything, in the admin site too. Investment staff (招商专员), bound
to the zone or to parks, create and follow leads and outreach events.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import QuerySet

from .choices import Role

PORTAL_APPS = (
    "parkportal",
    "indicators",
    "projects",
    "investment",
    "services",
    "planning",
    "workbook",
)


def _permissions(*, view_only: bool) -> QuerySet[Permission]:
    perms = Permission.objects.filter(content_type__app_label__in=PORTAL_APPS)
    if view_only:
        perms = perms.filter(codename__startswith="view_")
    return perms


def sync_role_groups() -> dict[str, Group]:
    """Create the three role groups if missing and give each its permissions."""
    groups = {}
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.label)
        groups[role.value] = group
    groups[Role.ADMIN].permissions.set(
        _permissions(view_only=False)
        | Permission.objects.filter(
            content_type__app_label="auth", codename__regex=r"_(user|group)$"
        )
    )
    groups[Role.LEADER].permissions.set(_permissions(view_only=True))
    groups[Role.STAFF].permissions.set(
        Permission.objects.filter(
            content_type__app_label="indicators",
            codename__in=["view_monthlyvalue", "add_monthlyvalue", "change_monthlyvalue"],
        )
    )
    groups[Role.INVESTMENT].permissions.set(
        Permission.objects.filter(
            content_type__app_label="investment",
            content_type__model__in=["lead", "leadstagechange", "followup", "outreachevent"],
        ).exclude(codename__startswith="delete_")
    )
    return groups


def sync_role_groups_after_migrate(**kwargs) -> None:
    """Keep the role groups in step with the models after every migrate."""
    sync_role_groups()


def user_role(user) -> Role | None:
    """Return the user's role: admin outranks leader, leader investment staff, and they
    park staff."""
    if not user.is_authenticated:
        return None
    if hasattr(user, "_portal_role"):  # read once per request: the user is loaded per request
        return user._portal_role
    role = None
    if user.is_superuser:
        role = Role.ADMIN
    else:
        names = {group.name for group in user.groups.all()}
        role = next(
            (r for r in (Role.ADMIN, Role.LEADER, Role.INVESTMENT, Role.STAFF) if r.label in names),
            None,
        )
    user._portal_role = role
    return role


def can_approve(user) -> bool:
    """Return whether `user` may approve and unlock months (admins only)."""
    return user_role(user) == Role.ADMIN
