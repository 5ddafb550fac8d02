"""The sheets of investment attraction: 招商项目, 招商活动 and 招商跟进."""

from django.utils import timezone

from parkportal.resources import (
    LookupWidget,
    SheetResource,
    choice,
    column,
    industry_lookup,
    integer,
    number,
    park_lookup,
    reading,
    text,
)
from parkportal.resources import (
    date as date_cell,
)
from projects.models import Project

from .choices import AssetType, Channel, EventKind, FollowUpMethod, LeadStage
from .models import FollowUp, Lead, OutreachEvent
from .services import (
    follow_up_save,
    follow_ups_import,
    lead_save,
    leads_import,
    outreach_event_save,
    outreach_events_import,
    stage_date,
)


class LeadResource(SheetResource):
    sheet = "招商项目"
    required = ("线索编号", "项目名称", "招商方式", "阶段", "对接日期")

    code = column("code", "线索编号", text(32))
    name = column("name", "项目名称", text(200))
    investor = column("investor", "投资方", text(200))
    channel = column("channel", "招商方式", choice(Channel))
    industry = column("industry", "所属产业", industry_lookup())
    planned_investment = column(
        "planned_investment", "计划投资(万元)", number(allow_negative=False)
    )
    land_area_mu = column(
        "land_area_mu", "占地(亩)", number(allow_negative=False, decimal_places=2)
    )
    asset_type = column("asset_type", "资产类型", choice(AssetType))
    stage = column("stage", "阶段", choice(LeadStage))
    docked_on = column("docked_on", "对接日期", date_cell())
    signed_on = column("signed_on", "签约日期", date_cell())
    landed_on = column("landed_on", "落地日期", date_cell())
    park = column("park", "意向园区", park_lookup())
    park_name = reading("park__name", "意向园区名称")
    project = column("project", "关联项目编号", LookupWidget(Project, ("code",), "项目编号"))
    project_name = reading("project__name", "关联项目名称")
    owner = column("owner", "负责人", text(50))
    drop_reason = column("drop_reason", "终止原因", text(200))
    delisted_on = column("delisted_on", "摘牌日期", date_cell())
    promised_start_on = column("promised_start_on", "承诺开工日期", date_cell())

    class Meta(SheetResource.Meta):
        model = Lead
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "investor",
            "channel",
            "industry",
            "planned_investment",
            "land_area_mu",
            "asset_type",
            "stage",
            "docked_on",
            "signed_on",
            "landed_on",
            "park",
            "park_name",
            "project",
            "project_name",
            "owner",
            "drop_reason",
            "delisted_on",
            "promised_start_on",
        ]

    def get_queryset(self):
        return Lead.objects.select_related("industry", "park", "project").order_by("code")

    bulk = True

    def bulk_save(self, instances, errors, *, user=None, reason: str = ""):
        return leads_import(leads=instances, errors=errors, user=user, reason=reason)

    def do_instance_save(self, instance, is_create):
        """Save through the lead's door, so a stage the file changes enters the lead's
        stage history, dated by the lead's own dates where it has them."""
        previous = "" if is_create else Lead.objects.get(pk=instance.pk).stage
        lead_save(
            lead=instance,
            previous_stage=previous,
            user=getattr(instance, "_history_user", None),
            on=stage_date(instance, timezone.localdate()),
            note=getattr(instance, "_change_reason", "") or "导入",
        )


class OutreachEventResource(SheetResource):
    sheet = "招商活动"
    required = ("活动日期", "活动名称", "活动类型")

    date = column("date", "活动日期", date_cell())
    name = column("name", "活动名称", text(200))
    kind = column("kind", "活动类型", choice(EventKind))
    place = column("place", "地点", text(100))
    leader = column("leader", "带队领导", text(50))
    leads_docked = column("leads_docked", "对接项目数", integer(minimum=0))
    contracts_signed = column("contracts_signed", "签约项目数", integer(minimum=0))
    signed_amount = column("signed_amount", "签约金额(万元)", number(allow_negative=False))
    park = column("park", "所属园区", park_lookup())

    class Meta(SheetResource.Meta):
        model = OutreachEvent
        import_id_fields = ["date", "name"]
        fields = [
            "date",
            "name",
            "kind",
            "place",
            "leader",
            "leads_docked",
            "contracts_signed",
            "signed_amount",
            "park",
        ]

    def get_queryset(self):
        return OutreachEvent.objects.select_related("park").order_by("date", "name")

    bulk = True

    def bulk_save(self, instances, errors, *, user=None, reason: str = ""):
        return outreach_events_import(events=instances, errors=errors, user=user, reason=reason)

    def do_instance_save(self, instance, is_create):
        outreach_event_save(event=instance, user=getattr(instance, "_history_user", None))


def lead_lookup() -> LookupWidget:
    return LookupWidget(Lead, ("code",), "线索编号")


class FollowUpResource(SheetResource):
    sheet = "招商跟进"
    required = ("线索编号", "日期", "方式", "内容")

    lead = column("lead", "线索编号", lead_lookup())
    lead_name = reading("lead__name", "项目名称")
    date = column("date", "日期", date_cell())
    method = column("method", "方式", choice(FollowUpMethod))
    content = column("content", "内容", text(2000))
    next_step = column("next_step", "下一步", text(200))
    next_on = column("next_on", "下次跟进日期", date_cell())
    by = column("by", "跟进人", text(50))

    class Meta(SheetResource.Meta):
        model = FollowUp
        import_id_fields = ["lead", "date", "method"]
        fields = ["lead", "lead_name", "date", "method", "content", "next_step", "next_on", "by"]

    def get_queryset(self):
        return FollowUp.objects.select_related("lead").order_by("lead__code", "date", "method")

    bulk = True

    def bulk_save(self, instances, errors, *, user=None, reason: str = ""):
        return follow_ups_import(follow_ups=instances, errors=errors, user=user, reason=reason)

    def do_instance_save(self, instance, is_create):
        follow_up_save(follow_up=instance, user=getattr(instance, "_history_user", None))
