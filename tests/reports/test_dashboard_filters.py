"""The dashboard's template filters write growth, a change across a loss included
(reports.templatetags.dashboard, over parkportal.display)."""

from decimal import Decimal as D

import pytest
from django.template import Context, Template

from indicators.domain import Growth, Turn

CARD = Template(
    "{% load dashboard %}<span class=\"trend--{{ g|trend|default:'flat' }}\">{{ g|growth }}</span>"
)


@pytest.mark.parametrize(
    ("change", "html"),
    [
        (Growth(rate=D("20.73")), '<span class="trend--up">+20.73%</span>'),
        (Growth(rate=D("-3.1")), '<span class="trend--down">-3.10%</span>'),
        (Growth(rate=D("0")), '<span class="trend--flat">0.00%</span>'),
        (Growth(turn=Turn.TO_LOSS), '<span class="trend--down">由盈转亏</span>'),
        (Growth(turn=Turn.LOSS_WIDENED), '<span class="trend--down">增亏</span>'),
        (Growth(turn=Turn.TO_PROFIT), '<span class="trend--up">由亏转盈</span>'),
        (Growth(turn=Turn.LOSS_NARROWED), '<span class="trend--up">减亏</span>'),
        (Growth(), '<span class="trend--flat">—</span>'),
        (D("35.92"), '<span class="trend--up">+35.92%</span>'),  # a plain rate still works
        (None, '<span class="trend--flat">—</span>'),
    ],
)
def test_a_card_writes_growth_and_its_direction(change, html):
    assert CARD.render(Context({"g": change})) == html
