"""How each record reads in JSON. Figures are Decimals written as strings ("1200.5000"),
never floats; parks, enterprises, indicators and projects are named by their codes."""

from rest_framework import serializers

from indicators.choices import PeriodStatus
from indicators.models import Indicator, MonthlyValue, PeriodSubmission, Target
from indicators.official import is_official
from investment.choices import LeadStage
from investment.models import Lead, OutreachEvent
from parkportal.models import Enterprise, Industry, Park
from parkportal.text import has_control_characters
from projects.models import Project, ProjectProgress, SpecialBond

MAX_VALUES = 5000  # figures in one set: a park-month of a large park, with room


def no_control_characters(text: str) -> None:
    """Refuse text holding a control character, as every form of the portal does."""
    if text and has_control_characters(text):
        raise serializers.ValidationError("含有控制字符（如从其他程序粘贴来的不可见字符）。")


def code(field="code", **kwargs):
    return serializers.SlugRelatedField(slug_field=field, read_only=True, **kwargs)


class ParkSerializer(serializers.ModelSerializer):
    parent = code(allow_null=True)

    class Meta:
        model = Park
        fields = ["id", "code", "name", "kind", "parent", "planned_area_mu", "sort_order"]


class IndustrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Industry
        fields = ["id", "name", "group", "sort_order"]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "unit",
            "kind",
            "allows_negative",
            "sort_order",
            "is_active",
        ]


class EnterpriseSerializer(serializers.ModelSerializer):
    park = code()
    industry = code("name", allow_null=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "credit_code",
            "name",
            "park",
            "industry",
            "in_statistics",
            "scale_category",
            "established_on",
            "status",
        ]


class TargetSerializer(serializers.ModelSerializer):
    park = code()
    indicator = code()

    class Meta:
        model = Target
        fields = ["id", "park", "indicator", "year", "kind", "value"]


class PeriodSerializer(serializers.ModelSerializer):
    park = code()
    official = serializers.SerializerMethodField(help_text="本月数据是否为正式数据（计入报表）")

    class Meta:
        model = PeriodSubmission
        fields = ["id", "park", "year", "month", "status", "version", "updated_at", "official"]

    def get_official(self, submission) -> bool:
        return is_official(submission.status)


class MonthlyValueSerializer(serializers.ModelSerializer):
    park = serializers.CharField(source="enterprise.park.code", read_only=True)
    enterprise = serializers.CharField(
        source="enterprise.credit_code", read_only=True, help_text="统一社会信用代码"
    )
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    indicator = code()
    period_status = serializers.SerializerMethodField(
        help_text="该园区本月的报送状态：draft 填报中、submitted 已上报、approved 已审核"
    )
    official = serializers.SerializerMethodField(help_text="是否为正式数据；草稿为 false")

    class Meta:
        model = MonthlyValue
        fields = [
            "id",
            "park",
            "enterprise",
            "enterprise_name",
            "indicator",
            "year",
            "month",
            "value",
            "period_status",
            "official",
        ]

    def get_period_status(self, figure) -> str:
        return figure.period_status or PeriodStatus.DRAFT

    def get_official(self, figure) -> bool:
        return is_official(figure.period_status)


class ProjectSerializer(serializers.ModelSerializer):
    park = code()
    enterprise = code("credit_code", allow_null=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "park",
            "enterprise",
            "category",
            "stage",
            "total_investment",
            "land_area_mu",
            "start_date",
            "completion_date",
            "key_level",
            "official_in_charge",
        ]


class ProjectProgressSerializer(serializers.ModelSerializer):
    project = code()
    social_investment = serializers.DecimalField(
        max_digits=17,
        decimal_places=4,
        read_only=True,
        help_text="社会资本投资 = 完成投资 − 政府投资",
    )

    class Meta:
        model = ProjectProgress
        fields = [
            "id",
            "project",
            "year",
            "month",
            "completed_investment",
            "government_investment",
            "social_investment",
        ]


class ProjectProgressWriteSerializer(serializers.Serializer):
    """A project's completed investment of a month (本年累计), created or replaced."""

    project = serializers.CharField(
        max_length=32, help_text="项目编号", validators=[no_control_characters]
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    completed_investment = serializers.DecimalField(
        max_digits=16, decimal_places=4, min_value=0, help_text="本年累计完成投资(万元)"
    )
    government_investment = serializers.DecimalField(
        max_digits=16,
        decimal_places=4,
        min_value=0,
        required=False,
        default=0,
        help_text="其中政府财政性投资(万元)",
    )


class BondSerializer(serializers.ModelSerializer):
    project = code()

    class Meta:
        model = SpecialBond
        fields = ["id", "project", "year", "amount"]


class LeadSerializer(serializers.ModelSerializer):
    park = code(allow_null=True)
    industry = code("name", allow_null=True)
    project = code(allow_null=True)

    class Meta:
        model = Lead
        fields = [
            "id",
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
            "project",
            "owner",
        ]


class LeadStageSerializer(serializers.Serializer):
    """A lead's move to another stage (对接 → 洽谈 → 意向 → 签约 → 落地, or 终止)."""

    stage = serializers.ChoiceField(choices=LeadStage.choices)
    on = serializers.DateField(required=False, help_text="变更日期，默认今天")
    note = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        validators=[no_control_characters],
    )


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutreachEvent
        fields = [
            "id",
            "date",
            "name",
            "kind",
            "place",
            "leader",
            "leads_docked",
            "contracts_signed",
            "signed_amount",
        ]


class FigureValueSerializer(serializers.Serializer):
    """One figure (DHIS2's dataValue): for a flow indicator the year-to-date cumulative."""

    enterprise = serializers.CharField(
        max_length=18, help_text="统一社会信用代码", validators=[no_control_characters]
    )
    indicator = serializers.CharField(
        max_length=40, help_text="指标编码", validators=[no_control_characters]
    )
    value = serializers.CharField(
        max_length=40,
        allow_blank=True,
        allow_null=True,
        help_text='数值（文本，如 "1200.5"）；空或 null 表示删除该数据',
    )
    comment = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="说明：数据提示（如增幅超过50%）需要的说明",
        validators=[no_control_characters],
    )


class FigureSetSerializer(serializers.Serializer):
    """A park-month's figures (DHIS2's dataValueSet), written only if the month is still
    at `version`."""

    park = serializers.CharField(
        max_length=32, help_text="园区编码", validators=[no_control_characters]
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    version = serializers.IntegerField(
        min_value=0,
        max_value=2_147_483_647,
        help_text="读取时该园区本月的版本（/api/periods/ 的 version；尚无记录的月份为 0）",
    )
    values = FigureValueSerializer(many=True, allow_empty=False, max_length=MAX_VALUES)


class ProblemSerializer(serializers.Serializer):
    enterprise = serializers.CharField()
    indicator = serializers.CharField()
    message = serializers.CharField()


class FigureSetResultSerializer(serializers.Serializer):
    changed = serializers.IntegerField(help_text="修改的数据个数")
    version = serializers.IntegerField(help_text="保存后本月的版本")
    status = serializers.CharField()
    warnings = ProblemSerializer(many=True, help_text="需要填写说明才能上报的数据提示")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class FigureSetErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    problems = ProblemSerializer(many=True, required=False)
    version = serializers.IntegerField(required=False, help_text="本月当前的版本（409 时）")
