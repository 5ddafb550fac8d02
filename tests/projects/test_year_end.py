"""The year-end summary's money and land of projects, as seed 001 writes them: budgets
(初设概算17.8亿元，同光晶体标准厂房4.45亿元), bonds received in total (5.63亿元) and applied
for next year (3.7亿元), the funding gap, land (标准地出让182亩), financing (融资到位
2.38亿元), scheduling meetings held and projects by light; in HTML, xlsx and docx."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from indicators.models import PeriodSubmission
from projects.models import Financing, LandPlot, Meeting, ProjectProgress, SpecialBond
from projects.selectors import money_and_land
from reports.scope import ReportPeriod, report_scope
from reports.year_end import narrative, year_end_report
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

PERIOD = ReportPeriod(2022, 10)


@pytest.fixture
def seed(zone, park_a, park_b):
    infrastructure = ProjectFactory(
        code="JC-1",
        name="开发区基础设施",
        park=park_a,
        category="infrastructure",
        budget=D("178000"),
        start_date=date(2021, 4, 1),
    )
    crystal = ProjectFactory(
        code="TG-1",
        name="同光晶体标准厂房",
        park=park_b,
        budget=D("44500"),
        start_date=date(2022, 6, 1),
    )
    SpecialBond.objects.create(project=infrastructure, year=2021, amount=D("26300"))
    SpecialBond.objects.create(
        project=infrastructure, year=2022, applied=D("30000"), amount=D("30000"), spent=D("20000")
    )
    SpecialBond.objects.create(project=infrastructure, year=2023, applied=D("37000"))
    ProjectProgress.objects.create(
        project=crystal,
        year=2022,
        month=10,
        completed_investment=D("12000"),
        government_investment=D("2000"),
    )
    ProjectProgress.objects.create(  # after the cut-off: not counted
        project=crystal, year=2022, month=11, completed_investment=D("15000")
    )
    for month in (10, 11):  # the park's months are official: their progress counts
        PeriodSubmission.objects.create(park=park_b, year=2022, month=month, status="approved")
    Financing.objects.create(
        code="RZ-1", received_on=date(2022, 5, 1), way="city_investment", amount=D("23800"),
        project=infrastructure,
    )  # fmt: skip
    Financing.objects.create(
        code="RZ-2", received_on=date(2022, 8, 1), way="bank_loan", amount=D("800"),
        project=crystal,
    )  # fmt: skip
    LandPlot.objects.create(
        code="DK-1", park=park_b, area_mu=D("182"), way="standard", dealt_on=date(2022, 3, 1),
        price_per_mu=D("9.6"), project=crystal,
    )  # fmt: skip
    LandPlot.objects.create(
        code="DK-0", park=park_b, area_mu=D("50"), way="auction", dealt_on=date(2021, 3, 1)
    )  # last year: not counted
    for day in (date(2022, 3, 10), date(2022, 9, 20)):
        Meeting.objects.create(held_on=day, name=f"{day:%m月}调度会", kind="ten_day")
    Meeting.objects.create(held_on=date(2022, 4, 1), name="早餐会", kind="breakfast")
    return infrastructure


def test_money_and_land_adds_up_as_computed_by_hand(seed, park_a, park_b):
    figures = money_and_land([park_a.pk, park_b.pk], PERIOD.cut_off)
    budgets = {line.code: line for line in figures.budgets}
    # 178000 − (26300 + 30000) bonds − 23800 financing − 0 social = 97900
    assert budgets["JC-1"].gap == D("97900")
    # 44500 − 0 − 800 − (12000 − 2000) social by 1-10月 = 33700
    assert (budgets["TG-1"].social, budgets["TG-1"].gap) == (D("10000"), D("33700"))
    assert figures.gap == D("131600")
    assert (figures.bonds_applied, figures.bonds_applied_next_year) == (D("30000"), D("37000"))
    assert [(t.label, t.count, t.area, t.amount) for t in figures.land] == [
        ("标准地出让", 1, D("182"), D("1747.2"))
    ]
    assert figures.land_total.price_per_mu == D("9.6000")
    assert figures.financing_total == D("24600")
    assert figures.meetings == 2  # 早餐会 is no scheduling meeting
    assert sum(figures.lights.values()) == 2


def test_the_narrative_says_it_in_the_documents_words(seed, zone):
    report = year_end_report(report_scope(zone), PERIOD)
    text = "\n".join(narrative(report))
    assert "批准了开发区基础设施概算17.8亿元，同光晶体标准厂房概算4.45亿元" in text
    assert "专项债券资金累计到位5.63亿元" in text
    assert "明年又申报了3.7亿元" in text
    assert "资金缺口约13.16亿元" in text
    assert "供应土地1宗182亩（标准地出让182亩）" in text
    assert "帮助融资到位2.46亿元" in text
    assert "组织召开重点项目调度会2次" in text


def test_html_xlsx_and_docx_show_the_budget_bond_gap_land_and_financing(client, leader, seed):
    client.force_login(leader)
    url = reverse("reports:year_end")
    query = {"park": "KFQ", "year": 2022, "month": 10}
    html = client.get(url, query).content.decode()
    for text in ("项目概算与资金缺口", "178,000.00", "97,900.00", "本年土地供应", "37,000.00"):
        assert text in html, text
    book = load_workbook(io.BytesIO(client.get(url, {**query, "format": "xlsx"}).content))
    cells = {str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value}
    assert any("资金缺口" in cell for cell in cells)
    assert {"178000", "97900", "182"} & {str(c).rstrip("0").rstrip(".") for c in cells}
    document = Document(io.BytesIO(client.get(url, {**query, "format": "docx"}).content))
    texts = "\n".join(p.text for p in document.paragraphs)
    assert "明年又申报了3.7亿元" in texts
    tables = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "131,600.00" in tables
    assert "182.00" in tables


def test_a_zone_without_these_records_adds_no_table_or_sentence(zone, park_a):
    ProjectFactory(park=park_a)
    report = year_end_report(report_scope(zone), PERIOD)
    assert report.money_land.is_empty
    assert not any("资金缺口" in paragraph for paragraph in narrative(report))


def test_a_workbook_in_the_documented_format_gives_the_same_figures(zone):
    """Seed 001's money and land, imported from a workbook, reach the summary."""
    from tests.workbook.books import xlsx
    from workbook.importer import workbook_import

    sheets = {
        "园区": [
            ["园区编码", "园区名称", "上级园区编码", "类型"],
            ["CGC", "长古城工业园", "KFQ", "园区"],
        ],
        "项目": [
            [
                "项目编号",
                "项目名称",
                "所属园区",
                "项目类别",
                "项目阶段",
                "总投资(万元)",
                "开工日期",
                "概算(万元)",
            ],
            ["JC-1", "开发区基础设施", "CGC", "基础设施", "在建", "180000", "2021-04-01", "178000"],
            ["TG-1", "同光晶体标准厂房", "CGC", "产业项目", "在建", "45000", "2022-06-01", "44500"],
        ],
        "专项债券": [
            ["项目编号", "年份", "申报金额(万元)", "到位资金(万元)"],
            ["JC-1", 2021, "", "26300"],
            ["JC-1", 2022, "30000", "30000"],
            ["JC-1", 2023, "37000", ""],
        ],
        "土地供应": [
            [
                "地块编号",
                "所属园区",
                "面积(亩)",
                "供地方式",
                "成交日期",
                "单价(万元/亩)",
                "项目编号",
            ],
            ["DK-1", "CGC", "182", "标准地出让", "2022-03-01", "9.6", "TG-1"],
        ],
        "融资": [
            ["融资编号", "日期", "方式", "金额(万元)", "项目编号"],
            ["RZ-1", "2022-05-01", "城投融资", "23800", "JC-1"],
        ],
    }
    report = workbook_import(data=xlsx(sheets), filename="seed001.xlsx")
    assert report.accepted, [str(p) for p in report.problems]
    text = "\n".join(narrative(year_end_report(report_scope(zone), PERIOD)))
    assert "批准了开发区基础设施概算17.8亿元，同光晶体标准厂房概算4.45亿元" in text
    assert "专项债券资金累计到位5.63亿元" in text
    assert "明年又申报了3.7亿元" in text
    assert "供应土地1宗182亩（标准地出让182亩）" in text
    assert "帮助融资到位2.38亿元" in text
