"""The sheets of projects: 项目, 项目计划, 项目进度, 项目节点, 专项债券, 调度会议, 项目问题,
土地供应 and 融资. Every row is saved through its record's door (projects.services)."""

import re

from django.core.exceptions import ValidationError
from import_export import fields, widgets

from investment.models import Lead
from parkportal import cells
from parkportal.models import Enterprise
from parkportal.resources import (
    CellWidget,
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

from .choices import FinancingWay, KeyLevel, MeetingKind, ProjectCategory, ProjectStage, SupplyWay
from .models import (
    Financing,
    LandPlot,
    Meeting,
    Milestone,
    Project,
    ProjectIssue,
    ProjectPlan,
    ProjectProgress,
    SpecialBond,
)
from .services import (
    bond_save,
    bonds_import,
    financing_import,
    financing_save,
    issue_save,
    issues_import,
    land_plot_save,
    land_plots_import,
    meeting_save,
    meetings_import,
    milestone_save,
    milestones_import,
    plans_import,
    progress_import,
    progress_import_save,
    project_plan_save,
    project_save,
    projects_import,
)


def project_lookup() -> LookupWidget:
    return LookupWidget(Project, ("code",), "项目编号")


def enterprise_lookup(label: str) -> LookupWidget:
    return LookupWidget(Enterprise, ("credit_code", "name"), label)


def year() -> CellWidget:
    return integer(minimum=2000, maximum=2100, label="年份")


def money() -> CellWidget:
    return number(allow_negative=False)


def audit(instance) -> dict:
    """Return who wrote an imported row and from which file, as before_save_instance put
    them on the instance, for its door's change history."""
    return {
        "user": getattr(instance, "_history_user", None),
        "reason": getattr(instance, "_change_reason", ""),
    }


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
    # Added after the first release: optional, so a workbook of that release still imports.
    budget = column("budget", "概算(万元)", money())
    planned_start_date = column("planned_start_date", "计划开工日期", date())
    production_date = column("production_date", "投产日期", date())
    responsible_unit = column("responsible_unit", "责任单位", text(100))

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
            "budget",
            "planned_start_date",
            "production_date",
            "responsible_unit",
        ]

    def get_queryset(self):
        return Project.objects.select_related("park", "enterprise").order_by("code")

    bulk = True

    def bulk_save(self, instances, errors, *, user=None, reason: str = ""):
        return projects_import(projects=instances, errors=errors, user=user, reason=reason)

    def do_instance_save(self, instance, is_create):
        project_save(project=instance, **audit(instance))


class ProjectPlanResource(SheetResource):
    sheet = "项目计划"
    required = ("项目编号", "年份", "年度计划投资(万元)")

    project = column("project", "项目编号", project_lookup())
    project_name = reading("project__name", "项目名称")
    year = column("year", "年份", year())
    planned_investment = column("planned_investment", "年度计划投资(万元)", money())
    goal = column("goal", "年度目标", text(200))

    class Meta(SheetResource.Meta):
        model = ProjectPlan
        import_id_fields = ["project", "year"]
        fields = ["project", "project_name", "year", "planned_investment", "goal"]

    def get_queryset(self):
        return ProjectPlan.objects.select_related("project").order_by("project__code", "year")

    bulk = True

    def bulk_save(self, instances, errors, *, user=None, reason: str = ""):
        return plans_import(plans=instances, errors=errors, user=user, reason=reason)

    def do_instance_save(self, instance, is_create):
        project_plan_save(plan=instance, **audit(instance))


class ProjectProgressResource(SheetResource):
    sheet = "项目进度"
    required = ("项目编号", "年份", "月份", "本年累计完成投资(万元)")

    project = column("project", "项目编号", project_lookup())
    project_name = reading("project__name", "项目名称")
    year = column("year", "年份", year())
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

    bulk = True

    def bulk_save(self, instances, errors, *, user=None, reason: str = ""):
        return progress_import(progress=instances, errors=errors, user=user, reason=reason)

    def do_instance_save(self, instance, is_create):
        """Save through the progress' door, with the user and file before_save_instance
        put on the instance."""
        progress_import_save(progress=instance, **audit(instance))


class MilestoneResource(SheetResource):
    sheet = "项目节点"
    required = ("项目编号", "节点名称", "计划完成日期")

    project = column("project", "项目编号", project_lookup())
    project_name = reading("project__name", "项目名称")
    name = column("name", "节点名称", text(50))
    planned_date = column("planned_date", "计划完成日期", date())
    actual_date = column("actual_date", "实际完成日期", date())
    responsible_unit = column("responsible_unit", "责任单位", text(100))
    handler = column("handler", "代办人", text(50))

    class Meta(SheetResource.Meta):
        model = Milestone
        import_id_fields = ["project", "name"]
        fields = [
            "project",
            "project_name",
            "name",
            "planned_date",
            "actual_date",
            "responsible_unit",
            "handler",
        ]

    def get_queryset(self):
        return Milestone.objects.select_related("project").order_by(
            "project__code", "planned_date", "name"
        )

    bulk = True

    def bulk_save(self, instances, errors, *, user=None, reason: str = ""):
        return milestones_import(milestones=instances, errors=errors, user=user, reason=reason)

    def do_instance_save(self, instance, is_create):
        milestone_save(milestone=instance, **audit(instance))


class SpecialBondResource(SheetResource):
    sheet = "专项债券"
    required = ("项目编号", "年份")

    project = column("project", "项目编号", project_lookup())
    project_name = reading("project__name", "项目名称")
    year = column("year", "年份", year())
    applied = column("applied", "申报金额(万元)", money())
    approved = column("approved", "批复金额(万元)", money())
    # Required in the first release; now a blank means none received yet.
    amount = column("amount", "到位资金(万元)", money())
    spent = column("spent", "支出金额(万元)", money())

    class Meta(SheetResource.Meta):
        model = SpecialBond
        import_id_fields = ["project", "year"]
        fields = ["project", "project_name", "year", "applied", "approved", "amount", "spent"]

    def get_queryset(self):
        return SpecialBond.objects.select_related("project").order_by("project__code", "year")

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.amount is None:
            instance.amount = 0

    bulk = True

    def bulk_save(self, instances, errors, *, user=None, reason: str = ""):
        """Write through the bonds' door, which reads a blank 到位资金 as none yet."""
        return bonds_import(bonds=instances, errors=errors, user=user, reason=reason)

    def do_instance_save(self, instance, is_create):
        bond_save(bond=instance, **audit(instance))


PROJECT_SEPARATORS = re.compile(r"[、,，;；\s]+")


class ProjectsWidget(widgets.ManyToManyWidget):
    """Projects named by their codes, separated by 、 or , (涉及项目), looked up in one
    query per import."""

    def __init__(self):
        super().__init__(Project, separator="、", field="code")
        self._projects: dict[str, Project] | None = None

    def reset(self) -> None:
        """Forget the looked-up projects, so that those an earlier sheet wrote are seen."""
        self._projects = None

    def clean(self, value, row=None, **kwargs):
        try:
            given = cells.parse_text(value, max_length=2000)
        except cells.CellError as error:
            raise ValueError(error.message) from error
        codes = [code for code in PROJECT_SEPARATORS.split(given or "") if code]
        if self._projects is None:
            self._projects = {p.code: p for p in Project.objects.all()}
        found = self._projects
        missing = [code for code in codes if code not in found]
        if missing:
            raise ValueError(f"项目编号“{'、'.join(missing)}”不存在")
        return [found[code] for code in dict.fromkeys(codes)]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "、".join(sorted(project.code for project in value.all()))


class MeetingResource(SheetResource):
    sheet = "调度会议"
    required = ("会议日期", "会议名称", "会议类型")

    held_on = column("held_on", "会议日期", date())
    name = column("name", "会议名称", text(100))
    kind = column("kind", "会议类型", choice(MeetingKind))
    chair = column("chair", "主持领导", text(50))
    projects = column("projects", "涉及项目", ProjectsWidget())

    class Meta(SheetResource.Meta):
        model = Meeting
        import_id_fields = ["held_on", "name"]
        fields = ["held_on", "name", "kind", "chair", "projects"]

    def get_queryset(self):
        return Meeting.objects.prefetch_related("projects").order_by("held_on", "name")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.fields["projects"].widget.reset()

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        """Read 涉及项目 onto the meeting for its door to set (the bulk way reads every
        column here; the row path's `import_instance` reads it itself)."""
        if field.attribute == "projects":
            instance._projects = field.clean(row) if field.column_name in row else None
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    bulk = True

    def bulk_save(self, instances, errors, *, user=None, reason: str = ""):
        """Write through the meetings' door with the projects each row names (none read:
        a meeting's projects stay as they are)."""
        return meetings_import(
            meetings=instances,
            projects=[getattr(meeting, "_projects", None) for meeting in instances],
            errors=errors,
            user=user,
            reason=reason,
        )

    def import_instance(self, instance, row, **kwargs):
        """Read the row, and its projects for the door to set (a bad code is the row's
        error under 涉及项目)."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        instance._projects = None
        if self.fields["projects"].column_name in row:
            try:
                instance._projects = self.fields["projects"].clean(row)
            except ValueError as error:
                errors.setdefault("projects", []).append(str(error))
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        meeting_save(meeting=instance, projects=instance._projects, **audit(instance))

    def save_m2m(self, instance, row, **kwargs):
        """The door has set the projects already."""


class ProjectIssueResource(SheetResource):
    sheet = "项目问题"
    required = ("问题编号", "项目编号", "提出日期", "问题描述", "责任单位")

    code = column("code", "问题编号", text(32))
    project = column("project", "项目编号", project_lookup())
    project_name = reading("project__name", "项目名称")
    raised_on = column("raised_on", "提出日期", date())
    description = column("description", "问题描述", text(1000))
    responsible_unit = column("responsible_unit", "责任单位", text(100))
    deadline = column("deadline", "办结时限", date())
    solved_on = column("solved_on", "解决日期", date())
    solution = column("solution", "解决情况", text(1000))
    meeting = column("meeting", "会议", LookupWidget(Meeting, ("name",), "会议"))

    class Meta(SheetResource.Meta):
        model = ProjectIssue
        import_id_fields = ["code"]
        fields = [
            "code",
            "project",
            "project_name",
            "raised_on",
            "description",
            "responsible_unit",
            "deadline",
            "solved_on",
            "solution",
            "meeting",
        ]

    def get_queryset(self):
        return ProjectIssue.objects.select_related("project", "meeting").order_by("code")

    bulk = True

    def bulk_save(self, instances, errors, *, user=None, reason: str = ""):
        return issues_import(issues=instances, errors=errors, user=user, reason=reason)

    def do_instance_save(self, instance, is_create):
        issue_save(issue=instance, **audit(instance))


class GranteeWidget(CellWidget):
    """Who took a plot: an enterprise by credit code or name, else a lead by its 线索编号."""

    def __init__(self):
        super().__init__(lambda raw: raw)
        self.enterprises = enterprise_lookup("受让方")
        self.leads = LookupWidget(Lead, ("code",), "受让方")

    def clean(self, value, row=None, **kwargs):
        held = self.held(value)
        if held is not None:
            return held
        try:
            return self.enterprises.clean(value)
        except ValueError as by_enterprise:
            try:
                return self.leads.clean(value)
            except ValueError:
                raise ValueError(
                    f"{by_enterprise}（受让方填企业的统一社会信用代码或名称，或招商项目的线索编号）"
                ) from None

    def held(self, value) -> Enterprise | Lead | None:
        """Return the enterprise, else the lead, that the lookups loaded for the sheet
        hold under `value`, or None: a lead's code then costs no query (the enterprises'
        lookup alone would ask the database for each code it does not hold)."""
        try:
            key = cells.parse_text(value, max_length=200)
        except cells.CellError:
            return None
        for lookup in (self.enterprises, self.leads):
            found = lookup.index().get(key) if key else None
            if isinstance(found, lookup.model):
                return found
        return None

    def render(self, value, obj=None, **kwargs):
        if isinstance(value, Enterprise):
            return value.credit_code
        if isinstance(value, Lead):
            return value.code
        return ""


class GranteeField(fields.Field):
    """The 受让方 column: sets the plot's enterprise or its lead, and clears the other."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        grantee = self.clean(row, **kwargs)
        instance.enterprise = grantee if isinstance(grantee, Enterprise) else None
        instance.lead = grantee if isinstance(grantee, Lead) else None


class LandPlotResource(SheetResource):
    sheet = "土地供应"
    required = ("地块编号", "所属园区", "面积(亩)", "供地方式")

    code = column("code", "地块编号", text(32))
    park = column("park", "所属园区", park_lookup())
    park_name = reading("park__name", "所属园区名称")
    area_mu = column("area_mu", "面积(亩)", number(allow_negative=False, decimal_places=2))
    way = column("way", "供地方式", choice(SupplyWay))
    dealt_on = column("dealt_on", "成交日期", date())
    price_per_mu = column("price_per_mu", "单价(万元/亩)", money())
    grantee = GranteeField(attribute="grantee", column_name="受让方", widget=GranteeWidget())
    project = column("project", "项目编号", project_lookup())
    promised_tax_per_mu = column("promised_tax_per_mu", "承诺亩均税收(万元/亩)", money())
    promised_investment_per_mu = column(
        "promised_investment_per_mu", "承诺投资强度(万元/亩)", money()
    )

    class Meta(SheetResource.Meta):
        model = LandPlot
        import_id_fields = ["code"]
        fields = [
            "code",
            "park",
            "park_name",
            "area_mu",
            "way",
            "dealt_on",
            "price_per_mu",
            "grantee",
            "project",
            "promised_tax_per_mu",
            "promised_investment_per_mu",
        ]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.fields["grantee"].widget.enterprises.reset()
        self.fields["grantee"].widget.leads.reset()

    def get_queryset(self):
        return LandPlot.objects.select_related("park", "enterprise", "lead", "project").order_by(
            "code"
        )

    bulk = True

    def bulk_save(self, instances, errors, *, user=None, reason: str = ""):
        return land_plots_import(plots=instances, errors=errors, user=user, reason=reason)

    def do_instance_save(self, instance, is_create):
        land_plot_save(plot=instance, **audit(instance))


class FinancingResource(SheetResource):
    sheet = "融资"
    required = ("融资编号", "日期", "方式", "金额(万元)")

    code = column("code", "融资编号", text(32))
    received_on = column("received_on", "日期", date())
    way = column("way", "方式", choice(FinancingWay))
    amount = column("amount", "金额(万元)", money())
    enterprise = column("enterprise", "企业", enterprise_lookup("企业"))
    project = column("project", "项目编号", project_lookup())
    note = column("note", "说明", text(200))

    class Meta(SheetResource.Meta):
        model = Financing
        import_id_fields = ["code"]
        fields = ["code", "received_on", "way", "amount", "enterprise", "project", "note"]

    def get_queryset(self):
        return Financing.objects.select_related("enterprise", "project").order_by("code")

    bulk = True

    def bulk_save(self, instances, errors, *, user=None, reason: str = ""):
        return financing_import(financing=instances, errors=errors, user=user, reason=reason)

    def do_instance_save(self, instance, is_create):
        financing_save(financing=instance, **audit(instance))
