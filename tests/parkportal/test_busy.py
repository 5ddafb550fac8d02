"""A write that found SQLite locked behind an import answers 503 with a Chinese page that
says nothing was saved, never 500; every other error is left alone."""

import pytest
from django.db import IntegrityError, OperationalError
from django.test import RequestFactory

from parkportal.busy import DatabaseBusyMiddleware


def answer(error):
    middleware = DatabaseBusyMiddleware(lambda request: None)
    return middleware.process_exception(RequestFactory().post("/entry/"), error)


@pytest.mark.parametrize(
    "error",
    [OperationalError("database is locked"), OperationalError("database table is locked")],
)
def test_a_locked_database_answers_503_saying_to_try_again(error):
    response = answer(error)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "系统正在导入数据，请稍后再试" in page
    assert "没有保存" in page


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("no such table: indicators_monthlyvalue"),
        IntegrityError("database is locked"),  # not an OperationalError
        ValueError("database is locked"),
    ],
)
def test_other_errors_are_left_to_the_500_page(error):
    assert answer(error) is None


def test_the_middleware_is_installed(settings):
    assert "parkportal.busy.DatabaseBusyMiddleware" in settings.MIDDLEWARE
