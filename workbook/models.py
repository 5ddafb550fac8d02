"""A record of every workbook imported: who, when, which file, and what it did."""

from django.conf import settings
from django.db import models


class ImportBatch(models.Model):
    """One upload of the zone's workbook, from its preview to its import."""

    class Status(models.TextChoices):
        CHECKING = "checking", "检查中"
        PREVIEWED = "previewed", "已预览"
        IMPORTING = "importing", "导入中"
        IMPORTED = "imported", "已导入"
        REJECTED = "rejected", "未通过检查"
        FAILED = "failed", "出错中止"

    RUNNING = (Status.CHECKING, Status.IMPORTING)

    filename = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("文件摘要(SHA-256)", max_length=64)
    content = models.BinaryField("文件内容", editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices)
    started_at = models.DateTimeField("开始检查/导入时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    summary = models.JSONField("结果", default=dict, blank=True)
    # The queued task (django-tasks) that checks or imports it; empty when run inline.
    task_id = models.CharField("后台任务编号", max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "工作簿导入"
        verbose_name_plural = "工作簿导入记录"
        ordering = ["-uploaded_at"]
        permissions = [("import_workbook", "可以导入工作簿")]

    def __str__(self):
        return f"{self.filename}（{self.uploaded_at:%Y-%m-%d %H:%M}）"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING
