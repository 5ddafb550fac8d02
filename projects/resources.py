"""The sheets of projects: 项目, 项目进度 and 专项债券."""

from parkportal.models import Enterprise
from parkportal.resources import (
    LookupWidget,
    SheetResource,
    choice,
    column,
    date,
    integer,
    number,
    park_lookup,
    reading,
    text,
)

from .choices import KeyLevel, ProjectCategory, ProjectStage
from .models import Project, ProjectProgress, SpecialBond
from .services import project_progress_save


def project_lookup() -> LookupWidget:
    return LookupWidget(Project, ("code",), "项目编号")


class ProjectResource(SheetResource):
    sheet = "项目"
    required = ("项目编号", "项目名称", "所属园区", "项目类别", "项目阶段", "总投资(万元)")

    code = column("code", "项目编号", text(32))
    name = column("name", "项目名称", text(200))
    park = column("park", "所属园区", park_lookup())
    park_name = reading("park__name", "所属园区名称")
    enterprise = column(
        "enterprise", "建设单位", LookupWidget(Enterprise, ("credit_code", "name"), "建设单位")
    )
    enterprise_name = reading("enterprise__name", "建设单位名称")
    category = column("category", "项目类别", choice(ProjectCategory))
    stage = column("stage", "项目阶段", choice(ProjectStage))
    total_investment = column("total_investment", "总投资(万元)", number(allow_negative=False))
    land_area_mu = column(
        "land_area_mu", "占地(亩)", number(allow_negative=False, decimal_places=2)
    )
    start_date = column("start_date", "开工日期", date())
    completion_date = column("completion_date", "竣工日期", date())
    key_level = column("key_level", "重点级别", choice(KeyLevel))
    official_in_charge = column("official_in_charge", "包联领导", text(50))

    class Meta(SheetResource.Meta):
        model = Project
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "park",
            "park_name",
            "enterprise",
            "enterprise_name",
            "category",
            "stage",
            "total_investment",
            "land_area_mu",
            "start_date",
            "completion_date",
            "key_level",
            "official_in_charge",
        ]

    def get_queryset(self):
        return Project.objects.select_related("park", "enterprise").order_by("code")


class ProjectProgressResource(SheetResource):
    sheet = "项目进度"
    required = ("项目编号", "年份", "月份", "本年累计完成投资(万元)")

    project = column("project", "项目编号", project_lookup())
    project_name = reading("project__name", "项目名称")
    year = column("year", "年份", integer(minimum=2000, maximum=2100, label="年份"))
    month = column("month", "月份", integer(minimum=1, maximum=12, label="月份"))
    completed_investment = column(
        "completed_investment", "本年累计完成投资(万元)", number(allow_negative=False)
    )
    government_investment = column(
        "government_investment", "其中政府财政性投资(万元)", number(allow_negative=False)
    )

    class Meta(SheetResource.Meta):
        model = ProjectProgress
        import_id_fields = ["project", "year", "month"]
        fields = [
            "project",
            "project_name",
            "year",
            "month",
            "completed_investment",
            "government_investment",
        ]

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # A blank government part means none of it: the whole is social capital.
        if instance.government_investment is None:
            instance.government_investment = 0

    def get_queryset(self):
        return ProjectProgress.objects.select_related("project").order_by(
            "project__code", "year", "month"
        )

    def do_instance_save(self, instance, is_create):
        """Save through the progress' door, with the user and file before_save_instance
        put on the instance."""
        project_progress_save(
            progress=instance,
            user=getattr(instance, "_history_user", None),
            reason=getattr(instance, "_change_reason", ""),
        )


class SpecialBondResource(SheetResource):
    sheet = "专项债券"
    required = ("项目编号", "年份", "到位资金(万元)")

    project = column("project", "项目编号", project_lookup())
    project_name = reading("project__name", "项目名称")
    year = column("year", "年份", integer(minimum=2000, maximum=2100, label="年份"))
    amount = column("amount", "到位资金(万元)", number(allow_negative=False))

    class Meta(SheetResource.Meta):
        model = SpecialBond
        import_id_fields = ["project", "year"]
        fields = ["project", "project_name", "year", "amount"]

    def get_queryset(self):
        return SpecialBond.objects.select_related("project").order_by("project__code", "year")
