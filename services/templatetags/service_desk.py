"""The service desk's parts of other apps' pages: an enterprise's requests and approvals."""

from django import template

from ..selectors import enterprise_cases

register = template.Library()


@register.inclusion_tag("services/_enterprise_cases.html")
def enterprise_services(enterprise, user):
    """Show the requests and approvals of `enterprise` that `user` may read (one query)."""
    return {"enterprise": enterprise, "cases": enterprise_cases(enterprise, user)}
