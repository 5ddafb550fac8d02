"""The 企业服务 sheet imported the bulk way (services.services.service_cases_import): every
row read onto its case, then all checked as the case's door checks one and written at
once, with their change history."""

from datetime import date, timedelta

import pytest
import tablib
from django.utils import timezone

from parkportal.choices import Role
from parkportal.models import Park
from parkportal.roles import user_role
from services.models import ServiceCase
from services.resources import ServiceCaseResource
from tests.conftest import make_user
from tests.services.test_resources import HEADERS
from tests.workbook.books import CODE_A, ENTERPRISES, INDUSTRIES, PARKS, PROJECTS, replaced
from tests.workbook_sheets import Sheet, book_imported, stored

pytestmark = pytest.mark.django_db

CASES = Sheet("企业服务", ServiceCase, filename="服务.xlsx")


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
    book_imported({"园区": PARKS, "产业": INDUSTRIES, "企业": ENTERPRISES, "项目": PROJECTS})


def test_the_sheet_creates_then_leaves_unchanged_then_updates_only_what_changed(register):
    CASES.imported(cases(12), (12, 0, 0))
    approval = ServiceCase.objects.get(code="FW-0004")
    # Days allowed left blank take the category's limit; the due date follows.
    assert (approval.kind, approval.enterprise.name, approval.days_allowed, approval.due_on) == (
        "approval",
        "河北乙建材有限公司",
        10,
        date(2026, 3, 12),
    )
    assert ServiceCase.objects.get(code="FW-0005").project.code == "XM-2"

    CASES.imported(cases(12), (0, 0, 12))

    # A new category with the days left blank: its own limit, and a new due date.
    CASES.imported(replaced(cases(13), 4, "类别", "水电路气"), (1, 1, 11))
    changed = ServiceCase.objects.get(code="FW-0004")
    assert (changed.category, changed.days_allowed, changed.due_on) == (
        "utilities",
        3,
        date(2026, 3, 5),
    )
    assert ServiceCase.objects.count() == 13


def test_new_and_changed_cases_keep_the_user_and_the_file(register, admin_user):
    history = [
        ("FW-0001", "县供电公司", "+", "一月.xlsx"),
        ("FW-0002", "县供电公司", "+", "一月.xlsx"),
        ("FW-0001", "县发改局", "~", "二月.xlsx"),
    ]
    changed = replaced(cases(2), 1, "承办单位", "县发改局")
    CASES.assert_history_keeps_user_and_file(
        cases(2), changed, admin_user, history, ("code", "unit")
    )


def test_an_import_that_writes_bumps_the_data_version_and_an_unchanged_one_does_not(register):
    CASES.assert_version_moves_only_on_a_write(
        cases(2), replaced(cases(2), 1, "承办单位", "县发改局")
    )


def test_the_sheet_stores_what_the_admins_row_path_stores(register, admin_user):
    """The admin's import goes row by row through `service_case_save`: the same cases."""
    rows = cases(15)
    CASES.imported(rows, (15, 0, 0), user=admin_user)
    by_the_sheet = stored(ServiceCase)
    ServiceCase.objects.all().delete()
    result = ServiceCaseResource().import_data(
        tablib.Dataset(*rows[1:], headers=rows[0]),
        user=admin_user,
        reference="服务.xlsx",
        use_transactions=False,
    )
    assert not result.has_errors() and not result.has_validation_errors()
    assert stored(ServiceCase) == by_the_sheet


TOMORROW = "tomorrow"  # named by the test when it runs: a run may cross midnight


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
    # A case of neither enterprise nor project is told at its 企业 column.
    at = "企业" if column == "项目编号" else column
    if value == TOMORROW:
        value = (timezone.localdate() + timedelta(days=1)).isoformat()
    first, then = cases(5, subject="原事项"), cases(6, subject="新事项")
    CASES.assert_refused(first, then, row, column, value, message, at=at, alone=False)


def test_park_staff_may_import_their_parks_cases_only(register):
    staff = make_user("staff_cgc", Role.STAFF, Park.objects.get(code="CGC"))
    rows = [r for r in cases(4) if r[2] != "河北乙建材有限公司"]  # 长古城's enterprise
    CASES.imported(rows, (3, 0, 0), user=staff)
    # 白合工业园's enterprise: refused at its column, and nothing of the sheet written.
    report, _ = CASES.run(replaced(cases(4, subject="新"), 1, "承办单位", "县发改局"), user=staff)
    assert [(p.row, p.column, p.message) for p in report.problems] == [
        (5, "企业", "无权登记该企业的服务事项。")
    ]
    assert set(ServiceCase.objects.values_list("unit", flat=True)) == {"县供电公司"}
    # An unchanged case of another park is not the staff's to judge: left as it is.
    ServiceCase.objects.all().delete()
    CASES.imported(cases(4), (4, 0, 0))
    CASES.imported(cases(4), (0, 0, 4), user=staff)


def test_importing_many_cases_takes_as_many_queries_as_a_few(register, admin_user):
    CASES.assert_queries_do_not_grow(cases, lambda n: cases(n, subject="新事项"))


def test_a_staff_import_asks_for_the_parks_they_may_record_once(register):
    staff = make_user("staff_cgc", Role.STAFF, Park.objects.get(code="CGC"))
    user_role(staff)  # read once and kept on the user: read before counting
    ones = [HEADERS] + [r for r in cases(200) if r[2] == CODE_A]

    few = CASES.queries(ones[:21], user=staff, expected=(20, 0, 0))
    ServiceCase.objects.all().delete()
    assert CASES.queries(ones, user=staff, expected=(len(ones) - 1, 0, 0)) == few
