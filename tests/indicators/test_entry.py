"""The monthly entry page: saving, checks, explanations, the workflow, locks and conflicts."""

import json
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from indicators import codes
from indicators.models import FigureChange, FigureNote, MonthlyValue, PeriodEvent, PeriodSubmission
from indicators.views import reporting_month
from tests.factories import EnterpriseFactory, MonthlyValueFactory, indicator
from tests.workbook.books import xlsx
from workbook.importer import workbook_import

pytestmark = pytest.mark.django_db

YEAR, MONTH = 2026, 3


@pytest.fixture
def jia(park_a):
    """An enterprise with figures for January, February and last year."""
    enterprise = EnterpriseFactory(park=park_a, name="甲食品有限公司")
    revenue = indicator(codes.REVENUE)
    for year, month, value in [
        (2026, 1, "100"),
        (2026, 2, "200"),
        (2025, 3, "280"),
        (2025, 12, "1200"),
    ]:
        MonthlyValueFactory(
            enterprise=enterprise, indicator=revenue, year=year, month=month, value=D(value)
        )
    return enterprise


@pytest.fixture
def yi(park_a):
    """An enterprise that reported February only."""
    enterprise = EnterpriseFactory(park=park_a, name="乙建材有限公司")
    MonthlyValueFactory(
        enterprise=enterprise, indicator=indicator(codes.REVENUE), year=2026, month=2, value=D("50")
    )
    return enterprise


def url(park, year=YEAR, month=MONTH):
    return reverse("indicators:entry", args=[park.code, year, month])


def cell(enterprise, code):
    return f"v-{enterprise.pk}-{indicator(code).pk}"


def note(enterprise, code):
    return f"n-{enterprise.pk}-{indicator(code).pk}"


def version(park):
    submission = PeriodSubmission.objects.filter(park=park, year=YEAR, month=MONTH).first()
    return submission.version if submission else 0


def shown(client, park):
    """Return what the entry page's form carries besides the typing: the value each cell
    and explanation shows (o-…, on-…), as a browser would send them back."""
    page = client.get(url(park)).content.decode()
    return dict(re.findall(r'name="(on?-\d+-\d+)" value="([^"]*)"', page))


def post(client, park, fields, *, action="save", seen=None):
    """Post `fields` as the page would: with the values it showed, read when it was opened
    (`seen`, from `shown`), or now."""
    return client.post(url(park), {"action": action} | (seen or shown(client, park)) | fields)


def stored(enterprise, code, month=MONTH):
    return (
        MonthlyValue.objects.filter(
            enterprise=enterprise, indicator__code=code, year=YEAR, month=month
        )
        .values_list("value", flat=True)
        .first()
    )


def status(park):
    submission = PeriodSubmission.objects.filter(park=park, year=YEAR, month=MONTH).first()
    return submission.status if submission else "draft"


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


# ---------------------------------------------------------------- saving


def test_staff_save_their_figures_and_each_change_is_logged(client, staff_a, jia, yi):
    client.force_login(staff_a)
    response = post(
        client, jia.park, {cell(jia, codes.REVENUE): "300", cell(jia, codes.TAX): " １２ "}
    )
    assert response.status_code == 302
    assert (stored(jia, codes.REVENUE), stored(jia, codes.TAX)) == (D("300"), D("12"))
    changes = FigureChange.objects.filter(enterprise=jia, month=MONTH).order_by(
        "indicator__sort_order"
    )
    assert [
        (c.indicator.code, c.old_value, c.new_value, c.source, c.changed_by) for c in changes
    ] == [
        (codes.REVENUE, None, D("300"), "entry", staff_a),
        (codes.TAX, None, D("12"), "entry", staff_a),
    ]
    assert version(jia.park) == 1
    page = client.get(url(jia.park)).content.decode()
    assert "已保存，修改了2个数据。" in page
    # last month's cumulative, the month's own value, last year's and the growth go with the
    # cell, for the bar that shows the focused cell's context
    context = json.loads(
        re.search(r'<script id="entry-context-data" type="application/json">(.*?)</script>', page)[
            1
        ]
    )[cell(jia, codes.REVENUE)]
    assert context[:4] == ["200", "100", "280", "7.14%"]
    assert context[4].startswith("staff_a ") and context[4].endswith("（月度填报）")
    assert "staff_a" in page  # who last changed the cell


def test_a_blank_cell_clears_a_figure_and_an_unchanged_save_logs_nothing(client, staff_a, jia):
    client.force_login(staff_a)
    post(client, jia.park, {cell(jia, codes.REVENUE): "300"})
    post(client, jia.park, {cell(jia, codes.REVENUE): "300.00"})
    assert FigureChange.objects.filter(month=MONTH).count() == 1
    post(client, jia.park, {cell(jia, codes.REVENUE): ""})
    assert stored(jia, codes.REVENUE) is None
    cleared = FigureChange.objects.filter(month=MONTH).latest("pk")
    assert (cleared.old_value, cleared.new_value) == (D("300"), None)


@pytest.mark.parametrize(
    ("code", "typed", "message"),
    [
        (codes.REVENUE, "190", "本年累计数190小于2月的累计数200，不能减少"),
        (codes.REVENUE, "一百", "不是数字"),
        (codes.REVENUE, "12%", "不能带百分号"),
        (codes.REVENUE, "1e40", "数值过大"),
        (codes.TAX, "-3", "不能为负数"),
    ],
)
def test_an_error_stores_nothing_and_shows_the_entries_again(
    client, staff_a, jia, code, typed, message
):
    client.force_login(staff_a)
    response = post(
        client, jia.park, {cell(jia, code): typed, cell(jia, codes.INDUSTRIAL_OUTPUT): "450"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'value="{typed}"' in page  # nothing typed is lost
    assert "本次未保存任何数据" in page
    assert stored(jia, codes.INDUSTRIAL_OUTPUT) is None  # not even the good figure
    assert not FigureChange.objects.filter(month=MONTH).exists()
    assert version(jia.park) == 0


def test_another_parks_enterprise_cannot_be_written_through_the_grid(client, staff_a, jia, park_b):
    other = EnterpriseFactory(park=park_b)
    client.force_login(staff_a)
    post(client, jia.park, {cell(other, codes.REVENUE): "999", cell(jia, codes.REVENUE): "300"})
    assert stored(jia, codes.REVENUE) == D("300")
    assert stored(other, codes.REVENUE) is None


# ---------------------------------------------------------------- warnings and submitting


def test_warnings_need_an_explanation_before_the_month_is_submitted(client, staff_a, jia, yi):
    client.force_login(staff_a)
    # growth 82.14% and an own value of 310 against an average month of 100: warnings
    response = post(client, jia.park, {cell(jia, codes.REVENUE): "510"}, action="submit")
    assert response.status_code == 302
    assert stored(jia, codes.REVENUE) == D("510")  # saved as a draft
    assert status(jia.park) == "draft"
    # the refusal opens what submitting checks: the cells to explain, listed
    assert response.url == url(jia.park) + "?check=submit&only=flagged"
    page = client.get(response.url).content.decode()
    assert "未能上报：有2处数据提示尚未填写说明" in page
    assert "上报前需处理" in page
    assert "比上年同期增长82.14%，超过±50%" in page
    assert "本月值310超过该企业月均值100.00的3倍" in page
    assert "乙建材有限公司 · 营业收入</a>：上月有数据，本月未填写" in page  # February, not March
    # while entering, the blank cell is no warning; it is counted for the submission
    page = client.get(url(jia.park)).content.decode()
    assert "上月有数据，本月未填写" not in page
    assert "上月有数、本月未填 1 格（上报时检查）" in page

    response = post(
        client,
        jia.park,
        {
            cell(jia, codes.REVENUE): "510",
            note(jia, codes.REVENUE): "新生产线投产，订单翻倍",
            note(yi, codes.REVENUE): "企业停产检修，本月无营业收入",
        },
        action="submit",
    )
    assert status(jia.park) == "submitted"
    assert set(FigureNote.objects.values_list("enterprise__name", "text")) == {
        ("甲食品有限公司", "新生产线投产，订单翻倍"),
        ("乙建材有限公司", "企业停产检修，本月无营业收入"),
    }
    event = PeriodEvent.objects.get()
    assert (event.action, event.user) == ("submit", staff_a)


def test_the_workflow_draft_submitted_approved_and_unlocked(client, staff_a, admin_user, jia):
    client.force_login(staff_a)
    post(client, jia.park, {cell(jia, codes.REVENUE): "300"}, action="submit")
    assert status(jia.park) == "submitted"

    # submitted: the staff cannot change figures until they withdraw
    post(client, jia.park, {cell(jia, codes.REVENUE): "310"})
    assert stored(jia, codes.REVENUE) == D("300")
    assert "已上报，等待审核；如需修改，请先撤回。" in client.get(url(jia.park)).content.decode()
    client.post(url(jia.park), {"action": "withdraw"})
    assert status(jia.park) == "draft"
    post(client, jia.park, {cell(jia, codes.REVENUE): "310"}, action="submit")
    assert (stored(jia, codes.REVENUE), status(jia.park)) == (D("310"), "submitted")

    # the staff may not approve their own month
    assert client.post(url(jia.park), {"action": "approve"}).status_code == 403
    assert status(jia.park) == "submitted"

    client.force_login(admin_user)
    client.post(url(jia.park), {"action": "approve"})
    assert status(jia.park) == "approved"

    # approved: locked for everyone, the admin included
    for user in (staff_a, admin_user):
        client.force_login(user)
        post(client, jia.park, {cell(jia, codes.REVENUE): "320"})
        assert stored(jia, codes.REVENUE) == D("310")
    page = client.get(url(jia.park)).content.decode()
    assert "已审核锁定，不能修改" in page and "保存草稿" not in page

    # unlocking needs a reason
    client.post(url(jia.park), {"action": "unlock", "reason": "  "})
    assert status(jia.park) == "approved"
    client.post(url(jia.park), {"action": "unlock", "reason": "统计局反馈甲企业数据有误"})
    assert status(jia.park) == "draft"
    assert list(
        PeriodEvent.objects.order_by("pk").values_list("action", "user__username", "reason")
    ) == [
        ("submit", "staff_a", ""),
        ("withdraw", "staff_a", ""),
        ("submit", "staff_a", ""),
        ("approve", "admin", ""),
        ("unlock", "admin", "统计局反馈甲企业数据有误"),
    ]


def test_a_month_cannot_take_a_step_it_is_not_ready_for(client, admin_user, jia):
    client.force_login(admin_user)
    response = client.post(url(jia.park), {"action": "approve"}, follow=True)
    assert "本月当前状态为“填报中”，不能审核通过。" in response.content.decode()
    assert status(jia.park) == "draft"


# ---------------------------------------------------------------- locks outside the page


@pytest.fixture
def approved(client, staff_a, admin_user, jia):
    client.force_login(staff_a)
    post(client, jia.park, {cell(jia, codes.REVENUE): "300"}, action="submit")
    client.force_login(admin_user)
    client.post(url(jia.park), {"action": "approve"})
    assert status(jia.park) == "approved"
    return jia


def monthly_sheet(enterprise, revenue):
    return {
        "月度指标": [
            ["统一社会信用代码", "年份", "月份", "营业收入(万元)"],
            [enterprise.credit_code, YEAR, MONTH, revenue],
        ]
    }


def test_a_locked_month_refuses_an_import_that_changes_it(approved):
    report = workbook_import(data=xlsx(monthly_sheet(approved, "333")), filename="更正.xlsx")
    assert [str(problem) for problem in report.problems] == [
        "工作表“月度指标”第2行“月份”列：该园区2026年3月的数据已审核锁定，不能修改；"
        "请管理员先在月度填报中解锁"
    ]
    assert stored(approved, codes.REVENUE) == D("300")
    # the same figures again change nothing, and are accepted
    assert workbook_import(data=xlsx(monthly_sheet(approved, "300")), filename="同.xlsx").accepted


def test_a_locked_month_refuses_a_change_in_the_admin(client, admin_user, approved):
    value = MonthlyValue.objects.get(enterprise=approved, year=YEAR, month=MONTH)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:indicators_monthlyvalue_change", args=[value.pk]),
        {
            "enterprise": approved.pk,
            "indicator": value.indicator_id,
            "year": YEAR,
            "month": MONTH,
            "value": "333",
        },
    )
    assert response.status_code == 200
    assert "长古城工业园2026年3月的数据已审核锁定" in response.content.decode()
    assert stored(approved, codes.REVENUE) == D("300")
    delete = reverse("admin:indicators_monthlyvalue_delete", args=[value.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert stored(approved, codes.REVENUE) == D("300")
    # nor through the list's "delete selected"
    response = client.post(
        reverse("admin:indicators_monthlyvalue_changelist"),
        {"action": "delete_selected", "_selected_action": [value.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert stored(approved, codes.REVENUE) == D("300")


# ---------------------------------------------------------------- no lost update


def test_a_save_over_figures_changed_meanwhile_is_not_stored_and_shows_them(
    client, staff_a, admin_user, jia
):
    client.force_login(staff_a)
    seen = shown(client, jia.park)  # staff open the page
    client.force_login(admin_user)
    post(client, jia.park, {cell(jia, codes.REVENUE): "305"})  # an admin saves first

    client.force_login(staff_a)
    response = post(client, jia.park, {cell(jia, codes.REVENUE): "300"}, seen=seen)
    assert response.status_code == 200
    page = response.content.decode()
    assert "在您填写期间，admin修改了1个格子" in page and "本次未保存" in page
    assert "现值：305" in page and 'value="300"' in page  # theirs and yours
    assert stored(jia, codes.REVENUE) == D("305")

    # saving again from that page (it now shows 305 as the cell's base) overwrites on purpose
    again = dict(re.findall(r'name="(on?-\d+-\d+)" value="([^"]*)"', page))
    post(client, jia.park, {cell(jia, codes.REVENUE): "300"}, seen=again)
    assert stored(jia, codes.REVENUE) == D("300")


def test_a_save_keeps_the_cells_someone_else_changed_meanwhile(client, staff_a, admin_user, jia):
    client.force_login(staff_a)
    seen = shown(client, jia.park)  # staff open the page
    client.force_login(admin_user)
    post(client, jia.park, {cell(jia, codes.TAX): "12"})  # an admin fills another cell
    client.force_login(staff_a)
    # the staff's page still shows the tax cell blank; they change revenue only
    response = post(
        client, jia.park, {cell(jia, codes.REVENUE): "300", cell(jia, codes.TAX): ""}, seen=seen
    )
    assert response.status_code == 302
    assert (stored(jia, codes.REVENUE), stored(jia, codes.TAX)) == (D("300"), D("12"))


def test_an_import_meanwhile_is_not_reverted_by_an_open_page(client, staff_a, jia):
    client.force_login(staff_a)
    post(client, jia.park, {cell(jia, codes.TAX): "12"})  # the month is being entered
    seen = shown(client, jia.park)
    assert workbook_import(data=xlsx(monthly_sheet(jia, "299")), filename="中途.xlsx").accepted
    response = post(client, jia.park, {cell(jia, codes.REVENUE): "300"}, seen=seen)
    assert response.status_code == 200
    assert stored(jia, codes.REVENUE) == D("299")


# ---------------------------------------------------------------- reading


def test_leaders_read_the_page_without_changing_it(client, leader, jia):
    client.force_login(leader)
    page = client.get(url(jia.park)).content.decode()
    assert "您可以查看本月数据，但不能修改。" in page
    assert "保存草稿" not in page and "readonly" in page
    assert post(client, jia.park, {cell(jia, codes.REVENUE): "300"}).status_code == 403
    assert stored(jia, codes.REVENUE) is None


def test_the_start_page_opens_the_reporting_month_of_the_staffs_park(
    client, staff_a, leader, park_b
):
    client.force_login(staff_a)
    year, month = reporting_month()
    response = client.get(reverse("indicators:entry_start"))
    assert response["Location"] == reverse(
        "indicators:entry", args=[staff_a.park_memberships.get().park.code, year, month]
    )
    client.force_login(leader)
    page = client.get(reverse("indicators:entry_start")).content.decode()
    assert "长古城工业园" in page and "白合工业园" in page


def test_the_page_is_paged_and_searched(client, staff_a, park_a):
    for number in range(55):
        EnterpriseFactory(park=park_a, name=f"企业{number:02d}有限公司")
    client.force_login(staff_a)
    page = client.get(url(park_a)).content.decode()
    assert "第 1 / 2 页，共 55 家企业" in page
    page = client.get(url(park_a), {"q": "企业07"}).content.decode()
    assert "企业07有限公司" in page and "企业08有限公司" not in page


@pytest.mark.parametrize("enterprises", [2, 12])
def test_the_page_takes_a_fixed_number_of_queries(
    client, staff_a, park_a, enterprises, django_assert_max_num_queries
):
    for number in range(enterprises):
        enterprise = EnterpriseFactory(park=park_a)
        MonthlyValueFactory(enterprise=enterprise, year=YEAR, month=MONTH - 1)
        FigureChange.objects.create(
            enterprise=enterprise, indicator=indicator(codes.REVENUE), year=YEAR, month=MONTH,
            new_value=D(number), changed_by=staff_a, source="entry",
        )  # fmt: skip
    client.force_login(staff_a)
    # 17 with the projects' count on the 项目进度 tab (one query)
    with django_assert_max_num_queries(17):
        assert client.get(url(park_a)).status_code == 200


def test_completeness_shows_who_has_submitted_and_who_is_missing(
    client, leader, staff_a, jia, yi, park_b
):
    client.force_login(staff_a)
    fields = {cell(jia, codes.REVENUE): "300", note(yi, codes.REVENUE): "乙企业本月停产"}
    post(client, jia.park, fields, action="submit")
    assert (
        client.get(reverse("indicators:completeness_month", args=[YEAR, MONTH])).status_code == 403
    )
    client.force_login(leader)
    response = client.get(reverse("indicators:completeness_month", args=[YEAR, MONTH]))
    rows = {row.park.code: row for row in response.context["parks"]}
    assert (rows["A"].status_display, rows["A"].reported, rows["A"].enterprises) == ("已上报", 1, 2)
    assert [e.name for e in rows["A"].missing] == ["乙建材有限公司"]
    assert (rows["B"].status_display, rows["B"].reported, rows["B"].enterprises) == ("填报中", 0, 0)
    assert "乙建材有限公司" in response.content.decode()


def test_an_enterprises_history_lists_every_change(client, staff_a, staff_b, jia):
    client.force_login(staff_a)
    post(client, jia.park, {cell(jia, codes.REVENUE): "300"})
    post(client, jia.park, {cell(jia, codes.REVENUE): "310"})
    history = reverse("indicators:enterprise_history", args=[jia.pk])
    page = client.get(history).content.decode()
    assert "<td>300</td>\n      <td>310</td>" in page
    assert "月度填报" in page
    client.force_login(staff_b)
    assert client.get(history).status_code == 403


def test_a_returned_month_is_pointed_out_on_the_other_months(client, staff_a, admin_user, jia):
    client.force_login(staff_a)
    post(client, jia.park, {cell(jia, codes.REVENUE): "300"}, action="submit")
    client.force_login(admin_user)
    client.post(url(jia.park), {"action": "return", "reason": "税收收入漏填"})
    assert status(jia.park) == "draft"
    client.force_login(staff_a)
    page = client.get(url(jia.park, month=4)).content.decode()
    assert "以下月份已被退回或解锁，待修改后重新上报：" in page
    assert f'href="{url(jia.park)}">2026年3月</a>' in page
    assert "以下月份已被退回或解锁" not in client.get(url(jia.park)).content.decode()
    assert PeriodEvent.objects.filter(action="return").get().reason == "税收收入漏填"


def original(enterprise, code):
    return f"o-{enterprise.pk}-{indicator(code).pk}"


@pytest.mark.parametrize(
    "sent",
    [{}, {"version": "3"}, {"o-x": "1"}, "abc", "1e999999"],
    ids=["nothing", "only-a-version", "other-fields", "not-a-number", "absurd"],
)
def test_a_save_without_the_values_the_page_showed_is_refused_as_malformed(
    client, staff_a, jia, sent
):
    client.force_login(staff_a)
    if isinstance(sent, str):  # a shown value the page could not have written
        sent = {original(jia, codes.REVENUE): sent}
    response = client.post(
        url(jia.park), {"action": "save", cell(jia, codes.REVENUE): "300"} | sent
    )
    assert response.status_code == 400
    assert "本次未保存任何数据" in response.content.decode()
    assert stored(jia, codes.REVENUE) is None


def test_control_characters_in_a_cell_or_an_explanation_are_shown_at_their_cell_and_not_stored(
    client, staff_a, jia, yi
):
    client.force_login(staff_a)
    response = post(
        client,
        jia.park,
        {
            cell(jia, codes.REVENUE): "3\x0000",
            cell(jia, codes.TAX): "12",
            note(yi, codes.REVENUE): "乙企业\x00停产",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    # at each cell, and in the list of what to fix above the grid
    assert len(re.findall(r"entry-message--error\">[^<]*含有不可见的控制字符", page)) == 2
    assert len(re.findall(r"<li><a [^>]*>[^<]*</a>：[^<]*含有不可见的控制字符", page)) == 2
    assert 'value="300"' in page and 'value="乙企业停产"' in page  # the typing, kept
    assert "\x00" not in page
    assert (stored(jia, codes.REVENUE), stored(jia, codes.TAX)) == (None, None)
    assert not FigureNote.objects.exists()


def test_a_drafts_changes_show_in_the_history_to_its_park_staff_only_until_submitted(
    client, staff_a, leader, jia
):
    client.force_login(staff_a)
    post(client, jia.park, {cell(jia, codes.REVENUE): "300"})
    history = reverse("indicators:enterprise_history", args=[jia.pk])
    assert "<td>300</td>" in client.get(history).content.decode()
    client.force_login(leader)
    assert "<td>300</td>" not in client.get(history).content.decode()
    client.force_login(staff_a)
    post(client, jia.park, {}, action="submit")
    client.force_login(leader)
    assert "<td>300</td>" in client.get(history).content.decode()
