"""The admin site: every model's changelist, search, filter and forms, and who may enter.

One table drives the tests of all the portal's models; the tests below it check what only one
admin does. A changelist costs the same number of queries however many rows it shows.
"""

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.choices import IndicatorKind
from indicators.models import Indicator, MonthlyValue, Target
from investment.choices import EventKind, LeadStage
from investment.models import Lead, LeadStageChange, OutreachEvent
from parkportal.choices import IndustryGroup
from parkportal.models import Enterprise, Industry, Park, ParkMembership
from planning.models import PlanTask
from planning.services import plan_task_save
from projects.models import Project, ProjectProgress, SpecialBond
from services.models import ServiceCase
from services.services import service_case_save
from tests.factories import (
    EnterpriseFactory,
    IndustryFactory,
    LeadFactory,
    LeadStageChangeFactory,
    MonthlyValueFactory,
    OutreachEventFactory,
    ParkFactory,
    ParkMembershipFactory,
    ProjectFactory,
    ProjectProgressFactory,
    SpecialBondFactory,
    TargetFactory,
    UserFactory,
    ZoneFactory,
)

_indicator_serial = itertools.count(1)


# Each builder makes one row whose related rows are its own, so that a changelist that
# loaded a relation per row would show it in its query count.
def make_park(**kwargs) -> Park:
    park = ParkFactory(**kwargs)
    park.focus_industries.add(IndustryFactory())
    EnterpriseFactory(park=park)
    return park


def make_industry(**kwargs) -> Industry:
    industry = IndustryFactory(**kwargs)
    EnterpriseFactory(industry=industry)
    return industry


def make_indicator(**kwargs) -> Indicator:
    n = next(_indicator_serial)
    return Indicator.objects.create(
        **{"code": f"test_{n}", "name": f"测试指标{n}", "unit": "万元", **kwargs}
    )


def make_project(**kwargs) -> Project:
    return ProjectFactory(**{"enterprise": EnterpriseFactory(), **kwargs})


def make_lead(**kwargs) -> Lead:
    return LeadFactory(**{"industry": IndustryFactory(), "park": ParkFactory(), **kwargs})


def make_stage_change(**kwargs) -> LeadStageChange:
    return LeadStageChangeFactory(**{"changed_by": UserFactory(), **kwargs})


_task_serial = itertools.count(1)


def make_service_case(**kwargs) -> ServiceCase:
    values = {
        "code": f"FW{next(_task_serial):04d}",
        "kind": "request",
        "enterprise": EnterpriseFactory(),
        "received_on": date(2026, 3, 2),
        "channel": "direct_line",
        "category": "utilities",
        "subject": "厂区用电增容",
        "unit": "县供电公司",
        **kwargs,
    }
    return service_case_save(case=ServiceCase(**values))


def make_plan_task(**kwargs) -> PlanTask:
    n = next(_task_serial)
    values = {
        "code": f"RW{n:04d}",
        "year": 2026,
        "title": f"全年组织集中招商推介会不少于{n}次",
        "deadline": date(2026, 12, 31),
        "measure": "events",
        "target": 3,
        **kwargs,
    }
    return plan_task_save(task=PlanTask(**values))


@dataclass(frozen=True)
class Case:
    """How to exercise one model's admin."""

    make: Callable[..., Model]
    # A search term that finds the row and not another one made by `make`.
    search: Callable[[Any], str]
    # Changelist filter parameters that select the row.
    filter: Callable[[Any], dict[str, Any]]
    # The changelist's pinned query count, whatever the number of rows.
    max_queries: int
    # Keyword arguments of `make` that put a second row outside the filter.
    other: dict[str, Any] = field(default_factory=dict)


CASES = {
    Park: Case(
        make=make_park,
        search=lambda park: park.code,
        filter=lambda park: {"parent__id__exact": park.parent_id},
        max_queries=11,
    ),
    Industry: Case(
        make=make_industry,
        search=lambda industry: industry.name,
        filter=lambda industry: {"group__exact": industry.group},
        other={"group": IndustryGroup.EMERGING},
        max_queries=8,
    ),
    Enterprise: Case(
        make=EnterpriseFactory,
        search=lambda enterprise: enterprise.credit_code,
        filter=lambda enterprise: {"park__id__exact": enterprise.park_id},
        max_queries=10,
    ),
    ParkMembership: Case(
        make=ParkMembershipFactory,
        search=lambda membership: membership.user.username,
        filter=lambda membership: {"park__id__exact": membership.park_id},
        max_queries=9,
    ),
    Indicator: Case(
        make=make_indicator,
        search=lambda indicator: indicator.code,
        filter=lambda indicator: {"kind__exact": indicator.kind},
        other={"kind": IndicatorKind.STOCK},
        max_queries=8,
    ),
    MonthlyValue: Case(
        make=MonthlyValueFactory,
        search=lambda value: value.enterprise.credit_code,
        filter=lambda value: {"enterprise__park__id__exact": value.enterprise.park_id},
        max_queries=11,
    ),
    Target: Case(
        make=TargetFactory,
        search=lambda target: target.park.name,
        filter=lambda target: {"park__id__exact": target.park_id},
        max_queries=11,
    ),
    Project: Case(
        make=make_project,
        search=lambda project: project.code,
        filter=lambda project: {"park__id__exact": project.park_id},
        max_queries=11,
    ),
    ProjectProgress: Case(
        make=ProjectProgressFactory,
        search=lambda progress: progress.project.code,
        filter=lambda progress: {"project__park__id__exact": progress.project.park_id},
        max_queries=11,
    ),
    SpecialBond: Case(
        make=SpecialBondFactory,
        search=lambda bond: bond.project.code,
        filter=lambda bond: {"project__park__id__exact": bond.project.park_id},
        max_queries=10,
    ),
    Lead: Case(
        make=make_lead,
        search=lambda lead: lead.code,
        filter=lambda lead: {"stage__exact": lead.stage},
        other={"stage": LeadStage.SIGNED},
        max_queries=12,
    ),
    LeadStageChange: Case(
        make=make_stage_change,
        search=lambda change: change.lead.code,
        filter=lambda change: {"to_stage__exact": change.to_stage},
        other={"to_stage": LeadStage.NEGOTIATING},
        max_queries=10,
    ),
    OutreachEvent: Case(
        make=OutreachEventFactory,
        search=lambda event: event.name,
        filter=lambda event: {"kind__exact": event.kind},
        other={"kind": EventKind.FORUM},
        max_queries=10,
    ),
    ServiceCase: Case(
        make=make_service_case,
        search=lambda case: case.code,
        filter=lambda case: {"kind__exact": case.kind},
        other={"kind": "approval"},
        max_queries=11,
    ),
    PlanTask: Case(
        make=make_plan_task,
        search=lambda task: task.code,
        filter=lambda task: {"measure__exact": task.measure},
        other={"measure": "signed_count"},
        max_queries=12,
    ),
}

MODELS = [pytest.param(model, id=model.__name__) for model in CASES]


def admin_url(model: type[Model], view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def row_link(obj: Model) -> str:
    """Return the link of `obj`'s row in its changelist: present exactly when the row is."""
    return admin_url(type(obj), "change", obj.pk)


@pytest.fixture
def site_admin_client(client, admin_user):
    """A client logged in as a member of the 管理员 group: staff, not a superuser."""
    client.force_login(admin_user)
    return client


# --- every model ------------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_changelist_lists_the_rows(site_admin_client, model):
    rows = [CASES[model].make() for _ in range(3)]

    response = site_admin_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    for row in rows:
        assert row_link(row) in response.text


@pytest.mark.parametrize("model", MODELS)
def test_changelist_query_count_does_not_grow_with_rows(
    site_admin_client, django_assert_max_num_queries, model
):
    case = CASES[model]
    url = admin_url(model, "changelist")
    for _ in range(3):
        case.make()
    site_admin_client.get(url)  # fills the per-process caches (content types) before counting

    with django_assert_max_num_queries(case.max_queries) as three_rows:
        assert site_admin_client.get(url).status_code == 200
    last = [case.make() for _ in range(12)][-1]
    with django_assert_max_num_queries(case.max_queries) as fifteen_rows:
        response = site_admin_client.get(url)

    assert row_link(last) in response.text
    assert len(fifteen_rows) == len(three_rows)


@pytest.mark.parametrize("model", MODELS)
def test_changelist_search_finds_the_matching_row_only(site_admin_client, model):
    case = CASES[model]
    wanted, other = case.make(), case.make()

    response = site_admin_client.get(admin_url(model, "changelist"), {"q": case.search(wanted)})

    assert response.status_code == 200
    assert row_link(wanted) in response.text
    assert row_link(other) not in response.text


@pytest.mark.parametrize("model", MODELS)
def test_changelist_filter_selects_the_matching_row_only(site_admin_client, model):
    case = CASES[model]
    wanted, other = case.make(), case.make(**case.other)

    response = site_admin_client.get(admin_url(model, "changelist"), case.filter(wanted))

    # An unknown filter parameter would redirect to ?e=1 instead.
    assert response.status_code == 200
    assert row_link(wanted) in response.text
    assert row_link(other) not in response.text


@pytest.mark.parametrize("model", MODELS)
def test_add_and_change_forms_render(site_admin_client, model):
    row = CASES[model].make()

    assert site_admin_client.get(admin_url(model, "add")).status_code == 200
    assert site_admin_client.get(admin_url(model, "change", row.pk)).status_code == 200


# --- who may enter ----------------------------------------------------------------------


def test_admin_group_sees_every_model_on_the_index(site_admin_client):
    response = site_admin_client.get(reverse("admin:index"))

    assert response.status_code == 200
    for model in CASES:
        assert admin_url(model, "changelist") in response.text


@pytest.mark.parametrize("user", ["leader", "staff_a", None])
@pytest.mark.parametrize(
    "url", [reverse("admin:index"), admin_url(Enterprise, "changelist")], ids=["index", "list"]
)
def test_non_admins_are_sent_to_the_admin_login(client, request, user, url):
    if user:
        client.force_login(request.getfixturevalue(user))

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


# --- what one admin does ----------------------------------------------------------------


def test_park_list_counts_enterprises_and_statistical_ones(site_admin_client, park_a):
    EnterpriseFactory(park=park_a, in_statistics=True)
    EnterpriseFactory(park=park_a, in_statistics=False)
    park_a.focus_industries.add(
        IndustryFactory(name="新能源", sort_order=1), IndustryFactory(name="新材料", sort_order=2)
    )

    response = site_admin_client.get(admin_url(Park, "changelist"), {"q": park_a.code})

    [row] = response.context["cl"].result_list
    assert (row.enterprise_count, row.statistical_enterprise_count) == (2, 1)
    assert "新能源、新材料" in response.text


def test_park_form_offers_only_zones_as_parent(site_admin_client, zone, park_a):
    response = site_admin_client.get(admin_url(Park, "add"))

    parents = response.context["adminform"].form.fields["parent"].queryset
    assert list(parents) == [zone]


def test_indicator_code_is_read_only_once_created(site_admin_client):
    revenue = Indicator.objects.get(code="revenue")

    response = site_admin_client.get(admin_url(Indicator, "change", revenue.pk))

    assert "code" not in response.context["adminform"].form.fields
    assert "name" in response.context["adminform"].form.fields


def test_new_stage_change_is_by_the_current_admin(site_admin_client, admin_user):
    response = site_admin_client.get(admin_url(LeadStageChange, "add"))

    assert response.context["adminform"].form.initial["changed_by"] == admin_user.pk


def test_lead_page_shows_its_stage_history(site_admin_client):
    change = make_stage_change(note="赴深圳对接")

    response = site_admin_client.get(admin_url(Lead, "change", change.lead_id))

    assert "赴深圳对接" in response.text


@pytest.mark.parametrize(
    ("parent_model", "make_parent", "make_child"),
    [
        pytest.param(
            Project,
            ProjectFactory,
            lambda project, month: (
                ProjectProgressFactory(project=project, month=month),
                SpecialBondFactory(project=project, year=2000 + month),
            ),
            id="Project",
        ),
        pytest.param(
            Lead,
            LeadFactory,
            lambda lead, month: make_stage_change(lead=lead),
            id="Lead",
        ),
        pytest.param(
            Park,
            lambda: ParkFactory(parent=ZoneFactory()),
            lambda park, month: park.focus_industries.add(IndustryFactory()),
            id="Park-focus-industries",
        ),
    ],
)
def test_change_form_query_count_does_not_grow_with_related_rows(
    site_admin_client, parent_model, make_parent, make_child
):
    parent = make_parent()
    url = admin_url(parent_model, "change", parent.pk)
    make_child(parent, 1)
    site_admin_client.get(url)  # fills the per-process caches before counting
    with CaptureQueriesContext(connection) as few:
        site_admin_client.get(url)
    for month in range(2, 13):
        make_child(parent, month)
    with CaptureQueriesContext(connection) as many:
        site_admin_client.get(url)

    assert len(many) == len(few)


# --- how the admin reads ----------------------------------------------------------------

# Django's zh_Hans catalog builds these word by word around a model's or a field's name.
MACHINE_PHRASES = [" 来修改", "选择 ", "增加 ", "以 ", "Model name", "Add link", ">注销</button>"]


@pytest.mark.parametrize("model", MODELS)
def test_every_list_page_reads_as_chinese_sentences(site_admin_client, model):
    CASES[model].make()
    name = model._meta.verbose_name

    response = site_admin_client.get(admin_url(model, "changelist"))

    text = response.text
    assert f"<title>选择要修改的{name} |" in text or f"<title>选择要查看的{name} |" in text
    assert not [phrase for phrase in MACHINE_PHRASES if phrase in text]
    if response.context["cl"].has_filters:
        assert re.search(r"<summary>\s*按\w", text)


@pytest.mark.parametrize("model", MODELS)
def test_every_add_and_change_page_reads_as_chinese_sentences(site_admin_client, model):
    row = CASES[model].make()
    name = model._meta.verbose_name

    added = site_admin_client.get(admin_url(model, "add")).text
    changed = site_admin_client.get(admin_url(model, "change", row.pk)).text

    assert f"<h1>新增{name}</h1>" in added
    assert f"<h1>修改{name}</h1>" in changed
    assert not [phrase for phrase in MACHINE_PHRASES if phrase in added + changed]


def test_the_index_leads_to_the_workbook_import_and_its_template(site_admin_client):
    response = site_admin_client.get(reverse("admin:index"))

    assert f'<a href="{reverse("workbook:import")}">导入工作簿</a>' in response.text
    assert f'<a href="{reverse("workbook:template")}">下载导入模板</a>' in response.text


def test_fields_an_official_would_not_know_say_what_they_mean(site_admin_client):
    enterprise = EnterpriseFactory()

    text = site_admin_client.get(admin_url(Enterprise, "change", enterprise.pk)).text

    assert "园区和开发区的指标合计只加总入统企业" in text
    assert "四上企业必须是入统企业" in text


class _Inputs(HTMLParser):
    """Collect a page's form controls and the ids its <label for> elements name."""

    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.labelled: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.labelled.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in (
            "hidden",
            "submit",
            "button",
        ):
            self.controls.append(attrs)


def unlabelled(html: str) -> list[str]:
    """Return the names of the form controls that have no label a screen reader reads."""
    page = _Inputs()
    page.feed(html)
    return [
        control.get("name") or control.get("id") or "?"
        for control in page.controls
        if not control.get("aria-label")
        and not control.get("aria-labelledby")
        and control.get("id") not in page.labelled
    ]


def test_every_input_of_a_project_and_its_progress_rows_is_labelled(site_admin_client):
    project = ProjectFactory()
    for month in range(1, 11):
        ProjectProgressFactory(project=project, year=2026, month=month)
    SpecialBondFactory(project=project)

    text = site_admin_client.get(admin_url(Project, "change", project.pk)).text

    assert unlabelled(text) == []
    # Each row's input says its row and its column.
    assert 'aria-label="第10行：本年累计完成投资(万元)"' in text


@pytest.mark.parametrize("model", MODELS)
def test_every_input_of_every_change_page_is_labelled(site_admin_client, model):
    row = CASES[model].make()

    assert unlabelled(site_admin_client.get(admin_url(model, "change", row.pk)).text) == []
