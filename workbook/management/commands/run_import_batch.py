"""Check or import a waiting batch in this process, by hand, when no worker takes it."""

from django.core.management.base import BaseCommand, CommandError

from workbook.models import ImportBatch
from workbook.progress import Heartbeat
from workbook.services import import_batch_run


class Command(BaseCommand):
    help = (
        "在本进程中检查或导入一个排队等待的工作簿批次（后台任务进程未运行时手动执行）；"
        "已完成或出错中止的批次不再执行，请重新上传。"
    )

    def add_arguments(self, parser):
        parser.add_argument("batch", type=int, help="导入批次号")

    def handle(self, *args, batch, **options):
        try:
            with Heartbeat(batch):
                done = import_batch_run(pk=batch)
        except ImportBatch.DoesNotExist as error:
            raise CommandError(f"没有第 {batch} 号导入批次") from error
        self.stdout.write(f"批次 {done.pk}（{done.filename}）：{done.get_status_display()}")
        if done.status == ImportBatch.Status.FAILED:
            raise CommandError("；".join(done.summary.get("problems", [])))
