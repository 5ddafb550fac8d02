"""The API's documentation page (Swagger UI from the portal's own static files) renders
its operations in Chromium under the portal's Content-Security-Policy, and a signed-in
user tries an operation from it."""

import pytest
from playwright.sync_api import expect

from parkportal.choices import Role
from parkportal.services import user_save
from tests.factories import ParkFactory, ZoneFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "Lingdao-2026!"


def test_the_docs_page_lists_the_operations_with_no_policy_violation(
    live_server, new_page, screenshot_dir
):
    ParkFactory(
        code="CGC", name="长古城工业园", parent=ZoneFactory(code="KFQ", name="示范经济开发区")
    )
    user_save(username="lingdao", role=Role.LEADER, password=PASSWORD)
    page = new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("lingdao")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")

    errors, failed = [], []  # of the docs page, from here on
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "response", lambda response: failed.append(response.url) if response.status >= 400 else None
    )
    answer = page.goto(f"{live_server.url}/api/docs/")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    expect(page.get_by_text("园区经济运行监测平台 开放接口").first).to_be_visible()
    operation = page.locator("#operations-parks-parks_list")
    expect(operation).to_be_visible()
    expect(page.locator("#operations-monthly-value-sets-monthly_value_sets_create")).to_be_visible()

    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(
        operation.locator(".live-responses-table tbody .response-col_status").first
    ).to_contain_text("200")
    expect(operation.locator(".live-responses-table")).to_contain_text("长古城工业园")
    page.screenshot(path=screenshot_dir / "api-docs.png", full_page=False)
    assert violations == []
    assert errors == []
    assert failed == []
