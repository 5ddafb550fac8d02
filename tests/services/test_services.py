"""The case's door: its checks, its defaults, its history, and who may write through it."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from parkportal.data_version import data_version
from services.models import ServiceCase
from services.services import service_case_close, service_case_save
from tests.factories import EnterpriseFactory

from .conftest import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def jia(park_a):
    return EnterpriseFactory(park=park_a, name="甲企业")


def test_blank_days_allowed_take_the_categorys_limit_and_set_the_due_date(jia, settings):
    settings.SERVICE_TIME_LIMITS = {"passage": 3, "other": 7}
    case = make_case(jia, code="FW-1", category="passage", received_on=date(2026, 3, 1))
    assert (case.days_allowed, case.due_on) == (3, date(2026, 3, 4))
    case = make_case(jia, code="FW-2", category="policy", days_allowed=None)
    assert case.days_allowed == 7  # no limit of its own: 其他's


def test_a_saved_case_bumps_the_data_version_the_reports_cache_on(jia):
    before = data_version()
    make_case(jia, code="FW-1")
    assert data_version() == before + 1


def test_given_days_allowed_win_over_the_default(jia):
    case = make_case(jia, code="FW-1", received_on=date(2026, 3, 1), days_allowed=1)
    assert case.due_on == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"enterprise": None}, "enterprise", "请填写企业"),
        ({"closed_on": date(2026, 3, 5), "outcome": " "}, "outcome", "办结时必须填写办理结果"),
        ({"closed_on": date(2026, 3, 1)}, "closed_on", "早于受理日期"),
        ({"closed_on": date(2099, 1, 1)}, "closed_on", "晚于今天"),
        ({"satisfaction": "satisfied"}, "satisfaction", "尚未办结"),
        ({"channel": "wechat"}, "channel", ""),
    ],
)
def test_the_door_refuses_a_case_and_writes_nothing(jia, fields, field, message):
    values = {"enterprise": jia, **fields}
    with pytest.raises(ValidationError) as refused:
        make_case(code="FW-1", **values)
    assert message in refused.value.message_dict[field][0]
    assert not ServiceCase.objects.exists()


def test_closing_records_the_outcome_and_its_history(jia, admin_user):
    case = make_case(jia, code="FW-1", received_on=date(2026, 3, 2))
    service_case_close(
        case=case,
        closed_on=date(2026, 3, 4),
        outcome="已协调供电公司完成增容",
        mode="online",
        satisfaction="satisfied",
        user=admin_user,
    )
    case.refresh_from_db()
    closed = (case.closed_on, case.mode, case.satisfaction)
    assert closed == (date(2026, 3, 4), "online", "satisfied")
    latest = case.history.first()
    assert (latest.history_user, latest.history_change_reason) == (admin_user, "办结")
    with pytest.raises(ValidationError, match="已于2026-03-04办结"):
        service_case_close(case=case, closed_on=date(2026, 3, 5), outcome="x", mode="online")


def test_staff_write_their_parks_cases_only(jia, park_b, staff_a, staff_b, leader):
    case = ServiceCase(
        code="FW-1",
        enterprise=jia,
        kind="request",
        received_on=date(2026, 3, 2),
        channel="online",
        category="other",
        subject="咨询",
        unit="园区办",
    )
    for outsider in (staff_b, leader):
        with pytest.raises(PermissionDenied):
            service_case_save(case=case, user=outsider)
    assert not ServiceCase.objects.exists()
    service_case_save(case=case, user=staff_a)
    assert case.history.first().history_user == staff_a
