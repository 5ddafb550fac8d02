"""Writes of projects' records: the one door of a project's monthly progress."""

from django.db import transaction

from parkportal.data_version import data_version_bump

from .models import ProjectProgress


@transaction.atomic
def project_progress_save(*, progress: ProjectProgress, user=None, reason: str = ""):
    """Check and save a project's progress of a month, recorded in its change history
    with the user and `reason` (the import file, for imported rows).

    The admin (its page and the project's inline), the workbook import and any
    command save progress through here, so each save is checked and audited alike.
    """
    progress.full_clean()
    if user is not None and user.is_authenticated:
        progress._history_user = user
    if reason:
        progress._change_reason = reason
    progress.save()
    data_version_bump()
    return progress
