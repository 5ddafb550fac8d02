"""The service desk in a browser: park staff record a request for an enterprise, an admin
closes it with its outcome, and the enterprise's page shows it; the list reads on a phone."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from parkportal.choices import Role
from parkportal.models import Enterprise
from parkportal.services import user_save
from services.models import ServiceCase
from tests.e2e.signin import PASSWORD, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def test_staff_record_a_request_an_admin_closes_it_and_the_enterprise_shows_it(
    live_server, small_zone, new_page, console_errors, screenshot_dir, settings
):
    settings.SERVICE_TIME_LIMITS = {"utilities": 5, "other": 7}
    user_save(username="guanli", role=Role.ADMIN, password=PASSWORD)
    enterprise = Enterprise.objects.filter(park__code="A").order_by("name").first()
    today = timezone.localdate()

    page = new_page(viewport=DESKTOP)
    sign_in(page, live_server, "tianbao")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="企业服务").click()
    expect(page.get_by_role("heading", name="企业服务", exact=True)).to_be_visible()
    page.get_by_role("link", name="登记服务事项").click()
    page.get_by_label("服务编号").fill("FW-2026-001")
    page.get_by_label("服务类型").select_option(label="诉求办理")
    page.locator("#id_enterprise").select_option(label=enterprise.name)
    page.get_by_label("渠道").select_option(label="中小企业早餐会")
    page.get_by_label("类别").select_option(label="水电路气")
    page.get_by_label("事项").fill("新厂房用电增容")
    page.get_by_label("承办单位").fill("县供电公司")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已登记服务事项FW-2026-001")).to_be_visible()
    case = ServiceCase.objects.get(code="FW-2026-001")
    assert (case.days_allowed, case.enterprise, case.closed_on) == (5, enterprise, None)
    page.screenshot(path=screenshot_dir / "service-desk-recorded.png", full_page=True)

    admin = new_page(viewport=DESKTOP)
    sign_in(admin, live_server, "guanli", PASSWORD)
    admin.goto(f"{live_server.url}/services/")
    admin.get_by_role("link", name="FW-2026-001").click()
    closing = admin.get_by_role("form", name="办结")
    closing.get_by_label("办结日期").fill(f"{today:%Y-%m-%d}")
    closing.get_by_label("办理结果").fill("供电公司已完成增容并送电")
    closing.get_by_label("办理方式").select_option(label="线下")
    closing.get_by_label("满意度").select_option(label="满意")
    closing.get_by_role("button", name="办结").click()
    expect(admin.get_by_text("服务事项FW-2026-001已办结。")).to_be_visible()
    case.refresh_from_db()
    assert (case.closed_on, case.outcome, case.satisfaction) == (
        today, "供电公司已完成增容并送电", "satisfied")  # fmt: skip

    admin.get_by_role("link", name=enterprise.name).click()
    services = admin.get_by_role("region", name="企业服务（诉求办理与审批代办）")
    expect(services).to_contain_text("新厂房用电增容")
    expect(services).to_contain_text("供电公司已完成增容并送电")
    admin.screenshot(path=screenshot_dir / "service-desk-enterprise.png", full_page=True)

    phone = new_page(viewport=PHONE)
    sign_in(phone, live_server, "tianbao")
    phone.goto(f"{live_server.url}/services/?state=closed")
    expect(phone.get_by_role("link", name="FW-2026-001")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width  # the table scrolls inside its region, not the page
    phone.screenshot(path=screenshot_dir / "service-desk-phone.png", full_page=True)
    assert console_errors == []
