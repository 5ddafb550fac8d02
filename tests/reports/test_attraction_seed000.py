"""Seed 000's investment attraction, imported from a workbook in the documented format and
reported for 1-6月 2022 as the county wrote it in August: "今年上半年，全县“走出去”开展招商
对接活动37次，共对接招商项目76个、总投资115.02亿元，其中签约落地项目18个、总投资59.68亿元。"
and, held after the cut-off, "7月6日，成功举办…新能源装备制造产业专题招商推介会，现场集中签约了
总投资98.61亿元的5个项目。" — in the page, the .xlsx and the .docx alike."""

import io
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from parkportal.models import Park
from reports.scope import ReportPeriod, report_scope
from reports.year_end import narrative, year_end_report
from tests.workbook.books import xlsx
from workbook.importer import workbook_import

pytestmark = pytest.mark.django_db

REPORT = reverse("reports:year_end")
HALF_YEAR = {"park": "KFQ", "year": 2022, "month": 6}
CHANNELS = ["委托招商", "以商招商", "自主招商", "资源+招商"]

LEAD_HEADERS = [
    "线索编号",
    "项目名称",
    "投资方",
    "招商方式",
    "计划投资(万元)",
    "阶段",
    "对接日期",
    "签约日期",
    "落地日期",
    "意向园区",
    "终止原因",
]
EVENT_HEADERS = [
    "活动日期",
    "活动名称",
    "活动类型",
    "地点",
    "带队领导",
    "对接项目数",
    "签约项目数",
    "签约金额(万元)",
    "所属园区",
]

# 18 leads signed by June: 17 × 33,000 + 35,800 = 596,800 万元 (59.68亿元). Four of them
# landed in June, two in August (still 签约 at the cut-off).
SIGNED = [D(33000)] * 17 + [D(35800)]
# 58 more docked in January–June and not signed by June: 57 × 9,500 + 11,900 = 553,400;
# with the signed ones 1,150,200 万元 (115.02亿元) for the 76 docked. One of them was
# signed in July, two were dropped.
UNSIGNED = [D(9500)] * 57 + [D(11900)]


def _day(n: int, months: range) -> date:
    """Return the n-th lead's or event's day, spread over `months` of 2022."""
    return date(2022, months[n % len(months)], 1 + (n * 7) % 28)


def seed_000_leads() -> list[list]:
    rows = [LEAD_HEADERS]
    for n, planned in enumerate(SIGNED):
        docked = _day(n, range(1, 4))  # January–March
        signed = docked + timedelta(days=92)  # April–June
        landed = ""
        stage = "签约"
        if n < 4:
            stage, landed = "落地", date(2022, 6, 28)
        elif n < 6:
            stage, landed = "落地", date(2022, 8, 15)
        rows.append(
            [
                f"QY-{n:02d}",
                f"签约项目{n:02d}",
                f"投资方甲{n:02d}",
                CHANNELS[n % 4],
                str(planned),
                stage,
                docked.isoformat(),
                signed.isoformat(),
                landed.isoformat() if landed else "",
                "CGC" if n % 2 else "BH",
                "",
            ]
        )
    for n, planned in enumerate(UNSIGNED):
        stage, signed, reason = ["对接", "洽谈", "意向"][n % 3], "", ""
        if n == 0:
            stage, signed = "签约", "2022-07-20"  # signed after the cut-off
        elif n in (1, 2):
            stage, reason = "终止", "投资方调整计划"
        rows.append(
            [
                f"DJ-{n:02d}",
                f"对接项目{n:02d}",
                f"投资方乙{n:02d}",
                CHANNELS[n % 4],
                str(planned),
                stage,
                _day(n, range(1, 7)).isoformat(),
                signed,
                "",
                "TTH" if n % 2 else "",
                reason,
            ]
        )
    rows += [
        # Docked in July: not in 1-6月.
        *(
            [f"QY-7{n}", f"七月对接项目{n}", "", "自主招商", "50000", "对接", f"2022-07-0{n + 1}"]
            + [""] * 4
            for n in range(3)
        ),
        # Docked and signed in 2021: not 2022's.
        ["QY-2021", "上年签约项目", "", "委托招商", "80000", "签约", "2021-09-01", "2021-11-02"]
        + [""] * 3,
    ]
    return rows


def seed_000_events() -> list[list]:
    rows = [EVENT_HEADERS]
    for n in range(37):
        day = _day(n, range(1, 7))
        rows.append(
            [
                day.isoformat(),
                f"赴北京对接招商{n:02d}",
                "外出招商",
                "北京",
                "县委书记",
                2,
                "",
                "",
                "",
            ]
        )
    rows += [
        ["2022-03-18", "县籍在京学子交流座谈会", "座谈会", "北京", "县长", 1, "", "", ""],
        ["2022-05-20", "食品产业企业家座谈会", "座谈会", "县城", "县长", 1, "", "", "CGC"],
        *(
            [f"2022-0{m}-12", f"接待客商来访{m}", "来访接待", "开发区", "", 1, "", "", ""]
            for m in (2, 4, 6)
        ),
        # After the cut-off: the fair is reported after the period's figures; the trip not.
        [
            "2022-07-06",
            "新能源装备制造产业专题招商推介会",
            "招商推介会",
            "县城",
            "县委书记",
            8,
            5,
            "986100",
            "",
        ],
        ["2022-07-07", "赴北京对接京企", "外出招商", "北京", "县委书记", 4, "", "", ""],
    ]
    return rows


SEED_000 = {
    "园区": [
        ["园区编码", "园区名称", "上级园区编码", "类型"],
        ["KFQ", "示范经济开发区", "", "开发区"],
        ["CGC", "长古城工业园", "KFQ", "园区"],
        ["BH", "白合工业园", "KFQ", "园区"],
        ["TTH", "通天河产业园", "KFQ", "园区"],
    ],
    "产业": [
        ["产业名称", "产业类别"],
        ["新能源新材料", "新兴产业"],
        ["装备制造", "传统产业"],
    ],
    "招商项目": seed_000_leads(),
    "招商活动": seed_000_events(),
}

OPENING = (
    "2022年1-6月，“走出去”开展招商对接活动37次，共对接招商项目76个、总投资115.02亿元，"
    "其中签约落地项目18个、总投资59.68亿元。"
)
KINDS = "共开展各类招商活动42次（外出招商37次、座谈会2次、来访接待3次）。"
LANDED = "截至6月末，签约项目中已落地4个。"
# The unsigned leads are at 对接, 洽谈 and 意向 in turn: DJ-02, DJ-05 … DJ-56 (19) at 意向,
# DJ-02 dropped: 18 × 9,500 = 171,000, no asset type given.
INTENDED = "有意向入驻的未注明资产类型项目18个，计划投资17.1亿元。"
FAIR = (
    "此外，7月6日，成功举办新能源装备制造产业专题招商推介会，"
    "现场集中签约了总投资98.61亿元的5个项目。"
)


@pytest.fixture
def seed_000(db):
    report = workbook_import(data=xlsx(SEED_000), filename="seed000.xlsx")
    assert report.accepted, [str(problem) for problem in report.problems]
    return Park.objects.get(code="KFQ")


def test_the_import_gives_the_half_year_figures_of_the_document(seed_000):
    report = year_end_report(report_scope(seed_000), ReportPeriod(2022, 6))

    events, leads = report.events, report.leads
    assert (events.count, events.trips) == (42, 37)
    assert (leads.docked, leads.docked_investment) == (76, D("1150200"))
    assert (leads.signed, leads.signed_investment) == (18, D("596800"))
    assert leads.signed_progress == [("落地", 4), ("签约", 14)]
    assert events.fairs == []
    [fair] = events.later_fairs
    assert (fair.name, fair.contracts_signed, fair.signed_amount) == (
        "新能源装备制造产业专题招商推介会",
        5,
        D("986100"),
    )


def test_the_page_writes_the_documents_sentences(client, leader, seed_000):
    client.force_login(leader)

    content = client.get(REPORT, HALF_YEAR).content.decode()

    paragraph = next(p for p in narrative(_report(seed_000)) if p.startswith(OPENING))
    assert f"<p>{paragraph}</p>" in content
    for sentence in (OPENING, KINDS, LANDED, FAIR, INTENDED):
        assert sentence in paragraph
    assert paragraph.index(KINDS) < paragraph.index(FAIR)


def test_the_docx_writes_the_documents_sentences(client, leader, seed_000):
    client.force_login(leader)

    response = client.get(REPORT, {**HALF_YEAR, "format": "docx"})

    document = Document(io.BytesIO(response.content))
    [paragraph] = [p.text for p in document.paragraphs if p.text.startswith(OPENING)]
    assert KINDS in paragraph and FAIR in paragraph
    assert any(p.text.endswith(" 招商引资主要情况") for p in document.paragraphs)
    assert _docx_table(document, ["项目", "数量", "金额(万元)", "金额(亿元)"]) == [
        ["项目", "数量", "金额(万元)", "金额(亿元)"],
        ["招商活动（各类合计）(次)", "42", "", ""],
        ["　其中：外出招商(次)", "37", "", ""],
        ["　　　　座谈会(次)", "2", "", ""],
        ["　　　　来访接待(次)", "3", "", ""],
        ["对接招商项目(个)", "76", "1,150,200.00", "115.02"],
        ["　其中：签约落地项目(个)", "18", "596,800.00", "59.68"],
        [
            "此外：7月6日新能源装备制造产业专题招商推介会现场签约项目(个)",
            "5",
            "986,100.00",
            "98.61",
        ],
    ]


def test_the_xlsx_holds_the_figures_in_its_cells(client, leader, seed_000):
    client.force_login(leader)

    response = client.get(REPORT, {**HALF_YEAR, "format": "xlsx"})

    book = load_workbook(io.BytesIO(response.content))
    assert any(OPENING in str(cell.value) for row in book["综述"].iter_rows() for cell in row)
    sheet = book["招商引资"]
    rows = {
        row[0]: row[1:] for row in sheet.iter_rows(min_row=4, max_col=4, values_only=True) if row[0]
    }
    assert rows["　其中：外出招商(次)"][0] == 37
    assert rows["对接招商项目(个)"] == (76, 1150200, 115.02)
    assert rows["　其中：签约落地项目(个)"] == (18, 596800, 59.68)
    assert rows["此外：7月6日新能源装备制造产业专题招商推介会现场签约项目(个)"] == (
        5,
        986100,
        98.61,
    )


def _report(zone):
    return year_end_report(report_scope(zone), ReportPeriod(2022, 6))


def _docx_table(document, header: list[str]) -> list[list[str]]:
    """Return the cells' text of the document's table headed by `header`."""
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    ]
    [table] = [table for table in tables if table[0] == header]
    return table
