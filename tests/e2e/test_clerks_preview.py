"""An admin reads the preview of a park office's sheet: its warnings and notices, on a phone."""

import pytest
from playwright.sync_api import expect

from parkportal.choices import Role
from parkportal.services import user_save
from tests.workbook.test_clerks_sheets import ROWS, clerks_sheet
from workbook.importer import workbook_import
from workbook.models import ImportBatch

pytestmark = [
    pytest.mark.e2e,
    # The live server reads what the test writes, so the test commits; the serialized
    # rollback brings back the indicator catalog that the flush afterwards removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Guanli-2026!"
PHONE = {"width": 390, "height": 844}


def test_the_preview_of_a_clerks_sheet_lists_its_warnings_and_notices_on_a_phone(
    live_server, new_page, console_errors, screenshot_dir
):
    admin = user_save(username="guanli", role=Role.ADMIN, password=PASSWORD)
    data = clerks_sheet([*ROWS[:2], ["合计", 3000, 1600, 56.25, 10, 3, 158]])
    report = workbook_import(data=data, filename="一季度报表.xlsx", dry_run=True)
    batch = ImportBatch.objects.create(
        filename="一季度报表.xlsx",
        sha256="0" * 64,
        content=data,
        uploaded_by=admin,
        status=ImportBatch.Status.PREVIEWED,
        summary=report.as_dict(),
    )
    page = new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/workbook/import/{batch.pk}/")
    page.get_by_label("用户名").fill("guanli")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    warnings = page.locator("#warnings li")
    expect(warnings).to_have_count(1)
    expect(warnings).to_contain_text(
        "工作表“月度指标”第7行“营业收入/1-3月”列：合计行的数值3000与第5至6行之和2500不一致"
    )
    notices = page.locator("#notices li")
    expect(notices).to_have_count(len(report.notices))
    expect(notices.filter(has_text="按标题“2026年1-3月")).to_be_visible()
    expect(page.get_by_role("button", name="确认导入")).to_be_visible()
    # Long messages wrap inside a phone's width: the page does not scroll sideways.
    box = warnings.first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.screenshot(path=screenshot_dir / "import-preview-clerks-phone.png", full_page=True)
    assert console_errors == []
