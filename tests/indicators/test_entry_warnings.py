"""Warnings that mean something: none on an untouched month, missing figures asked for on
submitting, an explanation kept with the figure it explains; the action bar each role
reads; the page's queries, whatever the park's size."""

import re
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import codes
from indicators.choices import PeriodAction
from indicators.models import FigureNote, PeriodSubmission
from indicators.workflow import period_transition
from tests.factories import EnterpriseFactory, MonthlyValueFactory, indicator

pytestmark = pytest.mark.django_db

YEAR, MONTH = 2026, 5


def url(park, **query):
    address = reverse("indicators:entry", args=[park.code, YEAR, MONTH])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def name(kind, enterprise, code):
    return f"{kind}-{enterprise.pk}-{indicator(code).pk}"


def shown(client, park):
    """Return the values the page shows (o-…, on-…), as a browser sends them back."""
    page = client.get(url(park)).content.decode()
    return dict(re.findall(r'name="(on?-\d+-\d+)" value="([^"]*)"', page))


def save(client, park, fields, action="save"):
    return client.post(url(park), {"action": action} | shown(client, park) | fields)


def summary(page: str) -> str:
    return re.search(r'id="entry-summary">(.*?)</p>', page, re.S).group(1)


def reporting(park, enterprises: int):
    """Enterprises that reported every indicator last month, and a year ago, and nothing yet
    this month: a new month as staff open it."""
    made = []
    for number in range(enterprises):
        enterprise = EnterpriseFactory(park=park, name=f"企业{number:02d}有限公司")
        for code in (codes.REVENUE, codes.TAX):
            for year, month, value in [
                (YEAR, MONTH - 1, "400"),
                (YEAR - 1, MONTH, "420"),
                (YEAR - 1, 12, "1200"),
            ]:
                MonthlyValueFactory(
                    enterprise=enterprise,
                    indicator=indicator(code),
                    year=year,
                    month=month,
                    value=D(value),
                )
        made.append(enterprise)
    return made


def test_an_untouched_new_month_shows_no_warning(client, staff_a, park_a):
    reporting(park_a, 3)
    client.force_login(staff_a)
    page = client.get(url(park_a)).content.decode()
    assert "提示 0 处，待填说明 0 处" in summary(page)
    assert "entry-cell--warning" not in page
    assert "上月有数据，本月未填写" not in page
    # the blank cells are counted for the submission, which asks for them
    assert "上月有数、本月未填 6 格（上报时检查）" in summary(page)
    checked = client.get(url(park_a, check="submit")).content.decode()
    assert "提示 6 处，待填说明 6 处" in summary(checked)


def test_a_figure_missing_on_submitting_is_listed_and_explained_or_filled(client, staff_a, park_a):
    jia, yi = reporting(park_a, 2)
    client.force_login(staff_a)
    # 甲 fills both figures; 乙 fills its revenue only: its tax is missing
    figures = {
        name("v", jia, codes.REVENUE): "450",
        name("v", jia, codes.TAX): "450",
        name("v", yi, codes.REVENUE): "450",
    }
    response = save(client, park_a, figures, action="submit")
    assert response.url == url(park_a, check="submit", only="flagged")
    page = client.get(response.url).content.decode()
    assert "未能上报：有1处数据提示尚未填写说明" in page
    assert "企业01有限公司 · 税收收入</a>：上月有数据，本月未填写" in page
    assert PeriodSubmission.objects.get(park=park_a).status == "draft"

    client.post(
        url(park_a, check="submit", only="flagged"),
        {"action": "submit"}
        | shown(client, park_a)
        | {name("n", yi, codes.TAX): "本月税款缓缴，次月补报"},
    )
    assert PeriodSubmission.objects.get(park=park_a).status == "submitted"
    assert FigureNote.objects.get().text == "本月税款缓缴，次月补报"
    # the submitted month shows the explained cell with its 说明
    page = client.get(url(park_a)).content.decode()
    assert "提示 1 处，待填说明 0 处" in summary(page)
    assert 'value="本月税款缓缴，次月补报"' in page


def test_a_draft_save_keeps_the_explanation_of_a_blank_cell(client, staff_a, park_a):
    (jia,) = reporting(park_a, 1)
    client.force_login(staff_a)
    client.post(
        url(park_a, check="submit"),
        {"action": "save"}
        | dict(
            re.findall(
                r'name="(on?-\d+-\d+)" value="([^"]*)"',
                client.get(url(park_a, check="submit")).content.decode(),
            )
        )
        | {name("n", jia, codes.TAX): "停产检修"},
    )
    save(client, park_a, {name("v", jia, codes.REVENUE): "450"})  # a draft save, entering
    assert list(FigureNote.objects.values_list("indicator__code", "text")) == [
        (codes.TAX, "停产检修")
    ]


def warned(client, park, enterprise):
    """Return (warns, explained, stale) of the enterprise's revenue cell as the page shows it."""
    page = client.get(url(park)).content.decode()
    cell = re.search(
        rf'<td class="([^"]*)"[^>]*>\s*<label[^>]*for="{name("v", enterprise, codes.REVENUE)}"'
        rf"(.*?)</td>",
        page,
        re.S,
    )
    classes, content = cell.group(1), cell.group(2)
    return (
        "entry-cell--warning" in classes or "entry-cell--explained" in classes,
        "entry-cell--explained" in classes,
        "原说明（数值修改前）" in content,
    )


def test_an_explained_warning_stays_explained_until_its_figure_changes(client, staff_a, park_a):
    (jia,) = reporting(park_a, 1)
    client.force_login(staff_a)
    revenue, note = name("v", jia, codes.REVENUE), name("n", jia, codes.REVENUE)
    # 800 against 420 a year ago: +90.48%, a warning; explained
    save(client, park_a, {revenue: "800"})
    assert warned(client, park_a, jia) == (True, False, False)
    save(client, park_a, {note: "新厂区投产"})
    assert warned(client, park_a, jia) == (True, True, False)

    # saving again, the same figure typed again, keeps it explained
    save(client, park_a, {revenue: "800"})
    save(client, park_a, {revenue: "800.0", name("v", jia, codes.TAX): "450"})
    assert warned(client, park_a, jia) == (True, True, False)
    assert FigureNote.objects.get().text == "新厂区投产"

    # a changed figure reopens it: the old 说明 is offered, not counted
    save(client, park_a, {revenue: "900"})
    assert warned(client, park_a, jia) == (True, False, True)
    page = client.get(url(park_a)).content.decode()
    assert "待填说明 1 处" in summary(page)
    assert '<q class="entry-stale__text">新厂区投产</q>' in page
    response = save(client, park_a, {}, action="submit")
    assert "check=submit" in response.url
    assert PeriodSubmission.objects.get(park=park_a).status == "draft"

    # explained again (the old text reused), it may be submitted
    save(client, park_a, {note: "新厂区投产"}, action="submit")
    assert PeriodSubmission.objects.get(park=park_a).status == "submitted"


def test_an_import_that_changes_an_explained_figure_reopens_its_warning(
    client, staff_a, admin_user, park_a
):
    from indicators.choices import ChangeSource
    from indicators.figures import figures_write

    (jia,) = reporting(park_a, 1)
    client.force_login(staff_a)
    save(client, park_a, {name("v", jia, codes.REVENUE): "800"})
    save(client, park_a, {name("n", jia, codes.REVENUE): "新厂区投产"})
    key = (jia.pk, indicator(codes.REVENUE).pk, YEAR, MONTH)
    figures_write(
        changes={key: D("850")},
        expected={key: D("800")},
        user=admin_user,
        source=ChangeSource.IMPORT,
    )
    assert warned(client, park_a, jia) == (True, False, True)


# ---------------------------------------------------------------- the action bar, by role


def submitted(park, staff):
    for enterprise in reporting(park, 1):
        for code in (codes.REVENUE, codes.TAX):
            MonthlyValueFactory(
                enterprise=enterprise, indicator=indicator(code), year=YEAR, month=MONTH,
                value=D("450"),
            )  # fmt: skip
    period_transition(park=park, year=YEAR, month=MONTH, action=PeriodAction.SUBMIT, user=staff)


def buttons(page: str) -> list[str]:
    form = re.search(r'<form method="post" class="entry-step".*?</form>', page, re.S)
    return re.findall(r'<button type="submit" name="action" value="[a-z]+"[^>]*>([^<]+)<', form[0])


def test_an_admin_reads_a_submitted_month_with_the_review_steps_at_the_top(
    client, staff_a, admin_user, park_a
):
    submitted(park_a, staff_a)
    client.force_login(admin_user)
    page = client.get(url(park_a)).content.decode()
    assert buttons(page) == ["审核通过并锁定", "退回修改"]
    assert page.index('class="entry-step"') < page.index('id="entry-form"')
    assert "园区已上报本月数据，请核对后审核通过（锁定），或填写原因退回修改。" in page
    assert "撤回" not in page


def test_staff_read_a_submitted_month_with_the_withdrawal(client, staff_a, park_a):
    submitted(park_a, staff_a)
    client.force_login(staff_a)
    page = client.get(url(park_a)).content.decode()
    assert buttons(page) == ["撤回上报"]
    assert "本月数据已上报，等待管理员审核；上报后不能修改，如需修改请先撤回上报。" in page


def test_a_leader_reads_a_submitted_month_without_steps(client, staff_a, leader, park_a):
    submitted(park_a, staff_a)
    client.force_login(leader)
    page = client.get(url(park_a)).content.decode()
    assert 'class="entry-step"' not in page
    assert "本月数据已上报，等待管理员审核。" in page


# ---------------------------------------------------------------- queries


def test_the_page_of_fifty_enterprises_takes_as_many_queries_as_that_of_five(
    client, admin_user, park_a, park_b, django_assert_max_num_queries
):
    reporting(park_a, 5)
    reporting(park_b, 50)
    client.force_login(admin_user)
    counts = []
    for park in (park_a, park_b):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(park))
        assert response.status_code == 200
        assert len(response.context["page"]) == len(response.context["sheet"].rows)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[1]):
        client.get(url(park_b))


def test_a_full_page_with_every_cell_explained_is_saved(client, staff_a, park_a):
    """50 enterprises × 6 indicators, each cell posting its figure, the value shown, a 说明
    and the 说明 shown: more fields than Django's default limit of 1,000."""
    enterprises = reporting(park_a, 50)
    client.force_login(staff_a)
    fields = shown(client, park_a) | {"action": "save"}
    for enterprise in enterprises:
        for code in (codes.REVENUE, codes.TAX):
            fields[name("v", enterprise, code)] = "900"  # +114% on last year: warns
            fields[name("n", enterprise, code)] = "新生产线投产"
            fields[name("on", enterprise, code)] = ""
    for key in [k for k in fields if k.startswith("o-")]:
        fields["v" + key[1:]] = fields.get("v" + key[1:], fields[key])
        fields["n" + key[1:]] = fields.get("n" + key[1:], "")
        fields["on" + key[1:]] = fields.get("on" + key[1:], "")
    assert len(fields) > 1200
    response = client.post(url(park_a), fields)
    assert response.status_code == 302
    assert FigureNote.objects.count() == 100
