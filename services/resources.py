"""The 企业服务 sheet: requests solved and approvals handled for enterprises."""

from parkportal.models import Enterprise
from parkportal.resources import (
    LookupWidget,
    SheetResource,
    choice,
    column,
    integer,
    reading,
    text,
)
from parkportal.resources import (
    date as date_cell,
)
from projects.models import Project

from .choices import CaseCategory, CaseChannel, CaseKind, HandlingMode, Satisfaction
from .models import ServiceCase
from .services import case_prepare, case_refusal, service_case_save, service_cases_import


class ServiceCaseResource(SheetResource):
    sheet = "企业服务"
    required = ("服务编号", "服务类型", "受理日期", "渠道", "类别", "事项", "承办单位")

    code = column("code", "服务编号", text(32))
    kind = column("kind", "服务类型", choice(CaseKind))
    enterprise = column(
        "enterprise", "企业", LookupWidget(Enterprise, ("credit_code", "name"), "企业")
    )
    enterprise_name = reading("enterprise__name", "企业名称")
    project = column("project", "项目编号", LookupWidget(Project, ("code",), "项目编号"))
    received_on = column("received_on", "受理日期", date_cell())
    channel = column("channel", "渠道", choice(CaseChannel))
    category = column("category", "类别", choice(CaseCategory))
    subject = column("subject", "事项", text(500))
    unit = column("unit", "承办单位", text(100))
    days_allowed = column("days_allowed", "办理时限(天)", integer(minimum=1, maximum=3650))
    closed_on = column("closed_on", "办结日期", date_cell())
    mode = column("mode", "办理方式", choice(HandlingMode))
    outcome = column("outcome", "办理结果", text(500))
    satisfaction = column("satisfaction", "满意度", choice(Satisfaction))

    class Meta(SheetResource.Meta):
        model = ServiceCase
        import_id_fields = ["code"]
        fields = [
            "code",
            "kind",
            "enterprise",
            "enterprise_name",
            "project",
            "received_on",
            "channel",
            "category",
            "subject",
            "unit",
            "days_allowed",
            "closed_on",
            "mode",
            "outcome",
            "satisfaction",
        ]

    def get_queryset(self):
        return ServiceCase.objects.select_related("enterprise", "project").order_by("code")

    def import_instance(self, instance, row, **kwargs):
        """Read the row, then fill what the case derives (the category's days allowed
        when blank, the due date), so that a row read again compares as unchanged."""
        super().import_instance(instance, row, **kwargs)
        case_prepare(instance)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Check the row as a model, then as the case's door would."""
        errors = dict(import_validation_errors or {})
        for field, message in case_refusal(instance).items():
            errors.setdefault(field, []).append(message)
        super().validate_instance(instance, errors, validate_unique)

    bulk = True

    def bulk_save(self, instances, errors, *, user=None, reason: str = ""):
        return service_cases_import(cases=instances, errors=errors, user=user, reason=reason)

    def do_instance_save(self, instance, is_create):
        """Save through the case's door; the importing admin and the file go into its
        change history."""
        service_case_save(
            case=instance,
            user=getattr(instance, "_history_user", None),
            reason=getattr(instance, "_change_reason", ""),
        )
