"""Check or import an uploaded workbook in a process of its own (started by the admin)."""

from django.core.management.base import BaseCommand, CommandError

from workbook.models import ImportBatch
from workbook.services import import_batch_run


class Command(BaseCommand):
    help = "检查或导入一个已上传的工作簿批次（由导入页面在后台启动，也可手动重跑）。"

    def add_arguments(self, parser):
        parser.add_argument("batch", type=int, help="导入批次号")

    def handle(self, *args, batch, **options):
        try:
            done = import_batch_run(pk=batch)
        except ImportBatch.DoesNotExist as error:
            raise CommandError(f"没有第 {batch} 号导入批次") from error
        self.stdout.write(f"批次 {done.pk}（{done.filename}）：{done.get_status_display()}")
        if done.status == ImportBatch.Status.FAILED:
            raise CommandError("；".join(done.summary.get("problems", [])))
