"""The workbook's background tasks (django-tasks), run by `manage.py run_worker`."""

from django_tasks import task

from .progress import Heartbeat
from .services import import_batch_run

QUEUE = "imports"


@task(queue_name=QUEUE)
def run_import_batch(pk: int) -> str:
    """Check or import the batch `pk`, beating while it works; return its new status."""
    with Heartbeat(pk):
        return import_batch_run(pk=pk).status
