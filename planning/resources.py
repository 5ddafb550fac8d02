"""The sheet of the year's work plan: 年度任务."""

from parkportal.resources import SheetResource, choice, column, integer, number, text
from parkportal.resources import date as date_cell

from .choices import Measure
from .models import PlanTask
from .services import plan_task_save, plan_tasks_import


class PlanTaskResource(SheetResource):
    sheet = "年度任务"
    required = ("任务编号", "年份", "任务", "完成时限", "衡量方式")

    code = column("code", "任务编号", text(32))
    year = column("year", "年份", integer(minimum=2000, maximum=2100, label="年份"))
    title = column("title", "任务", text(300))
    unit = column("unit", "责任单位", text(100))
    deadline = column("deadline", "完成时限", date_cell())
    measure = column("measure", "衡量方式", choice(Measure))
    subject = column("subject", "对象", text(300))
    target = column("target", "目标值", number(allow_negative=False))

    class Meta(SheetResource.Meta):
        model = PlanTask
        import_id_fields = ["code"]
        fields = ["code", "year", "title", "unit", "deadline", "measure", "subject", "target"]

    def get_queryset(self):
        return PlanTask.objects.order_by("year", "code")

    bulk = True

    def bulk_save(self, instances, errors, *, user=None, reason: str = ""):
        return plan_tasks_import(tasks=instances, errors=errors, user=user, reason=reason)

    def do_instance_save(self, instance, is_create):
        plan_task_save(
            task=instance,
            user=getattr(instance, "_history_user", None),
            reason=getattr(instance, "_change_reason", ""),
        )
