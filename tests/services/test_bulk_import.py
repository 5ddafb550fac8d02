"""The 企业服务 sheet imported the bulk way (services.services.service_cases_import): every
row read onto its case, then all checked as the case's door checks one and written at
once, with their change history."""

from datetime import date, timedelta

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parkportal.choices import Role
from parkportal.data_version import data_version
from parkportal.models import Park
from parkportal.roles import user_role
from services.models import ServiceCase
from services.resources import ServiceCaseResource
from tests.conftest import make_user
from tests.workbook.books import CODE_A, ENTERPRISES, INDUSTRIES, PARKS, PROJECTS, replaced, xlsx
from workbook.importer import workbook_import

pytestmark = pytest.mark.django_db

HEADERS = [
    "服务编号",
    "服务类型",
    "企业",
    "项目编号",
    "受理日期",
    "渠道",
    "类别",
    "事项",
    "承办单位",
    "办理时限(天)",
    "办结日期",
    "办理方式",
    "办理结果",
    "满意度",
]


def cases(count: int, *, subject: str = "用电增容") -> list[list]:
    """Return a 企业服务 sheet of `count` cases, FW-0001 …: every third closed, every
    fourth an approval of 白合工业园's enterprise, every fifth a project's with no
    enterprise; days allowed left blank on even rows."""
    rows = [HEADERS]
    for n in range(1, count + 1):
        closed = n % 3 == 0
        enterprise = "" if n % 5 == 0 else "河北乙建材有限公司" if n % 4 == 0 else CODE_A
        rows.append(
            [
                f"FW-{n:04d}",
                "审批代办" if n % 4 == 0 else "诉求办理",
                enterprise,
                "XM-2" if n % 5 == 0 else "",
                "2026-03-02",
                "政企直通车",
                "审批手续" if n % 4 == 0 else "水电路气",
                f"{subject}{n}",
                "县供电公司",
                "" if n % 2 == 0 else 5,
                "2026-03-05" if closed else "",
                "线下" if closed else "",
                "已完成" if closed else "",
                "满意" if closed else "",
            ]
        )
    return rows


@pytest.fixture
def register(db, settings):
    settings.SERVICE_TIME_LIMITS = {"approval": 10, "utilities": 3, "other": 7}
    book = {"园区": PARKS, "产业": INDUSTRIES, "企业": ENTERPRISES, "项目": PROJECTS}
    report = workbook_import(data=xlsx(book), filename="register.xlsx")
    assert report.accepted, [str(p) for p in report.problems]


def run(rows, user=None, filename="服务.xlsx"):
    report = workbook_import(data=xlsx({"企业服务": rows}), filename=filename, user=user)
    return report, next(s for s in report.sheets if s.sheet == "企业服务")


def counts(sheet):
    return sheet.created, sheet.updated, sheet.unchanged


def stored():
    names = [f.attname for f in ServiceCase._meta.concrete_fields if f.name != "id"]
    return sorted(ServiceCase.objects.values_list(*names))


def test_the_sheet_creates_then_leaves_unchanged_then_updates_only_what_changed(register):
    report, sheet = run(cases(12))
    assert report.accepted, [str(p) for p in report.problems]
    assert counts(sheet) == (12, 0, 0)
    approval = ServiceCase.objects.get(code="FW-0004")
    # Days allowed left blank take the category's limit; the due date follows.
    assert (approval.kind, approval.enterprise.name, approval.days_allowed, approval.due_on) == (
        "approval",
        "河北乙建材有限公司",
        10,
        date(2026, 3, 12),
    )
    assert ServiceCase.objects.get(code="FW-0005").project.code == "XM-2"

    _, sheet = run(cases(12))
    assert counts(sheet) == (0, 0, 12)

    # A new category with the days left blank: its own limit, and a new due date.
    report, sheet = run(replaced(cases(13), 4, "类别", "水电路气"))
    assert report.accepted, [str(p) for p in report.problems]
    assert counts(sheet) == (1, 1, 11)
    changed = ServiceCase.objects.get(code="FW-0004")
    assert (changed.category, changed.days_allowed, changed.due_on) == (
        "utilities",
        3,
        date(2026, 3, 5),
    )
    assert ServiceCase.objects.count() == 13


def test_new_and_changed_cases_keep_the_user_and_the_file(register, admin_user):
    run(cases(2), user=admin_user, filename="三月.xlsx")
    run(replaced(cases(2), 1, "承办单位", "县发改局"), user=admin_user, filename="四月.xlsx")
    history = ServiceCase.history.order_by("history_id").values_list(
        "code", "unit", "history_type", "history_user", "history_change_reason"
    )
    assert list(history) == [
        ("FW-0001", "县供电公司", "+", admin_user.pk, "导入：三月.xlsx"),
        ("FW-0002", "县供电公司", "+", admin_user.pk, "导入：三月.xlsx"),
        ("FW-0001", "县发改局", "~", admin_user.pk, "导入：四月.xlsx"),
    ]
    assert ServiceCase.history.filter(code="FW-0001").latest().instance.pk == (
        ServiceCase.objects.get(code="FW-0001").pk
    )


def test_an_import_that_writes_bumps_the_data_version_and_an_unchanged_one_does_not(register):
    run(cases(2))
    before = data_version()
    run(cases(2))
    assert data_version() == before
    run(replaced(cases(2), 1, "承办单位", "县发改局"))
    assert data_version() != before


def test_the_sheet_stores_what_the_admins_row_path_stores(register, admin_user):
    """The admin's import goes row by row through `service_case_save`: the same cases."""
    rows = cases(15)
    run(rows, user=admin_user, filename="服务.xlsx")
    by_the_sheet = stored()
    ServiceCase.objects.all().delete()
    result = ServiceCaseResource().import_data(
        tablib.Dataset(*rows[1:], headers=rows[0]),
        user=admin_user,
        reference="服务.xlsx",
        use_transactions=False,
    )
    assert not result.has_errors() and not result.has_validation_errors()
    assert stored() == by_the_sheet


TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (3, "办理结果", "", "办结时必须填写办理结果"),
        (3, "办结日期", "2026-03-01", "早于受理日期"),
        (3, "办结日期", TOMORROW, "晚于今天"),
        (2, "满意度", "满意", "尚未办结的事项不能填写满意度"),
        (2, "企业", "不存在公司", "企业“不存在公司”不存在"),
        (5, "项目编号", "", "请填写企业；尚未注册为企业的项目请填写项目编号"),
        (1, "渠道", "微信", "可选"),
        (2, "受理日期", "", "不能为"),
    ],
)
def test_a_bad_row_is_refused_at_its_row_and_column_and_nothing_is_written(
    register, row, column, value, message
):
    run(cases(5, subject="原事项"))
    before, history = stored(), ServiceCase.history.count()
    report, _ = run(replaced(cases(6, subject="新事项"), row, column, value))
    assert not report.accepted
    refused = [(p.sheet, p.row, p.column) for p in report.problems]
    # A case of neither enterprise nor project is told at its 企业 column.
    expected = "企业" if column == "项目编号" else column
    assert refused[0] == ("企业服务", row + 1, expected), [str(p) for p in report.problems]
    assert {r for _, r, _ in refused} == {row + 1}
    assert message in str(report.problems[0])
    assert stored() == before
    assert ServiceCase.history.count() == history


def test_park_staff_may_import_their_parks_cases_only(register):
    staff = make_user("staff_cgc", Role.STAFF, Park.objects.get(code="CGC"))
    rows = [r for r in cases(4) if r[2] != "河北乙建材有限公司"]  # 长古城's enterprise
    report, sheet = run(rows, user=staff)
    assert report.accepted, [str(p) for p in report.problems]
    assert counts(sheet) == (3, 0, 0)
    # 白合工业园's enterprise: refused at its column, and nothing of the sheet written.
    report, _ = run(replaced(cases(4, subject="新"), 1, "承办单位", "县发改局"), user=staff)
    assert [(p.row, p.column, p.message) for p in report.problems] == [
        (5, "企业", "无权登记该企业的服务事项。")
    ]
    assert set(ServiceCase.objects.values_list("unit", flat=True)) == {"县供电公司"}
    # An unchanged case of another park is not the staff's to judge: left as it is.
    ServiceCase.objects.all().delete()
    assert run(cases(4))[0].accepted
    report, sheet = run(cases(4), user=staff)
    assert report.accepted and counts(sheet) == (0, 0, 4)


def queries_of(rows) -> int:
    with CaptureQueriesContext(connection) as queries:
        report, _ = run(rows)
    assert report.accepted, [str(p) for p in report.problems]
    return len(queries)


def test_importing_many_cases_takes_as_many_queries_as_a_few(register, admin_user):
    few = queries_of(cases(20))
    ServiceCase.objects.all().delete()
    assert queries_of(cases(200)) == few  # every case created
    unchanged = queries_of(cases(200))
    assert queries_of(cases(20)) == unchanged
    many = queries_of(cases(200, subject="新事项"))
    ServiceCase.objects.all().delete()
    run(cases(20))
    assert queries_of(cases(20, subject="新事项")) == many  # every case changed
    assert max(few, unchanged, many) <= 40, (few, unchanged, many)


def test_a_staff_import_asks_for_the_parks_they_may_record_once(register):
    staff = make_user("staff_cgc", Role.STAFF, Park.objects.get(code="CGC"))
    user_role(staff)  # read once and kept on the user: read before counting
    ones = [HEADERS] + [r for r in cases(200) if r[2] == CODE_A]

    def by_staff(rows):
        with CaptureQueriesContext(connection) as queries:
            report, _ = run(rows, user=staff)
        assert report.accepted, [str(p) for p in report.problems]
        return len(queries)

    few = by_staff(ones[:21])
    ServiceCase.objects.all().delete()
    assert by_staff(ones) == few
