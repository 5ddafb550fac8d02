"""The office's validation rules: each operator, each right side, each scope, error and
warning, and the same outcome whether a figure comes through the entry page, the
workbook import or the admin."""

import re
from decimal import Decimal as D

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from indicators import codes
from indicators.domain import ERROR, WARNING
from indicators.models import MonthlyValue, PeriodSubmission, ValidationRule
from indicators.rules import Rule, evaluate, holds, right_value, rule_breaches
from parkportal.choices import ScaleCategory
from tests.factories import EnterpriseFactory, IndustryFactory, MonthlyValueFactory, indicator
from tests.workbook.books import xlsx
from workbook.importer import workbook_import

YEAR, MONTH = 2026, 3
LEFT, RIGHT = 1, 2  # indicator ids of the pure tables
E = 10  # an enterprise id of the pure tables


# ---------------------------------------------------------------- pure tables


@pytest.mark.parametrize(
    ("left", "op", "right", "kept"),
    [
        (D("5"), "eq", D("5.0000"), True),
        (D("5"), "eq", D("5.0001"), False),
        (D("5"), "ne", D("6"), True),
        (D("5"), "ne", D("5"), False),
        (D("4.9999"), "lt", D("5"), True),
        (D("5"), "lt", D("5"), False),
        (D("5"), "le", D("5"), True),
        (D("5.0001"), "le", D("5"), False),
        (D("6"), "gt", D("5"), True),
        (D("5"), "gt", D("5"), False),
        (D("5"), "ge", D("5"), True),
        (D("-1"), "ge", D("0"), False),
    ],
)
def test_each_operator_compares_exactly(left, op, right, kept):
    assert holds(left, op, right) is kept


@pytest.mark.parametrize(
    ("side", "constant", "figure", "expected"),
    [
        ("indicator", None, D("100"), D("100")),
        ("indicator", None, None, None),  # the other figure is not reported
        ("constant", D("2000"), None, D("2000")),  # a constant needs no other figure
        ("constant", D("2000"), D("7"), D("2000")),
        ("scaled", D("0.5"), D("100"), D("50.0")),
        ("scaled", D("0.5"), None, None),
    ],
)
def test_each_right_side_form(side, constant, figure, expected):
    assert right_value(side, constant, figure) == expected


def rule(**fields) -> Rule:
    values = {
        "pk": 1,
        "left": LEFT,
        "left_name": "税收收入",
        "op": "le",
        "side": "indicator",
        "right": RIGHT,
        "right_name": "营业收入",
        "constant": None,
        "severity": "error",
        "message": "税收收入不应大于营业收入",
    }
    return Rule(**(values | fields))


@pytest.mark.parametrize(
    ("scope", "fields", "member", "applies"),
    [
        ("all", {}, ("", None), True),
        ("all", {}, ("industry", 3), True),
        ("category", {"scale_category": "industry"}, ("industry", None), True),
        ("category", {"scale_category": "industry"}, ("trade", None), False),
        ("category", {"scale_category": "industry"}, ("", None), False),
        ("industry", {"industry": 3}, ("", 3), True),
        ("industry", {"industry": 3}, ("industry", 4), False),
        ("industry", {"industry": 3}, ("", None), False),
    ],
)
def test_each_scope(scope, fields, member, applies):
    assert rule(scope=scope, **fields).applies_to(member) is applies


@pytest.mark.parametrize(
    ("fields", "left", "right", "fires"),
    [
        ({}, D("150"), D("100"), True),
        ({}, D("100"), D("100"), False),
        ({}, None, D("100"), False),  # no left figure: nothing to check
        ({}, D("150"), None, False),  # no right figure: the rule does not fire
        ({"side": "constant", "right": None, "constant": D("120")}, D("150"), None, True),
        ({"side": "constant", "right": None, "constant": D("120")}, None, None, False),
        ({"side": "scaled", "op": "ge", "constant": D("0.5")}, D("49"), D("100"), True),
        ({"side": "scaled", "op": "ge", "constant": D("0.5")}, D("50"), D("100"), False),
        ({"side": "scaled", "op": "ge", "constant": D("0.5")}, D("49"), None, False),
    ],
)
def test_a_rule_fires_only_with_both_sides_reported(fields, left, right, fires):
    figures = {(E, LEFT, YEAR, MONTH): left, (E, RIGHT, YEAR, MONTH): right}
    breaches = evaluate([rule(**fields)], [(E, YEAR, MONTH)], figures, {E: ("", None)})
    assert bool(breaches) is fires
    if fires:
        assert breaches[0].key == (E, LEFT, YEAR, MONTH)  # shown at the left side's figure


@pytest.mark.parametrize(("severity", "level"), [("error", ERROR), ("warning", WARNING)])
def test_a_breach_carries_its_level_and_the_office_message(severity, level):
    figures = {(E, LEFT, YEAR, MONTH): D("150"), (E, RIGHT, YEAR, MONTH): D("100")}
    [breach] = evaluate([rule(severity=severity)], [(E, YEAR, MONTH)], figures, {})
    assert breach.check.level == level
    assert breach.text.startswith("税收收入不应大于营业收入")
    assert (
        breach.text == "税收收入不应大于营业收入（税收收入 ≤ 营业收入：税收收入150，营业收入100）"
    )


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        (
            {"side": "constant", "right": None, "constant": D("120")},
            "（税收收入 ≤ 120：税收收入150）",
        ),
        (
            {"side": "scaled", "constant": D("0.5")},
            "（税收收入 ≤ 0.5 × 营业收入：税收收入150，0.5 × 营业收入 = 50）",
        ),
    ],
)
def test_a_breach_says_what_was_compared(fields, said):
    figures = {(E, LEFT, YEAR, MONTH): D("150"), (E, RIGHT, YEAR, MONTH): D("100")}
    [breach] = evaluate([rule(**fields)], [(E, YEAR, MONTH)], figures, {})
    assert breach.text.endswith(said)


def test_the_month_compares_its_own_figures_only():
    figures = {(E, LEFT, YEAR, MONTH): D("150"), (E, RIGHT, YEAR, MONTH - 1): D("100")}
    assert evaluate([rule()], [(E, YEAR, MONTH)], figures, {}) == []


# ---------------------------------------------------------------- with the database


@pytest.fixture
def revenue_and_tax(db):
    return indicator(codes.REVENUE), indicator(codes.TAX)


def tax_rule(severity="error", **fields):
    values = {
        "name": "税收不大于营收",
        "left": indicator(codes.TAX),
        "operator": "le",
        "right_side": "indicator",
        "right": indicator(codes.REVENUE),
        "severity": severity,
        "message": "税收收入不应大于营业收入",
    }
    return ValidationRule.objects.create(**(values | fields))


def test_a_category_rule_checks_only_its_category(park_a, revenue_and_tax):
    ValidationRule.objects.create(
        name="规上工业产值",
        left=indicator(codes.INDUSTRIAL_OUTPUT),
        operator="ge",
        right_side="scaled",
        right=indicator(codes.REVENUE),
        constant=D("0.5"),
        scope="category",
        scale_category=ScaleCategory.INDUSTRY,
        message="规上工业企业的工业总产值应不少于营业收入的一半",
    )
    food = IndustryFactory(name="食品加工")
    above = EnterpriseFactory(park=park_a, scale_category=ScaleCategory.INDUSTRY, industry=food)
    trade = EnterpriseFactory(park=park_a, scale_category=ScaleCategory.TRADE, industry=food)
    for enterprise in (above, trade):
        MonthlyValueFactory(enterprise=enterprise, year=YEAR, month=MONTH, value=D("100"))
        MonthlyValueFactory(
            enterprise=enterprise,
            indicator=indicator(codes.INDUSTRIAL_OUTPUT),
            year=YEAR,
            month=MONTH,
            value=D("40"),
        )
    breaches = rule_breaches({(above.pk, YEAR, MONTH), (trade.pk, YEAR, MONTH)})
    assert [b.enterprise_id for b in breaches] == [above.pk]
    assert (breaches[0].left, breaches[0].right) == (D("40"), D("50"))


def test_an_industry_rule_and_an_inactive_rule(park_a, revenue_and_tax):
    food, cement = IndustryFactory(name="食品加工"), IndustryFactory(name="绿色建材")
    tax_rule(scope="industry", industry=food)
    tax_rule(is_active=False)  # would catch both; switched off
    jia = EnterpriseFactory(park=park_a, industry=food)
    yi = EnterpriseFactory(park=park_a, industry=cement)
    for enterprise in (jia, yi):
        MonthlyValueFactory(enterprise=enterprise, year=YEAR, month=MONTH, value=D("100"))
        MonthlyValueFactory(
            enterprise=enterprise,
            indicator=indicator(codes.TAX),
            year=YEAR,
            month=MONTH,
            value=D("150"),
        )
    assert [
        b.enterprise_id for b in rule_breaches({(jia.pk, YEAR, MONTH), (yi.pk, YEAR, MONTH)})
    ] == [jia.pk]


def test_many_months_are_checked_in_three_queries(
    park_a, revenue_and_tax, django_assert_num_queries
):
    tax_rule()
    tax_rule(severity="warning", right_side="constant", right=None, constant=D("1000"))
    months = set()
    for _ in range(20):
        enterprise = EnterpriseFactory(park=park_a)
        for month in (1, 2, 3):
            MonthlyValueFactory(enterprise=enterprise, year=YEAR, month=month, value=D("100"))
            MonthlyValueFactory(
                enterprise=enterprise,
                indicator=indicator(codes.TAX),
                year=YEAR,
                month=month,
                value=D("2000"),
            )
            months.add((enterprise.pk, YEAR, month))
    with django_assert_num_queries(3):  # the rules, the figures, the enterprises
        breaches = rule_breaches(months)
    assert len(breaches) == 2 * 60


# ---------------------------------------------------------------- page = import = admin


@pytest.fixture
def jia(park_a, revenue_and_tax):
    """An enterprise with a revenue of 100 in a month being entered."""
    enterprise = EnterpriseFactory(park=park_a, name="甲食品有限公司")
    MonthlyValueFactory(enterprise=enterprise, year=YEAR, month=MONTH, value=D("100"))
    PeriodSubmission.objects.create(park=park_a, year=YEAR, month=MONTH, status="draft")
    return enterprise


def tax_of(enterprise):
    return (
        MonthlyValue.objects.filter(
            enterprise=enterprise, indicator__code=codes.TAX, year=YEAR, month=MONTH
        )
        .values_list("value", flat=True)
        .first()
    )


def entry_url(enterprise):
    return reverse("indicators:entry", args=[enterprise.park.code, YEAR, MONTH])


def through_entry(client, enterprise, tax) -> str:
    """Type the tax on the entry page and save; return what the page then says."""
    page = client.get(entry_url(enterprise)).content.decode()
    shown = dict(re.findall(r'name="(on?-\d+-\d+)" value="([^"]*)"', page))
    response = client.post(
        entry_url(enterprise),
        {"action": "save"} | shown | {f"v-{enterprise.pk}-{indicator(codes.TAX).pk}": tax},
        follow=True,
    )
    return response.content.decode()


def through_import(client, enterprise, tax) -> str:
    headers = ["统一社会信用代码", "企业名称", "年份", "月份", "税收收入(万元)"]
    book = xlsx(
        {"月度指标": [headers, [enterprise.credit_code, enterprise.name, YEAR, MONTH, tax]]}
    )
    report = workbook_import(data=book, filename="税收.xlsx", user=None)
    return "\n".join(
        [f"problem {p}" for p in report.problems] + [f"warning {w}" for w in report.warnings]
    )


def through_admin(client, enterprise, tax) -> str:
    response = client.post(
        reverse("admin:indicators_monthlyvalue_add"),
        {
            "enterprise": enterprise.pk,
            "indicator": indicator(codes.TAX).pk,
            "year": YEAR,
            "month": MONTH,
            "value": tax,
        },
    )
    said = [str(message) for message in get_messages(response.wsgi_request)]
    return response.content.decode() + "\n".join(said)


CALLERS = {"entry page": through_entry, "import": through_import, "admin": through_admin}
CASES = [
    # severity, tax typed, stored?, fired?
    pytest.param("error", "150", False, True, id="error refuses"),
    pytest.param("error", "80", True, False, id="error kept"),
    pytest.param("warning", "150", True, True, id="warning stores and says"),
    pytest.param("warning", "80", True, False, id="warning kept"),
]


@pytest.mark.parametrize("caller", list(CALLERS))
@pytest.mark.parametrize(("severity", "tax", "stored", "fired"), CASES)
def test_the_page_the_import_and_the_admin_agree(
    client, admin_user, jia, caller, severity, tax, stored, fired
):
    tax_rule(severity)
    client.force_login(admin_user)
    said = CALLERS[caller](client, jia, tax)
    assert tax_of(jia) == (D(tax) if stored else None), caller
    assert ("税收收入不应大于营业收入" in said) is fired, caller


def test_the_import_names_the_row_and_the_left_side_column(jia):
    tax_rule()
    report = workbook_import(
        data=xlsx(
            {
                "月度指标": [
                    ["统一社会信用代码", "企业名称", "年份", "月份", "税收收入(万元)"],
                    [jia.credit_code, jia.name, YEAR, MONTH, "150"],
                ]
            }
        ),
        filename="税收.xlsx",
        user=None,
    )
    [problem] = report.problems
    assert (problem.sheet, problem.row, problem.column) == ("月度指标", 2, "税收收入(万元)")


def test_a_warning_on_the_entry_page_asks_for_an_explanation_to_submit(client, staff_a, jia):
    tax_rule("warning")
    MonthlyValueFactory(
        enterprise=jia, indicator=indicator(codes.TAX), year=YEAR, month=MONTH, value=D("150")
    )
    client.force_login(staff_a)
    page = client.get(entry_url(jia)).content.decode()
    assert "税收收入不应大于营业收入" in page
    sheet = client.get(entry_url(jia)).context["sheet"]
    [cell] = sheet.unexplained
    assert (cell.enterprise_id, cell.indicator.code) == (jia.pk, codes.TAX)


# ---------------------------------------------------------------- the admin of the rules


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"right_side": "indicator", "right": ""}, "right", "请选择右边指标"),
        ({"right_side": "scaled", "constant": ""}, "constant", "请填写常数"),
        ({"scope": "category", "scale_category": ""}, "scale_category", "请选择四上类别"),
        ({"scope": "industry", "industry": ""}, "industry", "请选择产业"),
    ],
)
def test_the_admin_says_which_part_of_a_rule_is_missing(
    client, admin_user, revenue_and_tax, fields, field, message
):
    client.force_login(admin_user)
    form = {
        "name": "税收不大于营收",
        "left": indicator(codes.TAX).pk,
        "operator": "le",
        "right_side": "indicator",
        "right": indicator(codes.REVENUE).pk,
        "constant": "",
        "scope": "all",
        "scale_category": "",
        "industry": "",
        "severity": "error",
        "message": "税收收入不应大于营业收入",
        "is_active": "on",
    }
    response = client.post(reverse("admin:indicators_validationrule_add"), form | fields)
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field][0]
    assert not ValidationRule.objects.exists()


def test_the_admin_lists_a_rule_as_its_formula(client, admin_user, revenue_and_tax):
    tax_rule(right_side="scaled", constant=D("0.5"))
    client.force_login(admin_user)
    page = client.get(reverse("admin:indicators_validationrule_changelist")).content.decode()
    assert "税收收入 ≤ 0.5 × 营业收入" in page


def test_a_sheet_is_not_refused_for_a_rule_on_none_of_its_columns(jia):
    tax_rule()
    MonthlyValueFactory(
        enterprise=jia, indicator=indicator(codes.TAX), year=YEAR, month=MONTH, value=D("150")
    )  # stored before the rule: tax above revenue
    headers = ["统一社会信用代码", "企业名称", "年份", "月份", "固定资产投资(万元)"]
    book = xlsx({"月度指标": [headers, [jia.credit_code, jia.name, YEAR, MONTH, "30"]]})
    report = workbook_import(data=book, filename="投资.xlsx", user=None)
    assert report.accepted and report.warnings == []
