"""Who may call the API: any user with a portal role reads (scoped by the selectors);
writes are checked again by each door against the record's park."""

from rest_framework import permissions

from parkportal.choices import Role
from parkportal.roles import user_role


class HasPortalRole(permissions.BasePermission):
    """Signed in with a role; leaders only read (as on the pages)."""

    message = "您没有访问开放接口的权限。"

    def has_permission(self, request, view):
        role = user_role(request.user)
        if role is None:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if role == Role.LEADER:
            self.message = "领导账号只能查看数据，不能修改。"
            return False
        return True
