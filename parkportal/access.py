"""One way for a view to fetch a record the user may see."""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404


def get_visible_or_403(queryset: QuerySet | type[Model], user, **lookup):
    """Return the record matching `lookup` if `user` may see it.

    Raise Http404 when there is no such record, PermissionDenied when there is one
    but it lies outside the user's scope. The scope is the queryset's own
    `visible_to(user)`, so no view restates who may see what.
    """
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    record = get_object_or_404(queryset, **lookup)
    if not queryset.visible_to(user).filter(pk=record.pk).exists():
        raise PermissionDenied
    return record
