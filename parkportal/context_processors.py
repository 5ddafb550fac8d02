"""Template context every page of the portal shares."""

from .roles import user_role


def portal(request):
    """Add the signed-in user's role to every template."""
    user = getattr(request, "user", None)
    role = user_role(user) if user is not None else None
    return {"portal_role": role, "portal_role_label": role.label if role else ""}
