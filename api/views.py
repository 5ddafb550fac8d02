"""The API's endpoints: short views that parse the request, call a selector or a door,
and answer. Records outside the caller's scope are not found (404), as in NetBox."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators.choices import PeriodStatus
from indicators.models import Indicator
from indicators.selectors import entry_enterprises
from investment.choices import LeadStage
from investment.services import lead_stage_change
from parkportal.access import get_visible_or_403
from parkportal.choices import EnterpriseStatus, ParkKind
from parkportal.middleware import handles_control_characters
from parkportal.models import Park
from parkportal.roles import can_approve
from projects.choices import ProjectStage
from projects.models import Project
from projects.services import ProgressConflict, ProgressInvalid, ProgressMalformed

from . import filters, selectors
from . import serializers as s
from .models import ApiToken
from .services import (
    EntryRefused,
    FiguresRejected,
    FiguresStale,
    FigureValue,
    period_figures_put,
    project_progress_put,
)


class PortalView:
    """What every endpoint shares. The API checks control characters in its own input
    and answers in JSON, instead of the middleware's HTML page."""

    @handles_control_characters
    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if isinstance(getattr(self.request, "auth", None), ApiToken):
            # DRF hands the token's user to the Django request; given back as anonymous,
            # no middleware after the view opens a session for a call that has none.
            request.user = AnonymousUser()
        return response

    def initial(self, request, *args, **kwargs):
        try:
            super().initial(request, *args, **kwargs)
        except (NotAuthenticated, AuthenticationFailed):
            # DRF checks the rate only once a caller is let in: a missing or wrong token
            # counts against the caller's address too, so guessing tokens is limited.
            self.check_throttles(request)
            raise


class ReadViewSet(
    PortalView, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A scoped list and detail: `selector(user)`, narrowed by `narrow(queryset, request)`."""

    selector = None
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        queryset = type(self).selector(self.request.user)
        if self.action == "list":
            queryset = self.narrow(queryset, self.request)
        return queryset

    def narrow(self, queryset, request):
        return queryset


def _lists(parameters, **extra):
    return extend_schema_view(list=extend_schema(parameters=parameters, **extra))


@_lists([filters.text("code", "园区编码"), filters.choice("kind", "类型", ParkKind)])
class ParkViewSet(ReadViewSet):
    """园区与开发区：园区填报员只看到自己的园区。"""

    selector = selectors.parks
    serializer_class = s.ParkSerializer

    def narrow(self, queryset, request):
        if code := filters.query_text(request, "code"):
            queryset = queryset.filter(code=code)
        if kind := filters.query_choice(request, "kind", ParkKind):
            queryset = queryset.filter(kind=kind)
        return queryset


@_lists([])
class IndustryViewSet(ReadViewSet):
    """5+5 产业。"""

    selector = selectors.industries
    serializer_class = s.IndustrySerializer


@_lists([filters.flag("active", "只列启用的指标")])
class IndicatorViewSet(ReadViewSet):
    """指标目录。"""

    selector = selectors.indicators
    serializer_class = s.IndicatorSerializer

    def narrow(self, queryset, request):
        if (active := filters.query_bool(request, "active")) is not None:
            queryset = queryset.filter(is_active=active)
        return queryset


@_lists(
    [
        filters.PARK,
        filters.text("credit_code", "统一社会信用代码"),
        filters.text("q", "名称或信用代码的一部分"),
        filters.flag("in_statistics", "是否入统"),
        filters.choice("status", "状态", EnterpriseStatus),
    ]
)
class EnterpriseViewSet(ReadViewSet):
    """企业：园区填报员只看到自己园区的企业。"""

    selector = selectors.enterprises
    serializer_class = s.EnterpriseSerializer

    def narrow(self, queryset, request):
        if park := filters.query_text(request, "park"):
            queryset = queryset.filter(park__code=park)
        if credit_code := filters.query_text(request, "credit_code"):
            queryset = queryset.filter(credit_code=credit_code)
        if q := filters.query_text(request, "q"):
            queryset = queryset.filter(Q(name__contains=q) | Q(credit_code__contains=q))
        if (in_statistics := filters.query_bool(request, "in_statistics")) is not None:
            queryset = queryset.filter(in_statistics=in_statistics)
        if status_ := filters.query_choice(request, "status", EnterpriseStatus):
            queryset = queryset.filter(status=status_)
        return queryset


@_lists([filters.PARK, filters.YEAR_PARAM, filters.text("indicator", "指标编码")])
class TargetViewSet(ReadViewSet):
    """园区年度目标与预计。"""

    selector = selectors.targets
    serializer_class = s.TargetSerializer

    def narrow(self, queryset, request):
        if park := filters.query_text(request, "park"):
            queryset = queryset.filter(park__code=park)
        if (year := filters.query_int(request, "year", filters.YEAR)) is not None:
            queryset = queryset.filter(year=year)
        if indicator := filters.query_text(request, "indicator"):
            queryset = queryset.filter(indicator__code=indicator)
        return queryset


@_lists(
    [
        filters.PARK,
        filters.YEAR_PARAM,
        filters.MONTH_PARAM,
        filters.choice("status", "报送状态", PeriodStatus),
    ]
)
class PeriodViewSet(ReadViewSet):
    """园区每月的报送状态与版本；写入月度数据时带上 version。"""

    selector = selectors.periods
    serializer_class = s.PeriodSerializer

    def narrow(self, queryset, request):
        if park := filters.query_text(request, "park"):
            queryset = queryset.filter(park__code=park)
        if (year := filters.query_int(request, "year", filters.YEAR)) is not None:
            queryset = queryset.filter(year=year)
        if (month := filters.query_int(request, "month", filters.MONTH)) is not None:
            queryset = queryset.filter(month=month)
        if status_ := filters.query_choice(request, "status", PeriodStatus):
            queryset = queryset.filter(status=status_)
        return queryset


@_lists(
    [
        filters.PARK,
        filters.YEAR_PARAM,
        filters.MONTH_PARAM,
        filters.text("indicator", "指标编码"),
        filters.text("enterprise", "企业的统一社会信用代码"),
        filters.flag("official", "只列正式数据（领导总是只看到正式数据）"),
    ],
    description=(
        "企业月度数据（流量指标为本年累计）。领导只看到正式数据（已上报或已审核的园区月份，"
        "见 FIGURES_OFFICIAL_FROM）；园区填报员和管理员还看到自己可见园区的草稿，"
        "每条数据的 period_status 与 official 标明其状态；official=true 只列正式数据。"
    ),
)
class MonthlyValueViewSet(ReadViewSet):
    selector = selectors.monthly_values
    serializer_class = s.MonthlyValueSerializer

    def get_queryset(self):
        official = self.action == "list" and filters.query_bool(self.request, "official")
        queryset = selectors.monthly_values(self.request.user, official_only=bool(official))
        return self.narrow(queryset, self.request) if self.action == "list" else queryset

    def narrow(self, queryset, request):
        if park := filters.query_text(request, "park"):
            queryset = queryset.filter(enterprise__park__code=park)
        if (year := filters.query_int(request, "year", filters.YEAR)) is not None:
            queryset = queryset.filter(year=year)
        if (month := filters.query_int(request, "month", filters.MONTH)) is not None:
            queryset = queryset.filter(month=month)
        if indicator := filters.query_text(request, "indicator"):
            queryset = queryset.filter(indicator__code=indicator)
        if enterprise := filters.query_text(request, "enterprise"):
            queryset = queryset.filter(enterprise__credit_code=enterprise)
        return queryset


class FigureSetView(PortalView, APIView):
    """Write a park-month's figures, like DHIS2's dataValueSets."""

    @extend_schema(
        request=s.FigureSetSerializer,
        responses={
            200: s.FigureSetResultSerializer,
            409: s.FigureSetErrorSerializer,
        },
        description=(
            "写入一个园区一个月的企业数据（全部成功或全部不写）。先读 /api/periods/ 得到本月的 "
            "version 并随请求提交：期间有人修改过本月数据（版本变化）返回 409，不写入任何数据；"
            "已上报或已审核锁定的月份返回 409 并说明原因；数据错误返回 400："
            "detail 说明，problems 逐条指出企业（信用代码）和指标；请求本身有误时按字段说明。"
        ),
    )
    def post(self, request):
        data = s.FigureSetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        data = data.validated_data
        park = get_visible_or_403(Park.objects.parks(), request.user, code=data["park"])
        values = self._values(park, data["values"])
        try:
            saved = period_figures_put(
                park=park,
                year=data["year"],
                month=data["month"],
                version=data["version"],
                values=values,
                user=request.user,
            )
        except EntryRefused as refused:
            if not Park.objects.editable_by(request.user).filter(pk=park.pk).exists():
                raise PermissionDenied(refused.message) from None
            return Response({"detail": refused.message}, status=status.HTTP_409_CONFLICT)
        except FiguresStale as stale:
            return Response(
                {"detail": stale.message, "version": stale.version}, status=status.HTTP_409_CONFLICT
            )
        except FiguresRejected as rejected:
            return Response(
                {
                    "detail": f"有{len(rejected.problems)}处数据错误，本次未保存任何数据。",
                    "problems": rejected.problems,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(s.FigureSetResultSerializer(saved).data)

    @staticmethod
    def _values(park, values) -> list[FigureValue]:
        """Resolve credit codes and indicator codes; refuse, saying which entry, those not
        in the park's entry grid and figures given twice."""
        enterprises = dict(
            entry_enterprises(park)
            .filter(credit_code__in={v["enterprise"] for v in values})
            .values_list("credit_code", "pk")
        )
        indicators = {i.code: i for i in Indicator.objects.active()}
        problems, seen, resolved = [], set(), []
        for number, value in enumerate(values, start=1):
            where = f"第{number}条"
            enterprise = enterprises.get(value["enterprise"])
            indicator = indicators.get(value["indicator"])
            if enterprise is None:
                problems.append(
                    f"{where}：统一社会信用代码 {value['enterprise']} 不是{park.name}的在册企业。"
                )
            if indicator is None:
                problems.append(f"{where}：没有启用的指标编码 {value['indicator']}。")
            if enterprise is None or indicator is None:
                continue
            if (enterprise, indicator.pk) in seen:
                problems.append(f"{where}：同一企业同一指标重复提交。")
                continue
            seen.add((enterprise, indicator.pk))
            resolved.append(
                FigureValue(enterprise, indicator, value["value"] or "", value.get("comment"))
            )
        if problems:
            raise ValidationError({"values": problems})
        return resolved


def _found_or_403(records, visible, **lookup):
    """Return the record of `records` matching `lookup`: 404 when there is none, 403
    when it lies outside `visible` (the user's scope), as get_visible_or_403 does."""
    record = get_object_or_404(records, **lookup)
    if not visible.filter(pk=record.pk).exists():
        raise PermissionDenied
    return record


def _editable_or_403(user, park, what: str) -> None:
    """Refuse unless `user` enters `park`'s figures (Park.objects.editable_by): staff their
    parks, admins every park; a record without a park (a zone's lead) admins only."""
    if park is None:
        if not can_approve(user):
            raise PermissionDenied(f"只有管理员可以修改未指定园区{what}。")
    elif not Park.objects.editable_by(user).filter(pk=park.pk).exists():
        raise PermissionDenied(f"您没有修改{park.name}{what}的权限。")


@_lists([filters.PARK, filters.choice("stage", "项目阶段", ProjectStage)])
class ProjectViewSet(ReadViewSet):
    """投资项目。"""

    selector = selectors.projects
    serializer_class = s.ProjectSerializer

    def narrow(self, queryset, request):
        if park := filters.query_text(request, "park"):
            queryset = queryset.filter(park__code=park)
        if stage := filters.query_choice(request, "stage", ProjectStage):
            queryset = queryset.filter(stage=stage)
        return queryset


@_lists(
    [
        filters.PARK,
        filters.text("project", "项目编号"),
        filters.YEAR_PARAM,
        filters.MONTH_PARAM,
    ]
)
class ProjectProgressViewSet(mixins.CreateModelMixin, ReadViewSet):
    """项目月度进度（本年累计完成投资）。"""

    selector = selectors.project_progress
    serializer_class = s.ProjectProgressSerializer

    def narrow(self, queryset, request):
        if park := filters.query_text(request, "park"):
            queryset = queryset.filter(project__park__code=park)
        if project := filters.query_text(request, "project"):
            queryset = queryset.filter(project__code=project)
        if (year := filters.query_int(request, "year", filters.YEAR)) is not None:
            queryset = queryset.filter(year=year)
        if (month := filters.query_int(request, "month", filters.MONTH)) is not None:
            queryset = queryset.filter(month=month)
        return queryset

    @extend_schema(
        request=s.ProjectProgressWriteSerializer,
        responses={
            200: s.ProjectProgressSerializer,
            201: s.ProjectProgressSerializer,
        },
        description="保存项目某月的本年累计完成投资：已有则更新（200），没有则新建（201）。",
    )
    def create(self, request, *args, **kwargs):
        data = s.ProjectProgressWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        data = data.validated_data
        project = _found_or_403(
            Project.objects.select_related("park"),
            selectors.projects(request.user),
            code=data["project"],
        )
        _editable_or_403(request.user, project.park, "的项目进度")
        try:
            progress, created = project_progress_put(
                project=project,
                year=data["year"],
                month=data["month"],
                completed=data["completed_investment"],
                government=data["government_investment"],
                user=request.user,
            )
        except EntryRefused as refused:
            return Response({"detail": refused.message}, status=status.HTTP_409_CONFLICT)
        except ProgressConflict:
            return Response(
                {
                    "detail": f"{project.name}该月的进度在您读取之后已被他人修改，"
                    "本次未保存；请重新读取后再提交。"
                },
                status=status.HTTP_409_CONFLICT,
            )
        except ProgressMalformed:
            raise ValidationError(
                {
                    "project": [
                        f"{project.name}不是{project.park.name}"
                        f"{data['year']}年{data['month']}月的在建项目。"
                    ]
                }
            ) from None
        except ProgressInvalid as invalid:
            raise ValidationError({"non_field_errors": invalid.messages}) from None
        answer = s.ProjectProgressSerializer(progress).data
        return Response(answer, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _messages(invalid: DjangoValidationError):
    if hasattr(invalid, "error_dict"):
        messages = invalid.message_dict
        if "__all__" in messages:
            messages["non_field_errors"] = messages.pop("__all__")
        return messages
    return {"detail": invalid.messages}


@_lists([filters.YEAR_PARAM, filters.text("project", "项目编号"), filters.PARK])
class BondViewSet(ReadViewSet):
    """专项债券到位资金。"""

    selector = selectors.bonds
    serializer_class = s.BondSerializer

    def narrow(self, queryset, request):
        if (year := filters.query_int(request, "year", filters.YEAR)) is not None:
            queryset = queryset.filter(year=year)
        if project := filters.query_text(request, "project"):
            queryset = queryset.filter(project__code=project)
        if park := filters.query_text(request, "park"):
            queryset = queryset.filter(project__park__code=park)
        return queryset


@_lists([filters.PARK, filters.choice("stage", "阶段", LeadStage)])
class LeadViewSet(ReadViewSet):
    """招商项目（线索）。"""

    selector = selectors.leads
    serializer_class = s.LeadSerializer

    def narrow(self, queryset, request):
        if park := filters.query_text(request, "park"):
            queryset = queryset.filter(park__code=park)
        if stage := filters.query_choice(request, "stage", LeadStage):
            queryset = queryset.filter(stage=stage)
        return queryset

    @extend_schema(
        request=s.LeadStageSerializer,
        responses={
            200: s.LeadSerializer,
        },
        description="变更招商项目的阶段，记入阶段变更记录；签约、落地时补上签约/落地日期。",
    )
    @action(detail=True, methods=["post"], serializer_class=s.LeadStageSerializer)
    def stage(self, request, pk=None):
        lead = self.get_object()
        data = s.LeadStageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        data = data.validated_data
        _editable_or_403(request.user, lead.park, "的招商项目")
        try:
            lead = lead_stage_change(
                lead=lead,
                stage=data["stage"],
                user=request.user,
                on=data.get("on") or timezone.localdate(),
                note=data["note"],
            )
        except DjangoValidationError as invalid:
            raise ValidationError(_messages(invalid)) from None
        return Response(s.LeadSerializer(lead).data)


@_lists([filters.YEAR_PARAM])
class EventViewSet(ReadViewSet):
    """招商活动。"""

    selector = selectors.events
    serializer_class = s.EventSerializer

    def narrow(self, queryset, request):
        if (year := filters.query_int(request, "year", filters.YEAR)) is not None:
            queryset = queryset.filter(date__year=year)
        return queryset


@csrf_exempt  # refuses everything: no state to protect, and a JSON answer even to a POST
def not_found(request, *args, **kwargs):
    """Answer an address under /api/ that names no endpoint as the API does: JSON 404."""
    return JsonResponse({"detail": "未找到。"}, status=404)
