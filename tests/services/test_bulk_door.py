"""The register sheets' shared bulk door (parkportal.services.register_import): a door's
own rule (`refusal`) asked as its row path asks it, and the model's check given what a
sheet looked up once (`clean`)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parkportal.models import Enterprise
from parkportal.services import register_import
from planning.models import PlanTask
from services.models import ServiceCase
from services.services import case_prepare
from tests.workbook.books import CODE_A, ENTERPRISES, INDUSTRIES, PARKS, PROJECTS, xlsx
from workbook.importer import workbook_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(db, settings):
    settings.SERVICE_TIME_LIMITS = {"approval": 10, "utilities": 3, "other": 7}
    book = {"园区": PARKS, "产业": INDUSTRIES, "企业": ENTERPRISES, "项目": PROJECTS}
    report = workbook_import(data=xlsx(book), filename="register.xlsx")
    assert report.accepted, [str(p) for p in report.problems]


def case(code: str, **fields) -> ServiceCase:
    values = {
        "kind": "request",
        "enterprise": Enterprise.objects.get(credit_code=CODE_A),
        "received_on": date(2026, 3, 2),
        "channel": "direct_line",
        "category": "utilities",
        "subject": "厂区用电增容",
        "unit": "县供电公司",
        **fields,
    }
    return case_prepare(ServiceCase(code=code, **values))


def door(records, errors=None, **hooks):
    return register_import(
        ServiceCase, records, errors, key=("code",), user=None, reason="", **hooks
    )


def test_the_refusal_is_asked_of_the_rows_full_clean_refused_with_what_it_said(register):
    stored = door([case("FW-1")])
    assert not stored.errors
    records = [
        ServiceCase.objects.get(code="FW-1"),  # unchanged: not asked
        case("FW-2"),  # new: asked, with nothing against it
        case("FW-3", channel="微信", received_on=None),  # full_clean refuses two fields
        case("FW-4"),  # the caller found an error already: not asked
    ]
    asked = []

    def refusal(record, found):
        asked.append((record.code, sorted(found)))
        if record.code == "FW-3":
            return {"channel": ["渠道由办理规则说明。"]}
        return None

    result = door(records, {3: {"unit": ["读不出。"]}}, refusal=refusal)
    assert asked == [("FW-2", []), ("FW-3", ["channel", "received_on"])]
    # The refusal speaks for its fields, first; full_clean for the rest.
    assert list(result.errors[2]) == ["channel", "received_on"]
    assert result.errors[2]["channel"] == ["渠道由办理规则说明。"]
    assert result.errors[3] == {"unit": ["读不出。"]}
    assert (result.created, result.updated, result.unchanged) == (1, 0, 1)
    assert list(ServiceCase.objects.values_list("code", flat=True)) == ["FW-1"]


def test_a_refused_new_or_changed_row_is_not_counted_and_nothing_is_written(register):
    door([case("FW-1"), case("FW-2")])
    changed = ServiceCase.objects.get(code="FW-1")
    changed.unit = "县发改局"
    also = ServiceCase.objects.get(code="FW-2")
    also.unit = "县发改局"
    records = [changed, also, case("FW-3"), case("FW-4")]

    def refusal(record, found):
        return {"unit": ["不受理。"]} if record.code in {"FW-1", "FW-3"} else {}

    result = door(records, refusal=refusal)
    assert result.errors == {0: {"unit": ["不受理。"]}, 2: {"unit": ["不受理。"]}}
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    assert set(ServiceCase.objects.values_list("unit", flat=True)) == {"县供电公司"}
    assert ServiceCase.history.count() == 2


def test_a_sheets_own_clean_stands_for_the_models_on_the_new_and_changed_rows(register):
    door([case("FW-1")])
    checked = []

    def clean(record):
        checked.append(record.code)
        if record.code == "FW-3":
            raise ValidationError({"subject": ["事项不清。"]})

    records = [ServiceCase.objects.get(code="FW-1"), case("FW-2"), case("FW-3")]
    result = door(records, clean=clean)
    assert checked == ["FW-2", "FW-3"]
    assert result.errors == {2: {"subject": ["事项不清。"]}}
    assert not ServiceCase.objects.filter(code="FW-2").exists()


PLAN = ["任务编号", "年份", "任务", "责任单位", "完成时限", "衡量方式", "对象", "目标值"]


def plan(count: int, subject: tuple[str, str, str]) -> list[list]:
    rows = [[f"2026-{n:03d}", 2026, f"任务{n}", "招商局", "2026-12-31"] for n in range(count)]
    return [PLAN] + [[*row, *subject] for row in rows]


def plan_queries(rows) -> int:
    with CaptureQueriesContext(connection) as queries:
        report = workbook_import(data=xlsx({"年度任务": rows}), filename="计划.xlsx")
    assert report.accepted, [str(p) for p in report.problems]
    return len(queries)


def test_an_unchanged_plan_sheet_looks_up_none_of_its_tasks_subjects(register):
    """The indicators and projects a sheet's tasks name are looked up when a task is
    checked: a sheet that changes nothing asks no more than one naming nothing."""
    looked_up = plan(20, ("指标累计", "营业收入", "646000"))
    plain = plan(20, ("签约项目数", "", "5"))
    plan_queries(looked_up)
    unchanged_looked_up = plan_queries(looked_up)
    PlanTask.objects.all().delete()
    plan_queries(plain)
    assert plan_queries(plain) == unchanged_looked_up
