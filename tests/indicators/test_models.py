from decimal import Decimal as D

import pytest
from django.db import transaction

from indicators.models import Indicator, MonthlyValue
from tests.factories import EnterpriseFactory, MonthlyValueFactory, TargetFactory, indicator
from tests.helpers import violates

pytestmark = pytest.mark.django_db


def test_the_catalog_is_seeded_with_the_six_indicators_in_order():
    rows = list(Indicator.objects.values_list("name", "unit", "kind", "allows_negative"))
    assert rows == [
        ("营业收入", "万元", "flow", False),
        ("工业总产值", "万元", "flow", False),
        ("税收收入", "万元", "flow", False),
        ("固定资产投资", "万元", "flow", False),
        ("利润总额", "万元", "flow", True),
        ("从业人员", "人", "stock", False),
    ]
    assert [i.header for i in Indicator.objects.all()][:1] == ["营业收入(万元)"]


def test_one_value_per_enterprise_indicator_year_and_month(park_a):
    value = MonthlyValueFactory(enterprise=EnterpriseFactory(park=park_a), month=3)
    with transaction.atomic(), violates("monthly_value_natural_key", "indicators_monthlyvalue"):
        MonthlyValue.objects.create(
            enterprise=value.enterprise,
            indicator=value.indicator,
            year=value.year,
            month=3,
            value=D("1"),
        )
    # another month, another indicator: both fine
    MonthlyValueFactory(enterprise=value.enterprise, month=4)
    MonthlyValueFactory(enterprise=value.enterprise, month=3, indicator=indicator("tax"))
    assert MonthlyValue.objects.count() == 3


@pytest.mark.parametrize("month", [0, 13])
def test_a_month_outside_1_to_12_is_refused(park_a, month):
    with transaction.atomic(), violates("monthly_value_month_range"):
        MonthlyValueFactory(enterprise=EnterpriseFactory(park=park_a), month=month)


def test_values_keep_their_decimals(park_a):
    value = MonthlyValueFactory(enterprise=EnterpriseFactory(park=park_a), value=D("-1234.5678"))
    value.refresh_from_db()
    assert value.value == D("-1234.5678")


def test_one_target_and_one_forecast_per_park_indicator_and_year(park_a):
    TargetFactory(park=park_a, kind="target")
    TargetFactory(park=park_a, kind="forecast")
    with transaction.atomic(), violates("target_natural_key", "indicators_target"):
        TargetFactory(park=park_a, kind="target")
