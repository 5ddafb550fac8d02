"""An admin downloads a template, fills it in and imports it from the browser."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from parkportal.choices import Role
from parkportal.models import Enterprise, Park
from parkportal.services import user_save
from tests.workbook import books
from tests.workbook.books import ALL_SHEETS, xlsx
from workbook.importer import INSTRUCTIONS_SHEET, SHEETS_BY_NAME
from workbook.models import ImportBatch
from workbook.progress import ProgressCache
from workbook.services import import_batch_run

pytestmark = [
    pytest.mark.e2e,
    # The live server reads what the test writes, so the test commits; the serialized
    # rollback brings back the indicator catalog that the flush afterwards removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Guanli-2026!"
ENTERPRISE_LIST = "/admin/parkportal/enterprise/"
IMPORT_PAGE = "/admin/workbook/import/"


@pytest.fixture
def admin_account(db):
    return user_save(username="guanli", role=Role.ADMIN, password=PASSWORD)


def sign_in(page, live_server, next_path):
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.get_by_label("用户名").fill("guanli")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}{next_path}")


def header_row(sheet) -> list[str]:
    """Return a template's headers as the import reads them: a required one without its *."""
    return [cell.value.removesuffix("*") for cell in next(sheet.iter_rows(min_row=1, max_row=1))]


def fill_in(path, sheets):
    """Write each sheet's data rows under the template's headers, matched by header name."""
    book = load_workbook(path)
    for name, rows in sheets.items():
        sheet = book[name]
        headers = header_row(sheet)
        for row_index, row in enumerate(rows[1:], start=2):
            for title, value in zip(rows[0], row, strict=True):
                if value != "":
                    sheet.cell(row=row_index, column=headers.index(title) + 1, value=value)
    book.save(path)


def upload(page, live_server, path):
    page.goto(f"{live_server.url}{IMPORT_PAGE}")
    page.set_input_files("input[type=file]", path)
    page.get_by_role("button", name="上传并预览").click()
    expect(page).to_have_url(re.compile(r"/admin/workbook/import/\d+/$"))


def test_admin_downloads_fills_in_and_imports_the_template(
    live_server, admin_account, new_page, console_errors, screenshot_dir, tmp_path
):
    page = new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, live_server, ENTERPRISE_LIST)

    # The enterprise list offers the enterprise sheet's template.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载模板").click()
    one_sheet = tmp_path / "enterprise-template.xlsx"
    download_info.value.save_as(one_sheet)
    assert load_workbook(one_sheet).sheetnames == [INSTRUCTIONS_SHEET, "企业"]

    # The import page offers the whole workbook's template.
    page.get_by_role("link", name="导入工作簿").click()
    expect(page).to_have_url(f"{live_server.url}{IMPORT_PAGE}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载整本模板").click()
    download = download_info.value
    assert download.suggested_filename == "园区数据-导入模板.xlsx"
    filled = tmp_path / "园区数据.xlsx"
    download.save_as(filled)

    book = load_workbook(filled)
    # every sheet the import reads, in its order; the first release's sheets are filled in
    assert book.sheetnames == [INSTRUCTIONS_SHEET, *SHEETS_BY_NAME]
    for name, rows in ALL_SHEETS.items():
        headers = header_row(book[name])
        # the format's columns, in order, without those an export writes for reading only
        assert headers == SHEETS_BY_NAME[name].template_headers()
        assert set(rows[0]) <= set(headers)
        assert book[name].max_row == 1  # a blank template
    fill_in(filled, ALL_SHEETS)

    upload(page, live_server, filled)
    summary = page.locator("#sheet-summary")
    # created, updated, unchanged, errors, warnings, notices
    expect(summary.get_by_role("row", name="企业 2 0 0 0 0 0", exact=True)).to_be_visible()
    expect(summary.get_by_role("row", name="园区 3 0 0 0 0 0", exact=True)).to_be_visible()
    expect(summary.get_by_role("row", name="月度指标 3 0 0 0 0 0", exact=True)).to_be_visible()
    expect(page.get_by_text("检查通过")).to_be_visible()
    expect(page.locator("#batch-status")).to_have_text("已预览")
    assert not Enterprise.objects.exists()  # the preview writes nothing
    page.screenshot(path=screenshot_dir / "import-preview.png", full_page=True)

    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("已导入 园区数据.xlsx。")).to_be_visible()
    expect(page.locator(".import-ok")).to_contain_text("已导入（")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    assert Enterprise.objects.count() == 2
    assert set(Enterprise.objects.values_list("name", flat=True)) == {
        "河北甲食品有限公司",
        "河北乙建材有限公司",
    }
    assert ImportBatch.objects.get().status == ImportBatch.Status.IMPORTED
    page.screenshot(path=screenshot_dir / "import-done.png", full_page=True)
    assert console_errors == []


def test_a_file_with_an_error_lists_the_problem_and_cannot_be_imported(
    live_server, admin_account, new_page, console_errors, screenshot_dir, tmp_path
):
    page = new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, live_server, IMPORT_PAGE)
    bad = tmp_path / "有错误的工作簿.xlsx"
    sheets = {**ALL_SHEETS, "企业": books.replaced(books.ENTERPRISES, 2, "所属园区", "无此园")}
    bad.write_bytes(xlsx(sheets))

    upload(page, live_server, bad)
    problems = page.locator("#problems")
    expect(problems).to_contain_text("工作表“企业”第3行“所属园区”列：园区“无此园”不存在")
    expect(page.get_by_role("heading", name=re.compile(r"未写入任何数据"))).to_be_visible()
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    expect(page.get_by_text("检查通过")).to_have_count(0)
    page.screenshot(path=screenshot_dir / "import-problems.png", full_page=True)

    assert ImportBatch.objects.get().status == ImportBatch.Status.REJECTED
    assert not Park.objects.exists()
    assert not Enterprise.objects.exists()
    assert console_errors == []


def test_the_page_follows_an_import_running_in_the_background(
    live_server, admin_account, new_page, console_errors, screenshot_dir
):
    batch = ImportBatch.objects.create(
        filename="园区数据.xlsx",
        sha256="0" * 64,
        content=xlsx(ALL_SHEETS),
        uploaded_by=admin_account,
        status=ImportBatch.Status.IMPORTING,
    )
    worker = ProgressCache(batch.pk)  # this test plays the worker, through the shared cache
    worker("检查并写入“企业”（2行）", 0.4)
    page = new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, live_server, f"{IMPORT_PAGE}{batch.pk}/")
    bar = page.locator("#progress-bar")
    expect(bar).to_have_attribute("value", "40")
    expect(page.locator("#progress-stage")).to_have_text("检查并写入“企业”（2行）")
    page.screenshot(path=screenshot_dir / "import-progress.png", full_page=True)

    worker("检查并写入“月度指标”（3行）", 0.8)
    expect(page.locator("#progress-percent")).to_have_text("80%")
    expect(page.locator("#progress-stage")).to_have_text("检查并写入“月度指标”（3行）")

    import_batch_run(pk=batch.pk)  # the worker finishes: the page shows the result
    expect(page.locator(".import-ok")).to_contain_text("已导入（", timeout=10_000)
    expect(page.locator("#batch-status")).to_have_text("已导入")
    expect(page.locator("#progress-bar")).to_have_count(0)
    assert Enterprise.objects.count() == 2
    assert console_errors == []
