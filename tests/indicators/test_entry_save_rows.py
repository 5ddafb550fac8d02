"""A draft's save checks the rows it changes; a submission checks the whole month; a
refused save shows the whole month again."""

from decimal import Decimal as D

import pytest

from indicators import codes
from indicators.models import MonthlyValue
from tests.factories import MonthlyValueFactory, indicator
from tests.indicators import test_entry as entry
from tests.indicators.test_entry import MONTH, YEAR, cell, post, status, stored, url

# The entry tests' enterprises: jia with January, February and last year's figures, yi
# with February's.
jia = entry.jia
yi = entry.yi

pytestmark = pytest.mark.django_db


def test_a_refused_save_shows_every_row_of_the_month_again(client, staff_a, jia, yi):
    client.force_login(staff_a)
    response = post(client, jia.park, {cell(jia, codes.REVENUE): "abc"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "本次未保存任何数据" in page
    assert 'value="abc"' in page
    # The row not typed in is on the page again, with its February figure beside it.
    assert f'name="{cell(yi, codes.REVENUE)}"' in page
    assert "乙建材有限公司" in page


@pytest.fixture
def jia_below_february(jia):
    """Jia's March revenue stored below its February one (200), as an import before the
    check existed might have left it: 150 is an error on the page."""
    MonthlyValueFactory(
        enterprise=jia, indicator=indicator(codes.REVENUE), year=YEAR, month=MONTH, value=D("150")
    )
    return jia


def test_a_save_of_one_row_is_not_refused_for_another_rows_stored_error(
    client, staff_a, jia_below_february, yi
):
    client.force_login(staff_a)
    page = client.get(url(yi.park)).content.decode()
    assert "本年累计数150小于2月的累计数" in page  # jia's row shows its error
    response = post(client, yi.park, {cell(yi, codes.REVENUE): "80"})
    assert response.status_code == 302
    assert stored(yi, codes.REVENUE) == D("80")
    assert stored(jia_below_february, codes.REVENUE) == D("150")  # left as it was


def test_a_submission_checks_the_whole_month(client, staff_a, jia_below_february, yi):
    client.force_login(staff_a)
    response = post(client, yi.park, {cell(yi, codes.REVENUE): "80"}, action="submit")
    assert response.status_code == 200
    assert "本次未保存任何数据" in response.content.decode()
    assert status(yi.park) == "draft"
    assert not MonthlyValue.objects.filter(enterprise=yi, month=MONTH).exists()
