"""Numbers as the documents write them, on every page and download of one small zone:
a profit turned into a loss is 由盈转亏 (never "-140.17%"), 万元 in tables have two fixed
decimals (parkportal.display)."""

import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from indicators import codes
from parkportal.models import Enterprise
from reports.scope import ReportPeriod, report_scope
from reports.year_end import narrative, report_tables, year_end_report
from tests.factories import MonthlyValueFactory, indicator
from tests.helpers import count_as_official
from tests.reports.small_zone import build_small_zone

MARCH = {"year": 2026, "month": 3}


@pytest.fixture
def small(zone, park_a, park_b):
    return build_small_zone(zone, park_a, park_b)


@pytest.fixture
def profit_to_loss(small):
    """E1 made 300万元 profit in 1-3月 2025 and lost 120.5万元 in 1-3月 2026."""
    e1 = Enterprise.objects.get(name="涞源精密铸造有限公司")
    MonthlyValueFactory(
        enterprise=e1, indicator=indicator(codes.TOTAL_PROFIT), year=2025, month=3, value=D(300)
    )
    count_as_official()
    return small


def profit_line(lines):
    return next(line for line in lines if line.code == codes.TOTAL_PROFIT)


def test_the_summary_writes_a_profit_turned_into_a_loss_as_its_word(profit_to_loss):
    report = year_end_report(report_scope(profit_to_loss.zone), ReportPeriod(2026, 3))
    table = report_tables(report)[0]
    row = next(row for row in table.rows if row.cell("name").text == "利润总额")

    assert profit_line(report.indicators).growth.rate is None
    assert row.cell("growth").text == "由盈转亏"
    assert "利润总额-120.5万元，由盈转亏；" in narrative(report)[0]


def test_the_dashboard_card_and_the_workbook_say_it_too(client, leader, profit_to_loss):
    client.force_login(leader)

    content = client.get(reverse("reports:home"), MARCH).content.decode()
    book = load_workbook(
        io.BytesIO(
            client.get(
                reverse("reports:year_end"), {"park": "KFQ", **MARCH, "format": "xlsx"}
            ).content
        )
    )

    assert 'trend--down">由盈转亏</span>' in content
    assert "-140.17%" not in content
    profit = next(row for row in book["主要指标"].iter_rows() if row[0].value == "利润总额")
    assert (profit[2].value, profit[3].value, profit[4].value) == (-120.5, 300, "由盈转亏")


def test_an_enterprises_month_table_has_two_fixed_decimals_right_aligned(client, leader, small):
    e1 = Enterprise.objects.get(name="涞源精密铸造有限公司")
    count_as_official()
    client.force_login(leader)

    content = client.get(reverse("reports:enterprise", args=[e1.pk]), {"year": 2026})
    text = content.content.decode()

    # E1's revenue, 1-3月 2026: 40,000 as 40,000.00, beside its decimals' peers.
    assert '<td class="num">40,000.00</td>' in text
    assert '<td class="num">40,000</td>' not in text


def test_the_dashboards_park_table_writes_wan_with_two_fixed_decimals(client, leader, small):
    client.force_login(leader)

    content = client.get(reverse("reports:home"), MARCH).content.decode()
    table = content[
        content.index("各园区主要指标") : content.index("</table>", content.index("park-table"))
    ]

    assert "金额单位：万元" in table
    # Revenue 1-3月: park A's E1 40000 + E2 9000.1234, park B's E3 50000 + E5 7000, the zone.
    for revenue in ("49,000.12", "57,000.00", "106,000.12"):
        assert f'<td class="num">{revenue}<span class="park-table__growth' in table


def test_the_rankings_write_an_enterprises_wan_with_at_most_two_decimals(client, leader, small):
    client.force_login(leader)

    content = client.get(reverse("reports:home"), MARCH).content.decode()

    # E2's revenue, 1-3月: 9000.1234万元 as a sentence writes it.
    assert '<span class="rank-list__figure">9,000.12万元，' in content
    assert "9,000.1234" not in content


def test_the_dashboards_sums_in_text_are_in_yi_from_one_yi_up_and_in_wan_below(
    client, leader, small
):
    client.force_login(leader)

    content = client.get(reverse("reports:home"), MARCH).content.decode()

    # Completed this year: all carried-out projects 40000, P1 (新开工) 8000, P2 + P3 (续建)
    # 32000; signed: L1 38000 + L5 10500.
    assert "本年完成投资4亿元" in content
    assert "本年完成投资8,000万元" in content
    assert "本年完成投资3.2亿元" in content
    assert '<span class="plan-figure__value">4</span> 亿元' in content
    assert '<span class="chip__value">4.85<small>亿元</small>' in content
    assert "投资0.8" not in content  # never a sum under 1亿元 in 亿元


def test_an_enterprises_page_writes_its_profit_turned_into_a_loss(client, leader, profit_to_loss):
    e1 = Enterprise.objects.get(name="涞源精密铸造有限公司")
    client.force_login(leader)

    response = client.get(reverse("reports:enterprise", args=[e1.pk]), {"year": 2026})

    assert profit_line(response.context["page"].indicators).growth.turn == "由盈转亏"
    assert 'trend--down">由盈转亏</span>' in response.content.decode()


def test_an_enterprises_cards_write_wan_with_at_most_two_decimals(client, leader, small):
    e2 = Enterprise.objects.get(name="涞源食品科技有限公司")
    count_as_official()
    client.force_login(leader)

    text = client.get(reverse("reports:enterprise", args=[e2.pk]), {"year": 2026}).content
    content = text.decode()

    # E2's revenue, 1-3月 2026: 9000.1234万元; 1-3月 2025: 8000.
    assert '<p class="kpi__value">9,000.12<small>万元</small>' in content
    assert '<span class="muted">上年同期 8,000</span>' in content
