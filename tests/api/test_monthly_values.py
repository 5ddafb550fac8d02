"""Monthly figures through the API: reads follow the official-figures rule, writes go
through the entry's save with the month's version checked first (DHIS2's dataValueSets)."""

from decimal import Decimal as D

import pytest

from indicators import codes
from indicators.models import FigureChange, MonthlyValue, PeriodSubmission
from tests.api.conftest import ADMIN, LEADER, STAFF_A, YEAR
from tests.factories import EnterpriseFactory, indicator

pytestmark = pytest.mark.django_db
URL = "/api/monthly-value-sets/"


def figure_set(world, *values, version=4, park="a", month=3):
    return {
        "park": world[park]["park"].code,
        "year": YEAR,
        "month": month,
        "version": version,
        "values": list(values),
    }


def value(world, amount, *, park="a", code=codes.REVENUE, **extra):
    return {
        "enterprise": world[park]["enterprise"].credit_code,
        "indicator": code,
        "value": amount,
        **extra,
    }


def stored(world, park="a", month=3):
    return MonthlyValue.objects.filter(
        enterprise=world[park]["enterprise"], year=YEAR, month=month
    ).values_list("indicator__code", "value")


def state():
    return (
        sorted(MonthlyValue.objects.values_list("enterprise_id", "indicator_id", "month", "value")),
        FigureChange.objects.count(),
        sorted(PeriodSubmission.objects.values_list("park_id", "month", "status", "version")),
    )


def test_a_figure_set_writes_through_the_door_and_bumps_the_version(world, clients, staff_a):
    answer = clients[STAFF_A].post(
        URL, figure_set(world, value(world, "150.5"), value(world, "12", code=codes.TAX)), "json"
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json() == {"changed": 2, "version": 5, "status": "draft", "warnings": []}
    assert dict(stored(world)) == {codes.REVENUE: D("150.5"), codes.TAX: D("12")}
    change = FigureChange.objects.get(indicator__code=codes.REVENUE)
    assert (change.old_value, change.new_value, change.changed_by) == (
        D("100"),
        D("150.5"),
        staff_a,
    )


def test_a_stale_version_is_409_and_changes_nothing(world, clients):
    before = state()
    answer = clients[STAFF_A].post(URL, figure_set(world, value(world, "999"), version=3), "json")
    assert answer.status_code == 409
    assert "已被修改" in answer.json()["detail"]
    assert answer.json()["version"] == 4
    assert state() == before


def test_the_second_of_two_writers_reading_one_version_is_refused(world, clients):
    first = clients[STAFF_A].post(URL, figure_set(world, value(world, "200")), "json")
    second = clients[ADMIN].post(URL, figure_set(world, value(world, "300")), "json")
    assert (first.status_code, second.status_code) == (200, 409)
    assert dict(stored(world))[codes.REVENUE] == D("200")


def test_a_month_without_a_record_starts_at_version_zero(world, clients):
    answer = clients[STAFF_A].post(
        URL, figure_set(world, value(world, "150"), month=4, version=0), "json"
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["version"] == 1


def test_a_refused_new_month_leaves_no_workflow_record(world, clients):
    before = state()
    answer = clients[STAFF_A].post(
        URL, figure_set(world, value(world, "-1"), month=4, version=0), "json"
    )
    assert answer.status_code == 400
    assert state() == before


@pytest.mark.parametrize(
    ("status", "message"),
    [("approved", "已审核锁定"), ("submitted", "已上报")],
)
def test_a_submitted_or_approved_month_is_409_with_the_doors_message(
    world, clients, status, message
):
    PeriodSubmission.objects.filter(park=world["a"]["park"]).update(status=status)
    before = state()
    answer = clients[ADMIN].post(URL, figure_set(world, value(world, "1")), "json")
    assert answer.status_code == 409
    assert message in answer.json()["detail"]
    assert state() == before


@pytest.mark.parametrize(
    ("amount", "where"),
    [
        ("-5", "不能为负数"),
        ("abc", "A企业·营业收入"),
    ],
)
def test_invalid_figures_are_400_naming_the_enterprise_and_indicator(world, clients, amount, where):
    before = state()
    answer = clients[STAFF_A].post(URL, figure_set(world, value(world, amount)), "json")
    assert answer.status_code == 400
    problem = answer.json()["problems"][0]
    assert problem["enterprise"] == world["a"]["enterprise"].credit_code
    assert problem["indicator"] == codes.REVENUE
    assert where in problem["message"]
    assert state() == before


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"enterprise": "91130630MA9999999X"}, "不是长古城工业园的在册企业"),
        ({"indicator": "no-such"}, "没有启用的指标编码 no-such"),
    ],
)
def test_unknown_enterprises_and_indicators_are_400_naming_the_entry(
    world, clients, entry, message
):
    before = state()
    data = figure_set(world, value(world, "1"), {**value(world, "2"), **entry})
    answer = clients[STAFF_A].post(URL, data, "json")
    assert answer.status_code == 400
    assert any(message in text and text.startswith("第2条") for text in answer.json()["values"])
    assert state() == before


def test_another_parks_enterprise_cannot_be_written_through_ones_own_park(world, clients):
    data = figure_set(world, value(world, "1", park="b"))
    answer = clients[STAFF_A].post(URL, data, "json")
    assert answer.status_code == 400
    assert dict(stored(world, park="b"))[codes.REVENUE] == D("100")


def test_a_blank_value_clears_a_figure(world, clients):
    answer = clients[STAFF_A].post(URL, figure_set(world, value(world, None)), "json")
    assert answer.status_code == 200
    assert not stored(world).exists()


def test_a_warning_is_returned_and_its_comment_kept(world, clients):
    MonthlyValue.objects.create(
        enterprise=world["a"]["enterprise"], indicator=world["revenue"], year=YEAR - 1, month=3,
        value=D("100"),
    )  # fmt: skip
    answer = clients[STAFF_A].post(URL, figure_set(world, value(world, "400")), "json")
    assert answer.status_code == 200
    assert answer.json()["warnings"], "growth of 300% warns"
    version = answer.json()["version"]
    answer = clients[STAFF_A].post(
        URL, figure_set(world, value(world, "400", comment="新产线投产"), version=version), "json"
    )
    assert answer.status_code == 200
    assert world["a"]["enterprise"].figure_notes.get().text == "新产线投产"


def test_leaders_read_official_figures_only_and_others_see_drafts_marked(world, clients):
    leader = clients[LEADER].get("/api/monthly-values/", {"year": YEAR, "month": 3}).json()
    assert [row["park"] for row in leader["results"]] == ["B"]
    assert leader["results"][0]["official"] is True
    admin = clients[ADMIN].get("/api/monthly-values/", {"year": YEAR, "month": 3}).json()
    marks = {row["park"]: (row["period_status"], row["official"]) for row in admin["results"]}
    assert marks == {"A": ("draft", False), "B": ("submitted", True)}
    official = clients[ADMIN].get("/api/monthly-values/", {"official": "true"}).json()
    assert [row["park"] for row in official["results"]] == ["B"]


def test_figures_are_decimal_strings(world, clients):
    row = clients[ADMIN].get("/api/monthly-values/", {"park": "B"}).json()["results"][0]
    assert row["value"] == "100.0000"


@pytest.mark.parametrize(
    ("query", "field"),
    [({"year": "abc"}, "year"), ({"month": "13"}, "month"), ({"official": "maybe"}, "official"),
     ({"park": "A\x00"}, "park")],
)  # fmt: skip
def test_bad_filters_are_400_naming_the_parameter(world, clients, query, field):
    answer = clients[ADMIN].get("/api/monthly-values/", query)
    assert answer.status_code == 400
    assert field in answer.json()


def test_filters_narrow_the_list(world, clients):
    enterprise = EnterpriseFactory(park=world["a"]["park"])
    MonthlyValue.objects.create(
        enterprise=enterprise, indicator=indicator(codes.TAX), year=YEAR, month=3, value=D("5")
    )
    rows = (
        clients[ADMIN]
        .get("/api/monthly-values/", {"indicator": codes.TAX, "enterprise": enterprise.credit_code})
        .json()["results"]
    )
    assert [(row["enterprise"], row["indicator"], row["value"]) for row in rows] == [
        (enterprise.credit_code, codes.TAX, "5.0000")
    ]


def test_a_bad_figure_among_good_ones_writes_none_of_them(world, clients):
    before = state()
    data = figure_set(world, value(world, "150"), value(world, "-3", code=codes.TAX))
    answer = clients[STAFF_A].post(URL, data, "json")
    assert answer.status_code == 400
    assert [p["indicator"] for p in answer.json()["problems"]] == [codes.TAX]
    assert state() == before


def test_a_control_character_in_a_comment_is_400(world, clients):
    before = state()
    data = figure_set(world, value(world, "150", comment="说明\x01"))
    answer = clients[STAFF_A].post(URL, data, "json")
    assert answer.status_code == 400
    assert "控制字符" in str(answer.json()["values"])
    assert state() == before
