"""The pipeline in a browser: investment staff record a visit, move a lead from 洽谈 to
签约 and drop another with its reason; a leader opens the board and a forgotten lead; an
admin merges two duplicates."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from investment.models import FollowUp, Lead, LeadStageChange
from parkportal.choices import Role
from parkportal.services import user_save
from tests.e2e.signin import PASSWORD, sign_in
from tests.factories import LeadFactory, ParkFactory, ZoneFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def pipeline():
    today = timezone.localdate()
    kfq = ZoneFactory(code="KFQ", name="示范经济开发区")
    cgc = ParkFactory(code="CGC", name="长古城工业园", parent=kfq)
    user_save(username="zhaoshang", role=Role.INVESTMENT, park_codes=["KFQ"], password=PASSWORD)
    user_save(username="lingdao", role=Role.LEADER, password=PASSWORD)
    user_save(username="guanli", role=Role.ADMIN, password=PASSWORD)
    talks = LeadFactory(
        code="ZS-1", name="光伏组件生产线", park=cgc, stage="negotiating",
        docked_on=today - timedelta(days=40), owner="zhaoshang",
    )  # fmt: skip
    LeadStageChange.objects.create(
        lead=talks,
        from_stage="docked",
        to_stage="negotiating",
        changed_on=today - timedelta(days=5),
    )
    LeadFactory(code="ZS-2", name="冷链食品加工", park=cgc, docked_on=today - timedelta(days=3))
    LeadFactory(
        code="ZS-3", name="<b>被遗忘</b>的铸铜项目", park=cgc, docked_on=today - timedelta(days=100)
    )
    LeadFactory(
        code="ZS-4", name="防水建材生产", investor="河北某某建材集团有限公司",
        docked_on=today - timedelta(days=10), park=cgc,
    )  # fmt: skip
    LeadFactory(
        code="ZS-5", name="防水卷材项目", investor="河北某某建材（集团）",
        docked_on=today - timedelta(days=8),
    )  # fmt: skip
    return today


def test_the_pipeline_from_a_visit_to_a_merge(
    live_server, pipeline, new_page, console_errors, screenshot_dir
):
    today = pipeline
    page = new_page(viewport=DESKTOP)
    sign_in(page, live_server, "zhaoshang")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="招商项目").click()
    expect(page.get_by_role("heading", name="招商看板")).to_be_visible()
    page.get_by_role("link", name="光伏组件生产线").click()

    # A visit, with its next step and date.
    visit = page.get_by_role("form", name="记录跟进")
    visit.get_by_label("方式").select_option(label="外出拜访")
    visit.get_by_label("内容").fill("赴企业总部商谈供地")
    visit.get_by_label("下一步").fill("报送用地方案")
    visit.get_by_label("下次跟进日期").fill(f"{today + timedelta(days=7):%Y-%m-%d}")
    visit.get_by_role("button", name="记录跟进").click()
    expect(page.get_by_text(f"已记录{today:%Y-%m-%d}的跟进。")).to_be_visible()
    expect(page.locator(".follow-ups")).to_contain_text("报送用地方案")
    assert FollowUp.objects.get().next_step == "报送用地方案"

    # 洽谈 → 签约, dated today.
    stage = page.get_by_role("form", name="变更阶段")
    stage.get_by_label("新阶段").select_option(label="签约")
    stage.get_by_label("说明").fill("签订投资协议")
    stage.get_by_role("button", name="保存阶段").click()
    expect(page.get_by_text("已改为“签约”阶段。")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("洽谈 → 签约：签订投资协议")
    page.screenshot(path=screenshot_dir / "pipeline-lead-signed.png", full_page=True)
    assert Lead.objects.get(code="ZS-1").signed_on == today

    # Dropping another needs its reason.
    page.goto(f"{live_server.url}/investment/list/?q=冷链")
    page.get_by_role("link", name="冷链食品加工").click()
    stage = page.get_by_role("form", name="变更阶段")
    stage.get_by_label("新阶段").select_option(label="终止")
    stage.get_by_role("button", name="保存阶段").click()
    expect(
        page.get_by_role("alert").filter(has_text="终止招商项目必须说明终止原因")
    ).to_be_visible()
    stage = page.get_by_role("form", name="变更阶段")
    stage.get_by_label("新阶段").select_option(label="终止")
    stage.get_by_label("说明").fill("投资方调整投资计划")
    stage.get_by_role("button", name="保存阶段").click()
    expect(page.get_by_text("已改为“终止”阶段。")).to_be_visible()
    assert Lead.objects.get(code="ZS-2").drop_reason == "投资方调整投资计划"

    # A leader opens the board, sees the forgotten lead in red, and opens it (its name as text).
    leader = new_page(viewport=PHONE)
    sign_in(leader, live_server, "lingdao")
    leader.goto(f"{live_server.url}/investment/")
    docked = leader.locator(".board__column", has_text="对接")
    forgotten = docked.locator(".lead-card", has_text="被遗忘")
    expect(forgotten).to_contain_text("严重超期未跟进")
    width = leader.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    leader.screenshot(path=screenshot_dir / "pipeline-board-phone.png", full_page=True)
    forgotten.get_by_role("link", name="<b>被遗忘</b>的铸铜项目").click()
    expect(leader.get_by_role("heading", name="<b>被遗忘</b>的铸铜项目")).to_be_visible()
    expect(leader.get_by_role("form", name="记录跟进")).to_have_count(0)
    leader.screenshot(path=screenshot_dir / "pipeline-forgotten-lead.png", full_page=True)

    # An admin compares the two duplicates side by side and merges them.
    admin = new_page(viewport=DESKTOP)
    sign_in(admin, live_server, "guanli")
    admin.goto(f"{live_server.url}/investment/duplicates/")
    pair = admin.locator(".duplicate-pair")
    expect(pair).to_contain_text("河北某某建材集团有限公司")
    expect(pair).to_contain_text("河北某某建材（集团）")
    admin.screenshot(path=screenshot_dir / "pipeline-duplicates.png", full_page=True)
    pair.get_by_role("button", name="将 ZS-5 并入 ZS-4").click()
    expect(admin.get_by_text("已将ZS-5（防水卷材项目）并入ZS-4（防水建材生产）。")).to_be_visible()
    assert not Lead.objects.filter(code="ZS-5").exists()
    # The refused drop answered 400 (the form again, with its error); nothing else failed.
    refused = "Failed to load resource: the server responded with a status of 400"
    assert [error for error in console_errors if refused not in error] == []
