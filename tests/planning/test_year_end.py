"""The year-end summary of a zone built to match seed 001: its forecasts with their growth,
its 2022 plan measured at 1-10月, and section 三 from its 2023 plan, in the HTML page, the
xlsx workbook and the docx document alike."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from planning.models import PlanTask
from tests.factories import EnterpriseFactory, MonthlyValueFactory, OutreachEventFactory, indicator
from tests.helpers import count_as_official

pytestmark = pytest.mark.django_db

OCTOBER = {"park": "KFQ", "year": 2022, "month": 10}
FORECAST = (
    "按1-10月累计数和往年同期占全年的比重推算，预计全年完成工业总产值61.5亿元，增长率30.02%。"
)
PLAN_2022 = (
    "2022年确定年度任务2项，截至1-10月末已完成1项，逾期未完成1项："
    "年内组织集中招商推介会不少于3次（截至2022年10月31日仅1次，目标3次）。"
)
SECTION_3 = (
    "三、2023年重点工作谋划。2023年，1、确保第一季度全部开工（项目办负责，3月31日前完成）；"
    "2、年内在北京、雄安等地组织集中招商推介会不少于3次（招商局负责，12月31日前完成）；"
    "3、力争2023年入驻项目签约落地不少于5个（12月31日前完成）。"
)


@pytest.fixture
def seed_zone(zone, park_a):
    """1-10月 2022 of seed 001: 工业总产值 on 2021's seasonality (1-10月 made 80% of the
    year), an enterprise new in 2022 counting in the cumulative; its plans for 2022 and 2023."""
    output = indicator("industrial_output")
    old = EnterpriseFactory(park=park_a, in_statistics=True)
    new = EnterpriseFactory(park=park_a, in_statistics=True, established_on=date(2022, 3, 1))
    figures = [
        (old, 2021, 10, "378400"), (old, 2021, 12, "473000"),
        (old, 2022, 10, "400000"), (new, 2022, 10, "92000"),
    ]  # fmt: skip
    for enterprise, year, month, value in figures:
        MonthlyValueFactory(
            enterprise=enterprise, indicator=output, year=year, month=month, value=D(value)
        )
    count_as_official()
    OutreachEventFactory(date=date(2022, 5, 1), kind="promotion")
    tasks = [
        (
            "2022-01",
            2022,
            "年内组织集中招商推介会不少于3次",
            "招商局",
            date(2022, 9, 30),
            "events",
            "招商推介会",
            "3",
        ),
        (
            "2022-02",
            2022,
            "工业总产值突破40亿元",
            "经发局",
            date(2022, 12, 31),
            "indicator",
            "工业总产值",
            "400000",
        ),
        (
            "2023-01",
            2023,
            "确保第一季度全部开工",
            "项目办",
            date(2023, 3, 31),
            "projects_started",
            "",
            "4",
        ),
        (
            "2023-02",
            2023,
            "年内在北京、雄安等地组织集中招商推介会不少于3次",
            "招商局",
            date(2023, 12, 31),
            "events",
            "招商推介会",
            "3",
        ),
        (
            "2023-03",
            2023,
            "力争2023年入驻项目签约落地不少于5个",
            "",
            date(2023, 12, 31),
            "landed_count",
            "",
            "5",
        ),
    ]
    for code, year, title, unit, deadline, measure, subject, target in tasks:
        PlanTask.objects.create(
            code=code, year=year, title=title, unit=unit, deadline=deadline,
            measure=measure, subject=subject, target=D(target),
        )  # fmt: skip


def download(client, output):
    response = client.get(reverse("reports:year_end"), {**OCTOBER, "format": output})
    assert response.status_code == 200
    return response.content


def test_the_html_report_shows_the_forecast_the_plan_measured_and_section_three(
    client, leader, seed_zone
):
    client.force_login(leader)
    html = client.get(reverse("reports:year_end"), OCTOBER).content.decode()
    for text in (FORECAST, PLAN_2022, SECTION_3, "2022年度任务完成情况", "预计全年"):
        assert text in html
    assert "615,000.00" in html  # the computed forecast in the table, 万元
    assert "2021年" in html  # the year its share came from


def test_the_xlsx_report_has_the_plan_and_forecast_sheets(client, leader, seed_zone):
    client.force_login(leader)
    book = load_workbook(io.BytesIO(download(client, "xlsx")))
    summary = [cell.value for cell in book["综述"]["A"]]
    assert FORECAST in summary and SECTION_3 in summary
    tasks = [[cell.value for cell in row] for row in book["年度任务"].iter_rows()]
    assert any("截至2022年10月31日仅1次，目标3次" in row for row in tasks)
    forecast = [[cell.value for cell in row] for row in book["预计全年"].iter_rows()]
    line = next(row for row in forecast if "长古城工业园" in row)
    assert 615000 in line and 30.02 in line


def test_the_docx_report_has_the_same_sentences_and_tables(client, leader, seed_zone):
    client.force_login(leader)
    document = Document(io.BytesIO(download(client, "docx")))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert FORECAST in texts and PLAN_2022 in texts and SECTION_3 in texts
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "截至2022年10月31日仅1次，目标3次" in cells
    assert "615,000.00" in cells


JUNE_2023 = {"park": "KFQ", "year": 2023, "month": 6}
LATE_2023 = "截至2023年6月30日仅开工0个，目标4个"


@pytest.fixture
def first_half_2023(seed_zone, park_a):
    """The zone's 2022 closed at 615000 (as forecast) and its 1-6月 2023 reported."""
    output = indicator("industrial_output")
    enterprise = EnterpriseFactory(park=park_a, in_statistics=True)
    for year, month, value in [(2022, 12, "615000"), (2022, 6, "300000"), (2023, 6, "330000")]:
        MonthlyValueFactory(
            enterprise=enterprise, indicator=output, year=year, month=month, value=D(value)
        )
    OutreachEventFactory(date=date(2023, 4, 1), kind="promotion")
    count_as_official()


@pytest.mark.parametrize("output", ["html", "xlsx", "docx"])
def test_the_2023_report_measures_the_2023_plan(client, leader, first_half_2023, output):
    client.force_login(leader)
    params = JUNE_2023 if output == "html" else {**JUNE_2023, "format": output}
    content = client.get(reverse("reports:year_end"), params).content
    if output == "xlsx":
        book = load_workbook(io.BytesIO(content))
        texts = [cell.value for row in book["年度任务"].iter_rows() for cell in row]
        texts += [cell.value for cell in book["综述"]["A"]]
    elif output == "docx":
        document = Document(io.BytesIO(content))
        texts = [p.text for p in document.paragraphs]
        texts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    else:
        texts = [content.decode()]
    text = "\n".join(str(t) for t in texts if t)
    assert LATE_2023 in text  # 确保第一季度全部开工: none of the 4 started by 30 June
    assert "2023年确定年度任务3项，截至1-6月末已完成0项，逾期未完成1项" in text
    assert "1次" in text and "3次" in text  # the promotion fair held in April, of 3
