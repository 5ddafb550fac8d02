"""Workbooks refused whole before a row is read: two sheets of one name, formulas never
calculated; and the preview's count of the problems it lists."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parkportal.models import Enterprise
from tests.workbook import books, hostile
from tests.workbook.books import ALL_SHEETS, CODE_A, xlsx
from tests.workbook.test_import import database_state
from workbook.importer import workbook_import
from workbook.models import ImportBatch

pytestmark = pytest.mark.django_db

ADVICE = "请用Excel打开该文件并保存一次后再导入（公式需要计算出结果）"


def run(data: bytes, *, dry_run: bool = False):
    return workbook_import(data=data, filename="园区数据.xlsx", dry_run=dry_run)


def renamed_enterprise() -> list[list]:
    """The 企业 sheet with a change that an accepted import would write."""
    return books.replaced(books.ENTERPRISES, 1, "企业名称", "河北甲食品集团有限公司")


def test_two_sheets_of_the_same_name_are_refused_naming_both_and_nothing_is_written():
    assert run(xlsx(ALL_SHEETS)).accepted
    before = database_state()
    sheets = {
        "园区": books.PARKS,
        "企业": renamed_enterprise(),
        "产业": books.INDUSTRIES,
        "项目": books.PROJECTS,
        "招商项目": books.LEADS,
    }

    report = run(hostile.renamed_sheet(xlsx(sheets), 5, "企业"))

    assert not report.accepted
    assert [problem.message for problem in report.problems] == [
        "“园区数据.xlsx”：工作簿中有两个同名工作表：“企业”（第2个）和“企业”（第5个）；"
        "请删除或改名其中一个后再导入。"
    ]
    assert report.sheets == []
    assert database_state() == before


def test_a_formula_without_a_computed_value_is_refused_naming_its_cell_and_nothing_is_written():
    assert run(xlsx(ALL_SHEETS)).accepted
    before = database_state()
    monthly = books.replaced(books.MONTHLY, 3, "营业收入(万元)", "=400+100")  # openpyxl: no result

    report = run(xlsx({"企业": renamed_enterprise(), "月度指标": monthly}))

    assert not report.accepted
    assert [str(problem) for problem in report.problems] == [
        f"工作表“月度指标”：单元格月度指标!E4的公式没有计算结果；{ADVICE}"
    ]
    assert database_state() == before
    assert Enterprise.objects.get(credit_code=CODE_A).name == "河北甲食品有限公司"


def test_formulas_with_no_value_written_at_all_are_refused_too():
    monthly = books.replaced(books.MONTHLY, 1, "营业收入(万元)", "=1000+200.5")
    monthly = books.replaced(monthly, 1, "税收收入(万元)", "=E2*0.025")
    monthly = books.replaced(monthly, 2, "营业收入(万元)", "=E2+799.5")
    book = hostile.without_cached_values(xlsx({**ALL_SHEETS, "月度指标": monthly}))

    report = run(book)

    assert not report.accepted
    assert [str(problem) for problem in report.problems] == [
        "工作表“月度指标”：有3个单元格的公式没有计算结果"
        f"（月度指标!E2、月度指标!F2、月度指标!E3）；{ADVICE}"
    ]
    assert database_state() == {name: [] for name in database_state()}


def test_a_formula_excel_has_calculated_imports_as_its_result():
    monthly = books.replaced(books.MONTHLY, 1, "营业收入(万元)", "=1000+200.5")
    book = xlsx({**ALL_SHEETS, "月度指标": monthly})
    part = zipfile.ZipFile(io.BytesIO(book)).read("xl/worksheets/sheet5.xml")
    saved = re.sub(rb"(<f>1000\+200\.5</f>)<v\s*(?:/>|>\s*</v>)", rb"\1<v>1200.5</v>", part)
    assert saved != part

    report = run(hostile.rebuild(book, replace={"xl/worksheets/sheet5.xml": saved}))

    assert report.accepted, [str(problem) for problem in report.problems]
    assert {sheet.sheet: sheet.created for sheet in report.sheets}["月度指标"] == 3


def test_a_formula_without_a_value_in_a_sheet_the_import_ignores_stops_nothing():
    report = run(xlsx({**ALL_SHEETS, "备注": [["合计"], ["=SUM(A1:A9)"]]}))

    assert report.accepted, [str(problem) for problem in report.problems]
    assert report.ignored_sheets == ["备注"]


# The preview's count -------------------------------------------------------------------------


def preview(client, batch: ImportBatch) -> str:
    return client.get(reverse("workbook:import_preview", args=[batch.pk])).content.decode()


def test_the_preview_counts_the_problems_it_lists(client, admin_user):
    client.force_login(admin_user)
    enterprises = books.replaced(books.ENTERPRISES, 1, "所属园区", "无此园")
    enterprises = books.replaced(enterprises, 2, "所属园区", "无此园")
    sheets = {"园区": books.PARKS, "产业": books.INDUSTRIES, "企业": enterprises}
    file = SimpleUploadedFile("园区数据.xlsx", xlsx(sheets))
    client.post(reverse("workbook:import"), {"file": file})

    page = preview(client, ImportBatch.objects.get())

    assert "发现 2 个问题，未写入任何数据" in page
    assert page.count("园区“无此园”不存在") == 2


def test_the_preview_of_a_formula_never_calculated_names_its_cell(client, admin_user):
    client.force_login(admin_user)
    monthly = books.replaced(books.MONTHLY, 3, "营业收入(万元)", "=400+100")
    file = SimpleUploadedFile("园区数据.xlsx", xlsx({**ALL_SHEETS, "月度指标": monthly}))
    client.post(reverse("workbook:import"), {"file": file})

    page = preview(client, ImportBatch.objects.get())

    assert "发现 1 个问题，未写入任何数据" in page
    assert f"单元格月度指标!E4的公式没有计算结果；{ADVICE}" in page
    assert "确认导入" not in page
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize(
    ("summary", "count", "listed_only"),
    [
        ({"problems": ["导入过程中出错，已全部撤销。"]}, 1, False),  # a failed batch has no count
        ({"problems": ["x"] * 1000, "problem_count": 1500}, 1500, True),
    ],
    ids=["failed", "more-than-kept"],
)
def test_the_preview_counts_every_problem_even_those_not_kept(
    client, admin_user, summary, count, listed_only
):
    client.force_login(admin_user)
    batch = ImportBatch.objects.create(
        filename="园区数据.xlsx",
        sha256="0" * 64,
        content=b"",
        status=ImportBatch.Status.REJECTED,
        summary={"sheets": [], "ignored_sheets": [], **summary},
    )

    page = preview(client, batch)

    assert f"发现 {count} 个问题" in page
    assert ("只列出前 1000 个问题" in page) == listed_only
