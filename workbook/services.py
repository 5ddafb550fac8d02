"""Writes of the workbook import: keep the upload, preview it, import it."""

import hashlib

from django.db import transaction

from .importer import workbook_import
from .models import ImportBatch


def import_batch_preview(*, data: bytes, filename: str, user) -> ImportBatch:
    """Keep the upload and record what importing it would do, writing nothing else."""
    report = workbook_import(data=data, filename=filename, dry_run=True, user=user)
    return ImportBatch.objects.create(
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        uploaded_by=user,
        status=ImportBatch.Status.PREVIEWED if report.accepted else ImportBatch.Status.REJECTED,
        summary=report.as_dict(),
    )


@transaction.atomic
def import_batch_run(*, batch: ImportBatch) -> ImportBatch:
    """Import a previewed upload for real; all or nothing, like the preview said."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.PREVIEWED:
        return batch
    report = workbook_import(
        data=bytes(batch.content), filename=batch.filename, user=batch.uploaded_by
    )
    batch.status = ImportBatch.Status.IMPORTED if report.accepted else ImportBatch.Status.REJECTED
    batch.summary = report.as_dict()
    batch.save(update_fields=["status", "summary"])
    return batch
