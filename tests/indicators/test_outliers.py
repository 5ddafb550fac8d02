"""The outlier scan: a figure's robust z against the enterprise's own history, the
admins' page and its marks."""

import itertools
from decimal import Decimal as D

import pytest
from django.urls import reverse

from indicators import codes
from indicators.models import MonthlyValue, OutlierMark
from indicators.outliers import (
    history_before,
    median,
    outlier_scan,
    own_series,
    robust_score,
    sparkline,
)
from tests.factories import EnterpriseFactory, indicator

LIMIT = D("3.5")
STEADY = [D(v) for v in ("98", "99", "100", "100", "101", "102")]  # median 100, MAD 1


# ---------------------------------------------------------------- pure tables


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([D("3"), D("1"), D("2")], D("2")),
        ([D("4"), D("1"), D("3"), D("2")], D("2.5")),
        ([D("7")], D("7")),
    ],
)
def test_median(values, expected):
    assert median(values) == expected


@pytest.mark.parametrize(
    ("value", "history", "z", "suspicious", "by"),
    [
        (D("100"), STEADY, D("0.00"), False, "MAD"),
        (D("105"), STEADY, D("3.37"), False, "MAD"),  # 0.6745 × 5 / 1
        (D("106"), STEADY, D("4.05"), True, "MAD"),  # 0.6745 × 6 / 1
        (D("94"), STEADY, D("-4.05"), True, "MAD"),  # a fall counts as much as a rise
        # More than half the history is one value: MAD is 0, the mean absolute deviation
        # (40 / 7) measures the spread instead.
        (
            D("130"),
            [D(v) for v in (100, 100, 100, 100, 120, 80, 100)],
            D("4.19"),
            True,
            "平均绝对偏差",
        ),
        (
            D("105"),
            [D(v) for v in (100, 100, 100, 100, 120, 80, 100)],
            D("0.70"),
            False,
            "平均绝对偏差",
        ),
        # Every month the same: no spread, no score; only a different figure is listed.
        (D("100"), [D("100")] * 6, None, False, "历史数值相同"),
        (D("101"), [D("100")] * 6, None, True, "历史数值相同"),
    ],
)
def test_robust_score(value, history, z, suspicious, by):
    score = robust_score(value, history, LIMIT)
    assert (score.z, score.suspicious, score.by) == (z, suspicious, by)


def test_fewer_than_six_months_give_no_score():
    assert robust_score(D("1000"), STEADY[:5], LIMIT) is None


def test_the_threshold_decides():
    assert robust_score(D("105"), STEADY, D("3")).suspicious
    assert not robust_score(D("106"), STEADY, D("5")).suspicious


@pytest.mark.parametrize(
    ("figures", "is_flow", "expected"),
    [
        # January is its own cumulative; February the difference.
        ({(2025, 1): D("10"), (2025, 2): D("25")}, True, {(2025, 1): D("10"), (2025, 2): D("15")}),
        # A missing March: April's own value is not its own, and is left out.
        (
            {(2025, 1): D("10"), (2025, 2): D("25"), (2025, 4): D("50")},
            True,
            {(2025, 1): D("10"), (2025, 2): D("15")},
        ),
        # A year starts again: January 2026 is its own cumulative, December needs November.
        ({(2025, 12): D("120"), (2026, 1): D("12")}, True, {(2026, 1): D("12")}),
        # A stock's figure is its month's own.
        ({(2025, 3): D("50"), (2025, 5): D("52")}, False, {(2025, 3): D("50"), (2025, 5): D("52")}),
    ],
)
def test_own_series(figures, is_flow, expected):
    assert own_series(figures, is_flow=is_flow) == expected


def test_the_history_is_the_latest_24_months_before_the_month():
    own = {(y, m): D(m) for y, m in itertools.product((2023, 2024, 2025, 2026), range(1, 13))}
    history = history_before(own, (2026, 3))
    assert len(history) == 24
    assert (history[0][0], history[-1][0]) == ((2024, 3), (2026, 2))


@pytest.mark.parametrize(
    ("values", "points"),
    [
        ([D("0"), D("10")], "0.0,24.0 120.0,0.0"),
        ([D("5"), D("5"), D("5")], "0.0,24.0 60.0,24.0 120.0,24.0"),
        ([], ""),
    ],
)
def test_sparkline(values, points):
    assert sparkline(values) == points


# ---------------------------------------------------------------- the page

YEAR, MONTH = 2026, 3


def flow(enterprise, owns: dict[tuple[int, int], D], code=codes.REVENUE):
    """Store a flow's cumulative figures from its months' own values."""
    rows, running = [], {}
    for (year, month), own in sorted(owns.items()):
        running[year] = running.get(year, D(0)) + own
        rows.append(
            MonthlyValue(
                enterprise=enterprise,
                indicator=indicator(code),
                year=year,
                month=month,
                value=running[year],
            )
        )
    MonthlyValue.objects.bulk_create(rows)


def months_before(count):
    """Return the `count` months before March 2026, oldest first."""
    months = [(y, m) for y in (2024, 2025, 2026) for m in range(1, 13) if (y, m) < (YEAR, MONTH)]
    return months[-count:]


def history(enterprise, this_month, count=26):
    jitter = itertools.cycle([D("95"), D("100"), D("105")])
    flow(
        enterprise,
        {month: next(jitter) for month in months_before(count)} | {(YEAR, MONTH): this_month},
    )


@pytest.fixture
def odd(park_a):
    enterprise = EnterpriseFactory(park=park_a, name="甲异常有限公司")
    history(enterprise, D("1000"))
    return enterprise


@pytest.fixture
def usual(park_b):
    enterprise = EnterpriseFactory(park=park_b, name="乙平稳有限公司")
    history(enterprise, D("100"))
    return enterprise


def url(**query):
    return reverse("indicators:outliers") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


@pytest.mark.django_db
def test_the_page_lists_the_odd_figure_with_its_history(client, admin_user, odd, usual):
    client.force_login(admin_user)
    page = client.get(url(year=YEAR, month=MONTH)).content.decode()
    table = page.split('id="outliers"')[1].split("</table>")[0]
    assert "甲异常有限公司" in table and "乙平稳有限公司" not in table
    assert "1,000" in table and "<polyline" in table
    assert "24个月" in table


@pytest.mark.django_db
def test_a_short_history_is_not_scored(park_a, admin_user):
    enterprise = EnterpriseFactory(park=park_a)
    history(enterprise, D("1000"), count=5)
    scan = outlier_scan(user=admin_user, year=YEAR, month=MONTH)
    assert (scan.findings, scan.scored, scan.unscored) == ([], 0, 1)


@pytest.mark.django_db
def test_the_scan_is_scoped_to_the_park_asked_for(admin_user, odd, park_b):
    other = EnterpriseFactory(park=park_b)
    history(other, D("1000"))
    scan = outlier_scan(user=admin_user, year=YEAR, month=MONTH, park=park_b)
    assert [f.enterprise for f in scan.findings] == [other]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader", "staff_a"])
def test_only_admins_see_the_page(client, request, odd, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(year=YEAR, month=MONTH)).status_code == 403


@pytest.mark.django_db
def test_a_mark_is_shown_again_and_lost_when_the_figure_changes(client, admin_user, odd):
    client.force_login(admin_user)
    revenue = indicator(codes.REVENUE)
    response = client.post(
        reverse("indicators:outlier_mark"),
        {
            "enterprise": odd.pk,
            "indicator": revenue.pk,
            "year": YEAR,
            "month": MONTH,
            "park": "",
            "verdict": "verified",
            "note": "新生产线投产，已电话核实",
        },
    )
    assert response.status_code == 302
    mark = OutlierMark.objects.get(enterprise=odd)
    assert (mark.value, mark.marked_by, mark.verdict) == (D("1000"), admin_user, "verified")
    page = client.get(url(year=YEAR, month=MONTH)).content.decode()
    assert "已核实" in page and "新生产线投产，已电话核实" in page

    # February's cumulative changes: March's own value is no longer the one marked.
    MonthlyValue.objects.filter(enterprise=odd, year=YEAR, month=2).update(value=D("150"))
    scan = outlier_scan(user=admin_user, year=YEAR, month=MONTH)
    [finding] = scan.findings
    assert finding.mark is None and finding.stale_mark == mark
    page = client.get(url(year=YEAR, month=MONTH)).content.decode()
    assert "针对的数值已修改，需重新核查" in page


@pytest.mark.django_db
def test_the_page_takes_as_many_queries_for_thirty_enterprises_as_for_three(
    client, admin_user, park_a, django_assert_max_num_queries
):
    client.force_login(admin_user)
    for _ in range(3):
        history(EnterpriseFactory(park=park_a), D("1000"))
    # session, user, role; the parks of the picker; indicators, figures, enterprises, marks
    client.get(url(year=YEAR, month=MONTH))
    with django_assert_max_num_queries(9):
        page = client.get(url(year=YEAR, month=MONTH)).content.decode()
    assert page.count("<polyline") == 3
    for _ in range(27):
        history(EnterpriseFactory(park=park_a), D("1000"))
    with django_assert_max_num_queries(9):
        page = client.get(url(year=YEAR, month=MONTH)).content.decode()
    assert page.count("<polyline") == 30


@pytest.mark.django_db
def test_the_threshold_is_a_setting(settings, admin_user, odd):
    assert outlier_scan(user=admin_user, year=YEAR, month=MONTH).findings
    settings.OUTLIER_THRESHOLD = "1000"
    assert outlier_scan(user=admin_user, year=YEAR, month=MONTH).findings == []


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "linked"), [("admin_user", True), ("leader", False)])
def test_the_completeness_page_links_admins_to_the_scan(client, request, who, linked):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("indicators:completeness_month", args=[YEAR, MONTH])).content
    assert (b'id="outliers-link"' in page) is linked


@pytest.mark.django_db
def test_a_mark_replaced_keeps_the_earlier_verdict_in_its_history(admin_user, odd):
    from indicators.outliers import outlier_mark_save

    revenue = indicator(codes.REVENUE)
    period = {"enterprise": odd, "indicator": revenue, "year": YEAR, "month": MONTH}
    outlier_mark_save(user=admin_user, verdict="to_correct", note="疑似多填一位", **period)
    mark = outlier_mark_save(user=admin_user, verdict="verified", note="已核实", **period)
    assert OutlierMark.objects.count() == 1
    assert [h.verdict for h in mark.history.order_by("history_date")] == ["to_correct", "verified"]


@pytest.mark.django_db
def test_only_an_admin_may_mark(staff_a, leader, odd):
    from django.core.exceptions import PermissionDenied

    from indicators.outliers import outlier_mark_save

    for user in (staff_a, leader):
        with pytest.raises(PermissionDenied):
            outlier_mark_save(
                user=user,
                enterprise=odd,
                indicator=indicator(codes.REVENUE),
                year=YEAR,
                month=MONTH,
                verdict="verified",
            )
    assert not OutlierMark.objects.exists()
